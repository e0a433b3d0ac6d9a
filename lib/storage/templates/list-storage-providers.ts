// admin/request-storage-vault-providers and user/web/request-storage-vault-providers: the Storage
// Templates a vault can be requested from, as {ID: Description}. An admin sees its organization's (a
// top-level admin: the server's, or TargetOrganization's); an end user its organization's, without the
// ones its policy does not allow (PreventRequestStorageVault: none).
import { db } from '../../db/client';
import type { AdminActor, UserActor } from '../../tenancy/actor';
import { ownTenantWhere, targetTenant } from '../../tenancy/scope';
import { findOwnAccount } from '../../users/find-account';
import { profileAndHash } from '../../users/profile-hash';
import { templateAllowedByPolicy } from './request-policy';

export async function listStorageProviders({ actor, targetOrganization }: { actor: AdminActor | UserActor; targetOrganization?: string }): Promise<Record<string, string>> {
  let where: { tenantId: string };
  let policy: Record<string, any> | null = null;
  if (actor.kind === 'admin') where = { tenantId: await targetTenant(actor, targetOrganization) };
  else {
    where = ownTenantWhere(actor);
    policy = (profileAndHash(await findOwnAccount(db(), actor)).profile.Policy as Record<string, any> | undefined) ?? {};
  }
  // tenancy: derived — `where` is targetTenant(...) for admins or ownTenantWhere(...) for end users, just above
  const rows = await db().storageTemplate.findMany({ where, orderBy: { position: 'asc' }, select: { templateId: true, description: true, type: true } });
  const out: Record<string, string> = {};
  for (const r of rows) if (!policy || templateAllowedByPolicy(policy, r.type) === null) out[r.templateId] = r.description;
  return out;
}
