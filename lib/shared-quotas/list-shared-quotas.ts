// AdminSquotaListAll: the shared storage quotas of the organizations the admin may see, keyed by id. Ids are
// unique per organization; for the top-level admin the same id in two organizations is listed once, its own
// organization's first (the answer is a map).
import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { sharedQuotaDto, type TSharedStorageQuota } from './quota-row';

export async function listSharedQuotas({ actor }: { actor: AdminActor }): Promise<{ Status: number; Message: string; Entries: Record<string, TSharedStorageQuota> }> {
  const rows = await db().sharedStorageQuota.findMany({ where: tenantWhere(actor), orderBy: [{ id: 'asc' }, { createdAt: 'asc' }] });
  const entries: Record<string, TSharedStorageQuota> = {};
  for (const row of [...rows.filter((r) => r.tenantId === actor.tenantId), ...rows.filter((r) => r.tenantId !== actor.tenantId)]) {
    if (!(row.id in entries)) entries[row.id] = sharedQuotaDto(row);
  }
  return { Status: 200, Message: 'OK', Entries: entries };
}
