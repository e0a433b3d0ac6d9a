import { randomUUID } from 'node:crypto';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { targetTenant } from '../tenancy/scope';
import { checkPolicyFields } from './check-policy-fields';
import { clearOtherDefaultPolicies } from './clear-other-default-policies';
import { policyHash, unknownPolicyFields } from './policy-row';

/** AdminPoliciesNew. Top-level admins may create it in a tenant through GroupPolicy.OrganizationID. */
export async function newPolicy({ actor, policy }: { actor: AdminActor; policy: Record<string, unknown> }) {
  checkPolicyFields(policy);
  const org = typeof policy.OrganizationID === 'string' ? policy.OrganizationID : '';
  const tenantId = actor.isTopLevel ? await targetTenant(actor, org || undefined) : actor.tenantId;
  const now = BigInt(Math.floor(Date.now() / 1000));
  return db().$transaction(async (tx) => {
    const row = await tx.policy.create({
      data: {
        id: randomUUID(),
        tenantId,
        description: typeof policy.Description === 'string' ? policy.Description : '',
        defaultUserPolicy: policy.DefaultUserPolicy === true,
        policy: (policy.Policy ?? {}) as object,
        data: unknownPolicyFields(policy) as object,
        createdDate: now,
        modifiedDate: now,
      },
    });
    if (row.defaultUserPolicy) await clearOtherDefaultPolicies(tx, tenantId, row.id);
    await emitEvent(tx, actor, { tenantId, type: SEVT.SEVT_POLICY_NEW, resourceId: row.id, data: { PolicyID: row.id, Description: row.description } });
    // Comet's CreateGroupPolicyResponse has no ID field: the new ID is the Message, and Halley adds PolicyID.
    return { Status: 200, Message: row.id, PolicyHash: policyHash(row), PolicyID: row.id };
  });
}
