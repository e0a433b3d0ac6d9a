// admin/meta/remote-storage-vault/get (AdminMetaRemoteStorageVaultGet): the caller's organization's
// Storage Templates in order (a top-level admin's are the server's, or those of the TargetOrganization
// it names), credentials blanked.
import { db } from '../../db/client';
import type { AdminActor } from '../../tenancy/actor';
import { targetTenant } from '../../tenancy/scope';
import type { Json } from './template-secrets';

export async function getStorageTemplates({ actor, targetOrganization }: { actor: AdminActor; targetOrganization?: string }): Promise<Json[]> {
  const tenantId = await targetTenant(actor, targetOrganization);
  // tenancy: derived — tenantId is targetTenant(...) just above
  const rows = await db().storageTemplate.findMany({ where: { tenantId }, orderBy: { position: 'asc' }, select: { data: true } });
  return rows.map((r) => r.data as Json);
}
