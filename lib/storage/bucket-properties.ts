// admin/storage/bucket-properties (AdminStorageBucketProperties). The size is measured in the background;
// with AfterTimestamp the answer waits (bounded) for a measurement that started at or after that time,
// asking for one when the last is older. Without it, the last measurement is answered (and one is asked
// for when the bucket was never measured).
import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { BUCKET_SELECT, bucketToWire, type TBucketProperties } from './bucket-dto';
import { bucketNotFound } from './find-bucket';
import { enqueueBucketMeasurement } from './storage-queue';

const WAIT_MS = 25_000;

export async function bucketProperties({ actor, bucketId, afterTimestamp }: { actor: AdminActor; bucketId: string; afterTimestamp?: number }): Promise<TBucketProperties> {
  const read = () => db().storageBucket.findFirst({ where: { id: bucketId, ...tenantWhere(actor) }, select: BUCKET_SELECT });
  let row = await read();
  if (!row) throw bucketNotFound(bucketId);
  const after = afterTimestamp === undefined ? undefined : Math.min(afterTimestamp, Math.floor(Date.now() / 1000));
  const fresh = (r: NonNullable<typeof row>) =>
    after === undefined ? r.measureCompleted > 0n : r.measureStarted >= BigInt(after) && r.measureCompleted >= r.measureStarted;
  if (fresh(row)) return bucketToWire(row);
  await enqueueBucketMeasurement(row.tenantId, row.id);
  if (after === undefined) return bucketToWire(row);
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    const next = await read();
    if (!next) throw bucketNotFound(bucketId);
    row = next;
    if (fresh(row)) break;
  }
  return bucketToWire(row);
}
