// The background size measurement of a bucket (BucketProperties.Size): walks the bucket's folder and
// records the bytes with the Unix seconds the measurement started and completed. Idempotent: a rerun
// simply measures again. The hourly sweep measures every bucket whose measurement is older than an hour.
import fs from 'node:fs/promises';
import path from 'node:path';
import { db } from '../db/client';
import { objectsDir } from './bucket-paths';
import { enqueueBucketMeasurement } from './storage-queue';

const now = () => BigInt(Math.floor(Date.now() / 1000));

async function folderSize(dir: string): Promise<number> {
  let total = 0;
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += await folderSize(p);
    else if (e.isFile() && !e.name.endsWith('.part')) total += (await fs.stat(p).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

export async function measureBucket({ tenantId, bucketId }: { tenantId: string; bucketId: string }): Promise<{ size: number } | null> {
  const started = now();
  // tenancy: system — a background job; the ids come from its payload, written by a scoped caller
  const marked = await db().storageBucket.updateMany({ where: { id: bucketId, tenantId }, data: { measureStarted: started } });
  if (marked.count === 0) return null; // deleted meanwhile
  const size = await folderSize(objectsDir(bucketId));
  // tenancy: system — the same background job, ids from its payload
  await db().storageBucket.updateMany({ where: { id: bucketId, tenantId, measureStarted: started }, data: { sizeBytes: BigInt(size), measureCompleted: now() } });
  return { size };
}

/** The hourly sweep: a measurement for every bucket not measured in the last hour. */
export async function measureStaleBuckets(): Promise<{ queued: number }> {
  const cutoff = now() - 3600n;
  // tenancy: system — server-wide maintenance sweep over every bucket on this Storage Role
  const stale = await db().storageBucket.findMany({ where: { measureCompleted: { lt: cutoff } }, select: { id: true, tenantId: true }, take: 10_000 });
  for (const b of stale) await enqueueBucketMeasurement(b.tenantId, b.id);
  return { queued: stale.length };
}
