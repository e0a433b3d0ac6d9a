// admin/storage/free-space (AdminStorageFreeSpace, top level): the free space of the file system that
// holds HALLEY_STORAGE_DIR. Every bucket shares it, so BucketID (when given) must only exist.
import fs from 'node:fs/promises';
import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { requireTopLevel, tenantWhere } from '../tenancy/scope';
import { storageRoot } from './bucket-paths';
import { bucketNotFound } from './find-bucket';

type TStorageFreeSpaceInfo = { Unlimited: boolean; UsedPercent: number; AvailableBytes: number };

export async function freeSpace({ actor, bucketId }: { actor: AdminActor; bucketId?: string }): Promise<TStorageFreeSpaceInfo> {
  requireTopLevel(actor);
  if (bucketId) {
    const found = await db().storageBucket.findFirst({ where: { id: bucketId, ...tenantWhere(actor) }, select: { id: true } });
    if (!found) throw bucketNotFound(bucketId);
  }
  const root = storageRoot();
  await fs.mkdir(root, { recursive: true });
  const s = await fs.statfs(root);
  const total = s.blocks * s.bsize;
  const available = s.bavail * s.bsize;
  const used = total - s.bfree * s.bsize;
  return { Unlimited: false, UsedPercent: total > 0 ? Math.round((used / total) * 10000) / 100 : 0, AvailableBytes: available };
}
