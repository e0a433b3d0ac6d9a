// admin/meta/psa-config-list/get (Comet AdminMetaPsaConfigListGet): the caller's organization's PSA list, in
// order. A top-level admin's list is the server's (ServerConfigOptions.PSAConfigs), a tenant admin's its
// tenant's (Organization.PSAConfigs). Secrets are blank/masked (psa-wire.ts).
import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { ownTenantWhere } from '../tenancy/scope';
import type { TPsaConfigWire } from './psa-config';
import { psaConfigToWire } from './psa-wire';

export async function getPsaConfigs({ actor }: { actor: AdminActor }): Promise<TPsaConfigWire[]> {
  const rows = await db().psaConfig.findMany({ where: ownTenantWhere(actor), orderBy: { position: 'asc' } });
  return rows.map(psaConfigToWire);
}
