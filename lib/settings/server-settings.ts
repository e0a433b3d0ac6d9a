// Server-wide settings (ServerSetting rows, one JSON value per key), read through a short in-process
// cache: they are consulted on every sign-in, and a change reaches other nodes within CACHE_MS.
import { db, type Tx } from '../db/client';

const CACHE_MS = 5_000;
const cache = new Map<string, { value: unknown; until: number }>();

/** `maxAgeMs: 0` reads the row whatever the cache holds (and refreshes the cache). */
export async function readServerSetting<T>(key: string, fallback: T, opts: { maxAgeMs?: number } = {}): Promise<T> {
  const hit = cache.get(key);
  const maxAge = opts.maxAgeMs ?? CACHE_MS;
  if (hit && hit.until - CACHE_MS + maxAge > Date.now()) return hit.value as T;
  const row = await db().serverSetting.findUnique({ where: { key }, select: { value: true } });
  const value = (row?.value as T | undefined) ?? fallback;
  cache.set(key, { value, until: Date.now() + CACHE_MS });
  return value;
}

export async function writeServerSetting(tx: Tx, key: string, value: unknown): Promise<void> {
  const json = JSON.parse(JSON.stringify(value)) as object;
  await tx.serverSetting.upsert({ where: { key }, create: { key, value: json }, update: { value: json } });
  cache.delete(key);
}
