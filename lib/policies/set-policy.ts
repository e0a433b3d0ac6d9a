import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { ConflictError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { clearOtherDefaultPolicies } from './clear-other-default-policies';
import { policyHash, policyNotFound, unknownPolicyFields } from './policy-row';
import { propagatePolicy } from './propagate-policy';

/** AdminPoliciesSet, optionally guarded by CheckPolicyHash. */
export async function setPolicy(opts: { actor: AdminActor; policyId: string; policy: Record<string, unknown>; checkHash?: string; deleteSources?: string[] }) {
  const { actor, policyId, policy } = opts;
  await db().$transaction(async (tx) => {
    const current = await tx.policy.findFirst({ where: { id: policyId, ...tenantWhere(actor) } });
    if (!current) throw policyNotFound(policyId);
    await tx.$executeRaw`SELECT 1 FROM "Policy" WHERE id = ${current.id} FOR UPDATE`;
    // tenancy: derived — the policy row (and its tenantId) was reached with tenantWhere above
    const locked = (await tx.policy.findUnique({ where: { id: current.id } }))!;
    if (opts.checkHash && opts.checkHash !== policyHash(locked)) {
      throw new ConflictError('The policy was changed by someone else since it was read (hash mismatch): read it again and retry');
    }
    // tenancy: derived — the policy row (and its tenantId) was reached with tenantWhere above
    const row = await tx.policy.update({
      where: { id: locked.id },
      data: {
        description: typeof policy.Description === 'string' ? policy.Description : '',
        defaultUserPolicy: policy.DefaultUserPolicy === true,
        policy: (policy.Policy ?? {}) as object,
        data: unknownPolicyFields(policy) as object,
        modifiedDate: BigInt(Math.floor(Date.now() / 1000)),
      },
    });
    if (row.defaultUserPolicy) await clearOtherDefaultPolicies(tx, row.tenantId, row.id);
    await emitEvent(tx, actor, { tenantId: row.tenantId, type: SEVT.SEVT_POLICY_UPDATED, resourceId: row.id, data: { PolicyID: row.id, Description: row.description } });
    await propagatePolicy(tx, actor, row);
    if (opts.deleteSources?.length) {
      // PolicyOptions.DeleteSources: protected items created from this policy's defaults that are to go.
      // tenancy: derived — the policy row (and its tenantId) was reached with tenantWhere above
      await tx.protectedItem.deleteMany({ where: { tenantId: row.tenantId, itemId: { in: opts.deleteSources }, account: { policyId: row.id } } });
    }
  });
}
