import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { policyNotFound } from './policy-row';

/** AdminPoliciesDelete. Accounts keep their effective policy copy but no longer follow the policy. */
export async function deletePolicy({ actor, policyId }: { actor: AdminActor; policyId: string }): Promise<void> {
  await db().$transaction(async (tx) => {
    const row = await tx.policy.findFirst({ where: { id: policyId, ...tenantWhere(actor) } });
    if (!row) throw policyNotFound(policyId);
    // tenancy: derived — the policy row (and its tenantId) was reached with tenantWhere above
    await tx.policy.delete({ where: { tenantId_id: { tenantId: row.tenantId, id: row.id } } });
    await tx.account.updateMany({ where: { tenantId: row.tenantId, policyId: row.id }, data: { policyId: '' } });
    await emitEvent(tx, actor, { tenantId: row.tenantId, type: SEVT.SEVT_POLICY_REMOVED, resourceId: row.id, data: { PolicyID: row.id } });
  });
}
