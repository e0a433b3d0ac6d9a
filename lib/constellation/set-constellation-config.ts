// admin/meta/constellation/config/set (AdminMetaConstellationConfigSet): the caller's organization's
// Constellation Role options. Servers are other Halley or Comet servers (Type "comet": RemoteAddress, Username,
// Password of an admin there); each is checked against the outbound guard, and its credentials are sealed at
// rest. An empty Password keeps the stored one of the same server and user (config/get answers it blank).
import { StreamableEventType as SEVT, RemoteServerType } from '../comet/constants';
import { db, type Tx } from '../db/client';
import { BadRequestError } from '../errors';
import { emitEvent } from '../events/emit';
import { outboundHostRefusal } from '../net/private-targets';
import type { AdminActor } from '../tenancy/actor';
import { requirePermission } from '../tenancy/permissions';
import { ownTenantWhere } from '../tenancy/scope';
import { apiMessage } from '../i18n/api-messages';
import { exceedsLength } from '../validation/text-length';
import { isHttpUrl } from '../validation/http-url';
import { loadConstellationConfig, sealServers, type TConstellationRoleOptions } from './config-store';

const MAX_SERVERS = 20;

type PreparedConstellationConfig = { tenantId: string; clean: TConstellationRoleOptions['Servers']; data: { roleEnabled: boolean; deleteUnusedData: boolean; servers: ReturnType<typeof sealServers> } };

export async function setConstellationConfig({ actor, options }: { actor: AdminActor; options: TConstellationRoleOptions }): Promise<void> {
  const prepared = await prepareConstellationConfig({ actor, options });
  await db().$transaction((tx) => writeConstellationConfig(tx, actor, prepared));
}

/** Checks the options (servers through the outbound guard) without writing: server-config/set checks every part first. */
export async function prepareConstellationConfig({ actor, options }: { actor: AdminActor; options: TConstellationRoleOptions }): Promise<PreparedConstellationConfig> {
  requirePermission(actor, 'constellation.role');
  if (typeof options !== 'object' || options === null || typeof options.RoleEnabled !== 'boolean' || typeof options.DeleteUnusedData !== 'boolean') {
    throw new BadRequestError(apiMessage('constellationOptionsIncomplete'));
  }
  const servers = options.Servers ?? [];
  if (!Array.isArray(servers)) throw new BadRequestError(apiMessage('constellationServersNotList'));
  if (servers.length > MAX_SERVERS) throw new BadRequestError(apiMessage('constellationServersTooMany', { limit: String(MAX_SERVERS) }));
  const { tenantId } = ownTenantWhere(actor);
  const stored = (await loadConstellationConfig(tenantId)).Servers;
  const clean: TConstellationRoleOptions['Servers'] = [];
  for (const [i, s] of servers.entries()) clean.push(await checkServer(s, `Servers[${i}]`, stored));
  return { tenantId, clean, data: { roleEnabled: options.RoleEnabled, deleteUnusedData: options.DeleteUnusedData, servers: sealServers(clean) } };
}

export async function writeConstellationConfig(tx: Tx, actor: AdminActor, { tenantId, clean, data }: PreparedConstellationConfig): Promise<void> {
  // tenancy: own — the caller's own organization's row, keyed by its tenant id
  await tx.constellationConfig.upsert({ where: { tenantId }, create: { tenantId, ...data }, update: data });
  await emitEvent(tx, actor, {
    tenantId,
    type: SEVT.SEVT_SERVER_UPDATED,
    resourceId: '',
    data: { Constellation: { RoleEnabled: data.roleEnabled, DeleteUnusedData: data.deleteUnusedData, Servers: clean.map((s) => s.RemoteAddress) } },
  });
}

export async function checkServer(raw: unknown, where: string, stored: TConstellationRoleOptions['Servers']): Promise<TConstellationRoleOptions['Servers'][number]> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new BadRequestError(apiMessage('remoteServerNotObject', { where }));
  const s = raw as Record<string, unknown>;
  if (s.Type !== RemoteServerType.REMOTESERVER_COMET) {
    throw new BadRequestError(apiMessage('constellationServerTypeUnsupported', { where, type: String(s.Type ?? '').slice(0, 40) }));
  }
  const address = String(s.RemoteAddress ?? '').trim().replace(/\/+$/, '');
  if (!isHttpUrl(address)) throw new BadRequestError(apiMessage('constellationRemoteAddressInvalid', { where }));
  const refusal = await outboundHostRefusal(new URL(address).hostname.replace(/^\[|\]$/g, ''), 'Constellation server');
  if (refusal) throw new BadRequestError(apiMessage('fieldCause', { field: `${where}.RemoteAddress`, cause: refusal }));
  const username = String(s.Username ?? '');
  if (username.trim() === '') throw new BadRequestError(apiMessage('constellationUsernameEmpty', { where }));
  const description = String(s.Description ?? '');
  if (exceedsLength(description, 200) !== null || exceedsLength(username, 200) !== null) throw new BadRequestError(apiMessage('constellationServerFieldsTooLong', { where, limit: '200' }));
  let password = typeof s.Password === 'string' ? s.Password : '';
  if (password === '') {
    const same = stored.find((o) => o.RemoteAddress === address && o.Username === username);
    password = typeof same?.Password === 'string' ? same.Password : '';
  }
  if (password === '') throw new BadRequestError(apiMessage('fieldEmpty', { field: `${where}.Password` }));
  return { Type: RemoteServerType.REMOTESERVER_COMET, Description: description, RemoteAddress: address, Username: username, Password: password };
}
