import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { resolveTargetTenant, tenantWhere } from '../tenancy/scope';
import { groupPolicyDto } from './policy-row';

async function visiblePolicies(actor: AdminActor, targetOrganization?: string) {
  const target = await resolveTargetTenant(actor, targetOrganization);
  return db().policy.findMany({ where: tenantWhere(actor, target), orderBy: [{ createdDate: 'asc' }, { id: 'asc' }] });
}

/** AdminPoliciesList: policy id -> description. */
export async function listPolicies({ actor, targetOrganization }: { actor: AdminActor; targetOrganization?: string }) {
  const rows = await visiblePolicies(actor, targetOrganization);
  return Object.fromEntries(rows.map((r) => [r.id, r.description]));
}

/** AdminPoliciesListFull: the same policies, policy id -> GroupPolicy. */
export async function listPoliciesFull({ actor, targetOrganization }: { actor: AdminActor; targetOrganization?: string }) {
  const rows = await visiblePolicies(actor, targetOrganization);
  return Object.fromEntries(rows.map((r) => [r.id, groupPolicyDto(r)]));
}
