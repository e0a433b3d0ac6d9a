// admin/storage/delete-bucket (AdminStorageDeleteBucket): removes the bucket row (with SEVT_BUCKET_REMOVED
// in the same transaction), then its objects. The folder is renamed away first so a half-finished removal
// never leaves a readable bucket behind; what a crash leaves is swept with the next deletion.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { emitEvent } from '../events/emit';
import type { Actor, AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { bucketDir, isBucketId, storageRoot } from './bucket-paths';
import { bucketNotFound } from './find-bucket';

const TRASH = '.trash';

export async function deleteBucket({ actor, bucketId }: { actor: AdminActor; bucketId: string }): Promise<void> {
  if (!isBucketId(bucketId)) throw bucketNotFound(bucketId);
  await db().$transaction(async (tx) => {
    const row = await tx.storageBucket.findFirst({ where: { id: bucketId, ...tenantWhere(actor) }, select: { id: true, tenantId: true } });
    if (!row) throw bucketNotFound(bucketId);
    // tenancy: derived — the row was found in scope just above
    await tx.storageBucket.delete({ where: { id: row.id } });
    await emitEvent(tx, actor, { tenantId: row.tenantId, type: SEVT.SEVT_BUCKET_REMOVED, resourceId: row.id, data: { BucketID: row.id } });
  });
  await removeBucketFiles(bucketId);
}

/** Removes a bucket made by a provisioning that then failed (the bucket id is the provisioner's own). */
export async function dropProvisionedBucket(actor: Actor, tenantId: string, bucketId: string): Promise<void> {
  await db().$transaction(async (tx) => {
    // tenancy: derived — the bucket was just created by this provisioning in this tenant
    const gone = await tx.storageBucket.deleteMany({ where: { id: bucketId, tenantId } });
    if (gone.count) await emitEvent(tx, actor, { tenantId, type: SEVT.SEVT_BUCKET_REMOVED, resourceId: bucketId, data: { BucketID: bucketId } });
  });
  await removeBucketFiles(bucketId);
}

/** Moves a bucket's folder to the trash and empties the trash. */
export async function removeBucketFiles(bucketId: string): Promise<void> {
  const trash = path.join(storageRoot(), TRASH);
  await fs.mkdir(trash, { recursive: true });
  await fs.rename(bucketDir(bucketId), path.join(trash, `${bucketId}-${randomBytes(4).toString('hex')}`)).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  await fs.rm(trash, { recursive: true, force: true });
}
