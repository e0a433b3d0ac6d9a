// One shared storage quota the admin may see, by id: its own organization's first (a top-level admin may see
// the same id in several organizations), then the oldest. Null when there is none (or only another tenant's).
import type { Tx } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import type { SharedQuotaRow } from './quota-row';

export async function findSharedQuota(client: Tx, actor: AdminActor, id: string): Promise<SharedQuotaRow | null> {
  const rows = await client.sharedStorageQuota.findMany({ where: { id, ...tenantWhere(actor) }, orderBy: { createdAt: 'asc' } });
  return rows.find((r) => r.tenantId === actor.tenantId) ?? rows[0] ?? null;
}
