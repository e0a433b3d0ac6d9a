// Version counters in Redis, for per-process caches that every web node must drop when something changes on
// any node (the current campaign, an organization's news): the writer bumps the counter after its change
// committed, a reader compares one GET with the version its cached value was read at. One connection per
// process serves every counter.
import type { Redis } from 'ioredis';
import { createRedis } from './connection';

let redis: Redis | undefined;

function r(): Redis {
  redis ??= createRedis({ maxRetriesPerRequest: 2 });
  return redis;
}

/** The counter's value (null before its first bump). */
export function readVersion(key: string): Promise<string | null> {
  return r().get(key);
}

/** Moves the counter: every reader's cached value is stale from now on. */
export async function bumpVersion(key: string): Promise<void> {
  await r().incr(key);
}

/** Closes this process's connection (tests, shutdown); the next call opens a new one. */
export async function closeVersionCounters(): Promise<void> {
  const c = redis;
  redis = undefined;
  await c?.quit().catch(() => c.disconnect());
}
