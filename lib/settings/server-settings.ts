// Server-wide settings (ServerSetting rows, one JSON value per key), read through a short in-process
// cache: they are consulted on every sign-in, and a change reaches other nodes within CACHE_MS.
import { db, type Tx } from '../db/client';

const CACHE_MS = 5_000;
const cache = new Map<string, { value: unknown; until: number }>();
const reading = new Map<string, Promise<unknown>>();

/**
 * `maxAgeMs: 0` reads the row whatever the cache holds (and refreshes the cache). `client`: read through the caller's
 * transaction. Code running inside a transaction must pass it: a read on another pool connection while the
 * transaction holds one deadlocks the pool when enough such transactions run at once.
 */
export async function readServerSetting<T>(key: string, fallback: T, opts: { maxAgeMs?: number; client?: Tx } = {}): Promise<T> {
  const hit = cache.get(key);
  const maxAge = opts.maxAgeMs ?? CACHE_MS;
  if (hit && hit.until - CACHE_MS + maxAge > Date.now()) return (hit.value as T | undefined) ?? fallback;
  // Concurrent misses of one key share one read (a burst of sign-ins must not take a connection each).
  // A fresh read (maxAgeMs 0) never joins one that may have started before the caller's own write.
  let read = maxAge > 0 && !opts.client ? reading.get(key) : undefined;
  if (!read) {
    read = (opts.client ?? db()).serverSetting
      .findUnique({ where: { key }, select: { value: true } })
      .then((row) => {
        // A read inside a transaction may see that transaction's own uncommitted write: not for the cache.
        if (!opts.client) cache.set(key, { value: row?.value, until: Date.now() + CACHE_MS });
        return row?.value;
      })
      .finally(() => {
        if (reading.get(key) === read) reading.delete(key);
      });
    if (maxAge > 0 && !opts.client) reading.set(key, read);
  }
  return ((await read) as T | undefined) ?? fallback;
}

export async function writeServerSetting(tx: Tx, key: string, value: unknown): Promise<void> {
  const json = JSON.parse(JSON.stringify(value)) as object;
  await tx.serverSetting.upsert({ where: { key }, create: { key, value: json }, update: { value: json } });
  cache.delete(key);
}
