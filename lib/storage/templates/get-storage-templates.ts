// admin/meta/remote-storage-vault/get (AdminMetaRemoteStorageVaultGet): the caller's organization's
// Storage Templates in order (a top-level admin's are the server's), credentials blanked.
import { db } from '../../db/client';
import type { AdminActor } from '../../tenancy/actor';
import { ownTenantWhere } from '../../tenancy/scope';
import type { Json } from './template-secrets';

export async function getStorageTemplates({ actor }: { actor: AdminActor }): Promise<Json[]> {
  const rows = await db().storageTemplate.findMany({ where: ownTenantWhere(actor), orderBy: { position: 'asc' }, select: { data: true } });
  return rows.map((r) => r.data as Json);
}
