import type { AdminActor } from '../tenancy/actor';
import { resolveTargetTenant } from '../tenancy/scope';

/** The tenant whose email options the caller reads or writes: TargetOrganization, else its own. */
export async function targetTenantId(actor: AdminActor, targetOrganization: string | undefined): Promise<string> {
  return (await resolveTargetTenant(actor, targetOrganization)) ?? actor.tenantId;
}
