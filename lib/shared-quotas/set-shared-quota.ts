// AdminSquotaSetWithHash: updates a shared storage quota, or creates it under the given id when the caller's
// organization has none by that id; guarded by CheckHash when given (a changed or deleted quota answers a
// conflict). Ids are unique per organization (key tenantId + id): another tenant's quota of the same id is never
// reached, changed or revealed. A top-level admin's SharedStorageQuota.OrganizationID picks the organization of a
// new quota; a tenant admin's quotas are always its own organization's.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { ConflictError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { targetTenant } from '../tenancy/scope';
import { findSharedQuota } from './find-shared-quota';
import { checkSharedQuota, checkSharedQuotaId, sharedQuotaDto, sharedQuotaHash } from './quota-row';
import { apiMessage } from '../i18n/api-messages';

type SetSharedQuotaOptions = { actor: AdminActor; id: string; quota: Record<string, unknown>; checkHash?: string };

export async function setSharedQuota(opts: SetSharedQuotaOptions): Promise<{ Status: number; Message: string; SharedStorageQuotaHash: string }> {
  const { actor } = opts;
  const id = checkSharedQuotaId(opts.id);
  const fields = checkSharedQuota(opts.quota);
  const now = BigInt(Math.floor(Date.now() / 1000));
  const org = typeof opts.quota.OrganizationID === 'string' ? opts.quota.OrganizationID : '';
  const newTenantId = actor.isTopLevel ? await targetTenant(actor, org || undefined) : actor.tenantId;
  const row = await db().$transaction(async (tx) => {
    const current = await findSharedQuota(tx, actor, id);
    let created = false;
    if (!current) {
      if (opts.checkHash) throw new ConflictError(apiMessage('sharedQuotaDeletedSinceRead'));
      // ON CONFLICT DO NOTHING: of two concurrent creations of one id, the second updates the first's row.
      const { count } = await tx.sharedStorageQuota.createMany({ data: [{ tenantId: newTenantId, id, ...fields, createdAt: now, modifiedAt: now }], skipDuplicates: true });
      created = count === 1;
    }
    const tenantId = current?.tenantId ?? newTenantId;
    // tenancy: derived — the quota's tenant was reached with tenantWhere (findSharedQuota) or is the caller's target tenant
    await tx.$executeRaw`SELECT 1 FROM "SharedStorageQuota" WHERE "tenantId" = ${tenantId} AND id = ${id} FOR UPDATE`;
    const key = { tenantId_id: { tenantId, id } };
    // tenancy: derived — the tenant reached above (findSharedQuota or the target tenant)
    const locked = (await tx.sharedStorageQuota.findUnique({ where: key }))!;
    if (current && opts.checkHash && opts.checkHash !== sharedQuotaHash(locked)) {
      throw new ConflictError(apiMessage('sharedQuotaChangedSinceRead'));
    }
    // tenancy: derived — the tenant reached above (findSharedQuota or the target tenant)
    const saved = await tx.sharedStorageQuota.update({ where: key, data: { ...fields, modifiedAt: now } });
    await emitEvent(tx, actor, { tenantId, type: created ? SEVT.SEVT_SQUOTA_NEW : SEVT.SEVT_SQUOTA_UPDATED, resourceId: id, data: { SharedStorageQuotaID: id, ...sharedQuotaDto(saved) } });
    return saved;
  });
  return { Status: 200, Message: 'OK', SharedStorageQuotaHash: sharedQuotaHash(row) };
}
