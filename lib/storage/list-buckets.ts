// admin/storage/list-buckets (AdminStorageListBuckets): the buckets the admin may see, keyed by BucketID
// (a tenant admin: its organization's; a top-level admin: every bucket on this node).
import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { BUCKET_SELECT, bucketToWire, type TBucketProperties } from './bucket-dto';

export async function listBuckets({ actor }: { actor: AdminActor }): Promise<Record<string, TBucketProperties>> {
  const rows = await db().storageBucket.findMany({ where: tenantWhere(actor), select: BUCKET_SELECT, orderBy: { id: 'asc' } });
  const out: Record<string, TBucketProperties> = {};
  for (const row of rows) out[row.id] = bucketToWire(row);
  return out;
}
