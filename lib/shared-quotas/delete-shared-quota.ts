// AdminSquotaDelete. Vaults that still name the quota in StorageLimitID keep the id but no longer share a limit
// (their own StorageLimitBytes, when enabled, still applies).
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { findSharedQuota } from './find-shared-quota';
import { sharedQuotaNotFound } from './quota-row';

export async function deleteSharedQuota({ actor, id }: { actor: AdminActor; id: string }): Promise<void> {
  await db().$transaction(async (tx) => {
    const row = await findSharedQuota(tx, actor, id);
    if (!row) throw sharedQuotaNotFound(id);
    // tenancy: derived — the quota row (and its tenantId) was reached with tenantWhere (findSharedQuota)
    await tx.sharedStorageQuota.delete({ where: { tenantId_id: { tenantId: row.tenantId, id: row.id } } });
    await emitEvent(tx, actor, { tenantId: row.tenantId, type: SEVT.SEVT_SQUOTA_REMOVED, resourceId: row.id, data: { SharedStorageQuotaID: row.id } });
  });
}
