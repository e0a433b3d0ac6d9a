// A PostgreSQL database (migrated) and a redis-server of a test's own, for tests that start their own Halley
// nodes and must not share queues, schedulers or the webhook dispatcher with the suite's server.
import path from 'node:path';
import { applyMigrations } from '../../lib/db/migrate';
import { createScratchDatabase } from '../../lib/db/schema-diff';
import { freePort, randomHex, repoRoot, startRedis } from '../../scripts/lib/services.mjs';
import { CometClient } from './comet-client';

export const servicesDir = process.env.HALLEY_TEST_SERVICES_DIR ?? path.join(repoRoot, '.test-services');

export type IsolatedServices = { databaseUrl: string; redisUrl: string; stop: () => Promise<void> };

export async function startIsolatedServices(label: string): Promise<IsolatedServices> {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL must name a PostgreSQL server where the test user may CREATE DATABASE');
  const scratch = await createScratchDatabase(process.env.DATABASE_URL);
  await applyMigrations(scratch.url, { log: () => {} });
  const redis = await startRedis({ dir: path.join(servicesDir, `${label}-redis-${randomHex(4)}`), port: await freePort() });
  return {
    databaseUrl: scratch.url,
    redisUrl: redis.url,
    stop: async () => {
      await redis.stop();
      await scratch.drop().catch(() => undefined);
    },
  };
}

/** Creates the first (top-level) administrator of a fresh database and returns a client signed in as it. */
export async function firstAdmin(url: string): Promise<CometClient> {
  const creds = { username: 'ops-root', password: `pw-${randomHex(8)}` };
  const c = new CometClient(url, null);
  await c.ok('/api/v1/admin/add-first-admin-user', { TargetUser: creds.username, TargetPassword: creds.password });
  return new CometClient(url, creds);
}
