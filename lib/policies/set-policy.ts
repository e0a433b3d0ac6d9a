import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError, ConflictError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { resolveTargetTenant, targetTenant, tenantWhere } from '../tenancy/scope';
import { checkPolicyFields } from './check-policy-fields';
import { clearOtherDefaultPolicies } from './clear-other-default-policies';
import { policyHash, unknownPolicyFields } from './policy-row';
import { propagatePolicy } from './propagate-policy';
import { apiMessage } from '../i18n/api-messages';

type SetPolicyOptions = { actor: AdminActor; policyId: string; policy: Record<string, unknown>; checkHash?: string; deleteSources?: string[] };

/**
 * AdminPoliciesSet, optionally guarded by CheckPolicyHash: updates the policy, or creates it under the given
 * PolicyID when the caller's scope has none (Comet's "update or create"). PolicyIDs are unique per tenant
 * (Policy's key is tenantId + id), so another tenant's policy with the same id is never reached, changed or
 * revealed: the call answers exactly as for an id nobody uses, and creates the caller's own policy.
 * A top-level admin's Policy.OrganizationID picks the tenant (as in policies/new); without it, its own.
 */
export async function setPolicy(opts: SetPolicyOptions) {
  const { actor, policy } = opts;
  const policyId = opts.policyId.trim();
  if (policyId === '' || policyId.length > 255) throw new BadRequestError(apiMessage('policyIdInvalid'));
  checkPolicyFields(policy);
  const org = typeof policy.OrganizationID === 'string' ? policy.OrganizationID : '';
  const scope = actor.isTopLevel ? tenantWhere(actor, await resolveTargetTenant(actor, org || undefined)) : tenantWhere(actor);
  const now = BigInt(Math.floor(Date.now() / 1000));
  const fields = {
    description: typeof policy.Description === 'string' ? policy.Description : '',
    defaultUserPolicy: policy.DefaultUserPolicy === true,
    policy: (policy.Policy ?? {}) as object,
    data: unknownPolicyFields(policy) as object,
    modifiedDate: now,
  };
  const updated = await db().$transaction(async (tx) => {
    // A top-level admin without OrganizationID may reach the same id in several tenants: its own tenant's
    // first, then the oldest, so the answer is stable.
    const found = await tx.policy.findMany({ where: { id: policyId, ...scope }, select: { tenantId: true }, orderBy: { createdDate: 'asc' } });
    const current = found.find((f) => f.tenantId === actor.tenantId) ?? found[0];
    if (!current) {
      if (opts.checkHash) throw new ConflictError(apiMessage('policyDeletedSinceRead'));
      return false;
    }
    // tenancy: derived — the policy's tenant was reached with tenantWhere above
    await tx.$executeRaw`SELECT 1 FROM "Policy" WHERE "tenantId" = ${current.tenantId} AND id = ${policyId} FOR UPDATE`;
    const key = { tenantId_id: { tenantId: current.tenantId, id: policyId } };
    // tenancy: derived — the policy's tenant was reached with tenantWhere above
    const locked = (await tx.policy.findUnique({ where: key }))!;
    if (opts.checkHash && opts.checkHash !== policyHash(locked)) {
      throw new ConflictError(apiMessage('policyChangedSinceRead'));
    }
    // tenancy: derived — the policy's tenant was reached with tenantWhere above
    const row = await tx.policy.update({ where: key, data: fields });
    if (row.defaultUserPolicy) await clearOtherDefaultPolicies(tx, row.tenantId, row.id);
    await emitEvent(tx, actor, { tenantId: row.tenantId, type: SEVT.SEVT_POLICY_UPDATED, resourceId: row.id, data: { PolicyID: row.id, Description: row.description } });
    await propagatePolicy(tx, actor, row);
    if (opts.deleteSources?.length) {
      // PolicyOptions.DeleteSources: protected items created from this policy's defaults that are to go.
      // tenancy: derived — the policy row (and its tenantId) was reached with tenantWhere above
      await tx.protectedItem.deleteMany({ where: { tenantId: row.tenantId, itemId: { in: opts.deleteSources }, account: { policyId: row.id } } });
    }
    return true;
  });
  if (updated) return;
  // Tenant admins create in their own tenant whatever OrganizationID says (it is their own when read back).
  const tenantId = actor.isTopLevel ? await targetTenant(actor, org || undefined) : actor.tenantId;
  await createPolicy(opts, policyId, tenantId, { ...fields, createdDate: now });
}

/**
 * The "create" half, in its own transaction: INSERT … ON CONFLICT DO NOTHING, so two concurrent creations
 * of one id in one tenant end with one row; the loser updates the winner's row by calling setPolicy again.
 */
async function createPolicy(opts: SetPolicyOptions, policyId: string, tenantId: string, fields: Record<string, unknown> & { createdDate: bigint; modifiedDate: bigint }) {
  const created = await db().$transaction(async (tx) => {
    const { count } = await tx.policy.createMany({ data: [{ id: policyId, tenantId, ...(fields as object) } as never], skipDuplicates: true });
    if (count === 0) return false;
    // tenancy: derived — the row was just created in the tenant the caller may act in (targetTenant)
    const row = (await tx.policy.findUnique({ where: { tenantId_id: { tenantId, id: policyId } } }))!;
    if (row.defaultUserPolicy) await clearOtherDefaultPolicies(tx, tenantId, row.id);
    await emitEvent(tx, opts.actor, { tenantId, type: SEVT.SEVT_POLICY_NEW, resourceId: row.id, data: { PolicyID: row.id, Description: row.description } });
    // Accounts of this tenant that already name the id (a profile saved with it) follow the new policy.
    await propagatePolicy(tx, opts.actor, row);
    return true;
  });
  if (!created) await setPolicy({ ...opts, checkHash: undefined });
}
