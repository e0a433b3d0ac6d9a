import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { groupPolicyDto, policyHash, policyNotFound } from './policy-row';

/** AdminPoliciesGet: the policy and the hash AdminPoliciesSet can be guarded with. */
export async function getPolicy({ actor, policyId }: { actor: AdminActor; policyId: string }) {
  const row = await db().policy.findFirst({ where: { id: policyId, ...tenantWhere(actor) } });
  if (!row) throw policyNotFound(policyId);
  return { Status: 200, Message: 'OK', Policy: groupPolicyDto(row), PolicyHash: policyHash(row) };
}
