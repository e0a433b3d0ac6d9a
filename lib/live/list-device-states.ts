// Registered devices with their live state (Halley extension, for the console's devices page).
import { db } from '../db/client';
import { TOP_LEVEL_TENANT_ID, type AdminActor } from '../tenancy/actor';
import { canSee } from '../tenancy/can-see';
import { tenantWhere } from '../tenancy/scope';
import { relay } from './relay';

export type DeviceState = {
  Username: string;
  DeviceID: string;
  FriendlyName: string;
  ClientVersion: string;
  OrganizationID: string;
  Online: boolean;
  ConnectionID: string;
  ReportedPlatform: string;
  IPAddress: string;
  ConnectionTime: number;
};

export type DeviceStatusFilter = '' | 'online' | 'offline';

/**
 * Registered devices the admin may see, online ones with their connection: at most `limit`, by username,
 * optionally only those whose name, ID or username contains `query` (any case) and only online or offline ones.
 */
export async function listDeviceStates({ actor, limit = 1000, query = '', status = '' }: { actor: AdminActor; limit?: number; query?: string; status?: DeviceStatusFilter }): Promise<DeviceState[]> {
  const connections = (await relay().listConnections()).filter((c) => canSee(actor, c.tenantId));
  const live = new Map(connections.map((c) => [`${c.accountId}/${c.deviceId}`, c]));
  const contains = { contains: query, mode: 'insensitive' as const };
  const rows = await db().device.findMany({
    where: {
      ...tenantWhere(actor),
      ...(query ? { OR: [{ friendlyName: contains }, { deviceId: contains }, { account: { username: contains } }] } : {}),
      // Online: only the accounts and device IDs that have a connection (the exact pairs are matched below).
      ...(status === 'online' ? { accountId: { in: [...new Set(connections.map((c) => c.accountId))] }, deviceId: { in: [...new Set(connections.map((c) => c.deviceId))] } } : {}),
    },
    select: { deviceId: true, friendlyName: true, clientVersion: true, tenantId: true, accountId: true, account: { select: { username: true } } },
    orderBy: [{ account: { username: 'asc' } }, { position: 'asc' }],
    // Offline: enough rows that `limit` remain after the online ones are left out.
    take: status === 'offline' ? limit + live.size : status === 'online' ? undefined : limit,
  });
  const picked = status ? rows.filter((d) => live.has(`${d.accountId}/${d.deviceId}`) === (status === 'online')).slice(0, limit) : rows;
  return picked.map((d) => {
    const c = live.get(`${d.accountId}/${d.deviceId}`);
    return {
      Username: d.account.username,
      DeviceID: d.deviceId,
      FriendlyName: d.friendlyName,
      ClientVersion: c?.version ?? d.clientVersion ?? '',
      OrganizationID: d.tenantId === TOP_LEVEL_TENANT_ID ? '' : d.tenantId,
      Online: Boolean(c),
      ConnectionID: c?.connectionId ?? '',
      ReportedPlatform: c?.platform ?? '',
      IPAddress: c?.ip ?? '',
      ConnectionTime: c?.connectedAt ?? 0,
    };
  });
}
