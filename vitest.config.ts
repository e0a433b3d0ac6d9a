// Two test tiers, run together by `npm test` (scripts/test.mjs), which provides DATABASE_URL, REDIS_URL and
// HALLEY_SECRET_KEY (a throwaway PostgreSQL + Redis in .test-services/):
// - unit: tests/unit/**/*.test.ts, files in parallel;
// - integration: tests/integration/**/*.test.ts, one file at a time, against ONE real Halley web server and
//   workers process started by tests/helpers/global-setup.ts (tests reach it with halleyUrl() from
//   tests/helpers/server.ts). Files share that server and database, hence no file parallelism.
// - integration-solo: the integration files that never touch that shared server: each starts its own Halley (or
//   `npm start`) on a scratch database, most with a private redis-server. scripts/test.mjs runs them in a second
//   vitest process beside the first (vitest itself never overlaps files on a 2-core machine), one at a time.
//   A file belongs here only if it uses neither halleyUrl() nor the shared server's data or settings.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Self-contained integration files (see above). */
const SOLO = [
  'console-journey',
  'first-admin-after-demo',
  'fuzz-endpoints',
  'job-search-plans',
  'migrations',
  'sdk-coverage',
  'self-backup-journey',
  'self-backup-schedule',
  'self-backup',
  'tracing',
  'webhook-reliability',
].map((name) => `tests/integration/${name}.test.ts`);

export default defineConfig({
  // The `@/` alias of tsconfig.json (Next and tsx read tsconfig's paths themselves).
  resolve: { alias: { '@/': fileURLToPath(new URL('./', import.meta.url)) } },
  test: {
    testTimeout: 30_000,
    // expect.poll: pages render on a busy 2-core machine; give them time (still bounded, not a timing assertion).
    expect: { poll: { timeout: 10_000, interval: 100 } },
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: SOLO,
          // Browser journeys on a busy 2-core machine need more than the unit default.
          testTimeout: 60_000,
          environment: 'node',
          fileParallelism: false,
          globalSetup: ['tests/helpers/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration-solo',
          include: SOLO,
          testTimeout: 60_000,
          environment: 'node',
          fileParallelism: false,
        },
      },
    ],
  },
});
