// admin/meta/constellation/config/get (AdminMetaConstellationConfigGet): the caller's organization's
// Constellation Role options (each organization has its own). Credentials in Servers are blanked.
import type { AdminActor } from '../tenancy/actor';
import { requirePermission } from '../tenancy/permissions';
import { ownTenantWhere } from '../tenancy/scope';
import { loadConstellationConfig, SERVER_SECRET_FIELDS, type TConstellationRoleOptions } from './config-store';

export async function getConstellationConfig({ actor }: { actor: AdminActor }): Promise<TConstellationRoleOptions> {
  requirePermission(actor, 'constellation.role');
  const options = await loadConstellationConfig(ownTenantWhere(actor).tenantId);
  return { ...options, Servers: options.Servers.map(blankSecrets) };
}

function blankSecrets(server: Record<string, unknown>): TConstellationRoleOptions['Servers'][number] {
  const out = { ...server } as TConstellationRoleOptions['Servers'][number];
  for (const field of SERVER_SECRET_FIELDS) if (field in out) out[field] = field === 'Password' ? '' : undefined;
  for (const field of SERVER_SECRET_FIELDS) if (out[field] === undefined) delete out[field];
  return out;
}
