// The stored Constellation Role options of one organization (ConstellationConfig), shared by the config
// endpoints, the report and the sweep. Servers carry credentials, so they are sealed at rest.
import { db } from '../db/client';
import { sealJson, unsealJson } from '../secrets';

type TRemoteServer = Record<string, unknown> & { Type: string; Description: string };
export type TConstellationRoleOptions = { RoleEnabled: boolean; DeleteUnusedData: boolean; Servers: TRemoteServer[] };

/** RemoteServerAddress fields that hold credentials: never returned by an endpoint. */
export const SERVER_SECRET_FIELDS = ['Password', 'LDAP', 'OIDC', 'B2', 'Wasabi', 'Custom', 'S3', 'AWS', 'Storj', 'ImpPartner'];

export async function loadConstellationConfig(tenantId: string): Promise<TConstellationRoleOptions> {
  // tenancy: derived — callers pass the organization they already resolved (the actor's own, or the job's)
  const row = await db().constellationConfig.findUnique({ where: { tenantId } });
  if (!row) return { RoleEnabled: false, DeleteUnusedData: false, Servers: [] };
  return { RoleEnabled: row.roleEnabled, DeleteUnusedData: row.deleteUnusedData, Servers: unsealJson<TRemoteServer[]>(row.servers) ?? [] };
}

export function sealServers(servers: TRemoteServer[]): string {
  return sealJson(servers);
}
