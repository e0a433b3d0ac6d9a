// GET /readyz: can this node do useful work? The database answers, Redis answers, every committed
// migration is applied, and the node is not draining. Each probe is bounded in time, so a hung dependency
// makes the answer "not ready" within about two seconds instead of hanging the load balancer's check.
import type { Redis } from 'ioredis';
import { db } from '../db/client';
import { readMigrations } from '../db/migrate';
import { createRedis } from '../queue/connection';
import { isDraining } from './drain';

const PROBE_TIMEOUT_MS = 2000;

type Check = { ok: boolean; ms: number; error?: string };
type Readiness = { ready: boolean; draining: boolean; checks: { database: Check; redis: Check; migrations: Check } };

let redis: Redis | undefined;
/** Set once every committed migration was seen applied (they are never unapplied while we run). */
let migrationsApplied = false;

async function probe(run: () => Promise<unknown>): Promise<Check> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, ms: Date.now() - started };
  } catch (err) {
    // The message names the failing part (e.g. "connect ECONNREFUSED"), never a password: URLs are not in it.
    return { ok: false, ms: Date.now() - started, error: ((err as Error)?.message ?? String(err)).slice(0, 200) };
  } finally {
    clearTimeout(timer);
  }
}

/** A client that is (re)connecting is given most of the probe's time to get there, then asked for PONG. */
async function pingRedis(client: Redis): Promise<void> {
  const deadline = Date.now() + PROBE_TIMEOUT_MS - 200;
  while (client.status !== 'ready') {
    if (Date.now() > deadline) throw new Error(`no connection to Redis (${client.status})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await client.ping();
}

async function checkMigrations(): Promise<void> {
  if (migrationsApplied) return;
  const rows = await db().$queryRaw<Array<{ name: string }>>`
    SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const applied = new Set(rows.map((r) => r.name));
  const missing = readMigrations().filter((m) => !applied.has(m.name)).map((m) => m.name);
  if (missing.length) throw new Error(`not applied: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}`);
  migrationsApplied = true;
}

export async function checkReadiness(): Promise<Readiness> {
  if (!redis) {
    redis = createRedis({ maxRetriesPerRequest: 1, connectTimeout: PROBE_TIMEOUT_MS });
    redis.on('error', () => undefined); // reported through the probe
  }
  const [database, redisCheck, migrations] = await Promise.all([
    probe(() => db().$queryRaw`SELECT 1`),
    probe(() => pingRedis(redis!)),
    probe(checkMigrations),
  ]);
  const draining = isDraining();
  return { ready: database.ok && redisCheck.ok && migrations.ok && !draining, draining, checks: { database, redis: redisCheck, migrations } };
}
