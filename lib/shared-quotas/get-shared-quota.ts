// AdminSquotaGetWithHash: the quota, the hash AdminSquotaSetWithHash can be guarded with, and the bytes its
// vaults use now.
import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { findSharedQuota } from './find-shared-quota';
import { measureQuotaUsage } from './measure-quota-usage';
import { sharedQuotaDto, sharedQuotaHash, sharedQuotaNotFound } from './quota-row';

export async function getSharedQuota({ actor, id }: { actor: AdminActor; id: string }) {
  const row = await findSharedQuota(db(), actor, id);
  if (!row) throw sharedQuotaNotFound(id);
  const usage = await measureQuotaUsage(db(), row.tenantId, [row.id]);
  return { Status: 200, Message: 'OK', SharedStorageQuota: sharedQuotaDto(row), SharedStorageQuotaHash: sharedQuotaHash(row), CurrentUsage: usage.get(row.id) ?? 0 };
}
