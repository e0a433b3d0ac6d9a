// Halley: one page of the registered devices the admin may see, with their live state, for the console's
// devices table: paged, searched and filtered (online/offline, outdated client, operating system) in
// PostgreSQL. Live connections are in Redis: they enter the statement as "accountId/deviceId" keys.
import { compareVersions, CLIENT_VERSION } from '../client-builds/client-version';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import { Prisma } from '../generated/prisma/client';
import { wireOrganizationId, type AdminActor } from '../tenancy/actor';
import { canSee } from '../tenancy/can-see';
import { tenantSql } from '../tenancy/tenant-sql';
import type { DeviceState, DeviceStatusFilter } from './list-device-states';
import { relay } from './relay';

const MAX_LIMIT = 500;

export type DevicePageRow = DeviceState & {
  /** The operating system the device reported when it registered or last connected ("windows", "linux", ...). */
  OS: string;
  /** The client is older than the one this server deploys. */
  Outdated: boolean;
};

export type DevicePage = { Devices: DevicePageRow[]; TotalCount: number; ClientVersion: string; Platforms: string[] };

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listDevicePage(opts: {
  actor: AdminActor;
  offset?: number;
  limit?: number;
  query?: string;
  status?: string;
  os?: string;
  outdated?: boolean;
}): Promise<DevicePage> {
  const limit = opts.limit ?? 50;
  const offset = opts.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new BadRequestError(apiMessage('limitRange', { max: String(MAX_LIMIT) }));
  if (!Number.isInteger(offset) || offset < 0) throw new BadRequestError(apiMessage('offsetNegative'));
  const status = (opts.status ?? '') as DeviceStatusFilter;
  if (status !== '' && status !== 'online' && status !== 'offline') throw new BadRequestError(apiMessage('deviceStatusOneOf'));
  const query = (opts.query ?? '').trim().slice(0, 200);
  const os = (opts.os ?? '').trim().slice(0, 64);

  const connections = (await relay().listConnections()).filter((c) => canSee(opts.actor, c.tenantId));
  const live = new Map(connections.map((c) => [`${c.accountId}/${c.deviceId}`, c]));
  const keys = [...live.keys()];
  const scope = tenantSql(opts.actor, Prisma.raw('d."tenantId"'));
  const versions = await db().$queryRaw<Array<{ v: string }>>`SELECT DISTINCT d."clientVersion" AS v FROM "Device" d WHERE ${scope} AND d."clientVersion" IS NOT NULL`;
  // A device that never reported a version is not outdated: nothing is known of it.
  const outdatedVersions = versions.map((r) => r.v).filter((v) => v !== '' && compareVersions(v, CLIENT_VERSION) < 0);

  const parts: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (query) {
    const like = `%${likeEscape(query)}%`;
    parts.push(Prisma.sql`(d."friendlyName" ILIKE ${like} OR d."deviceId" ILIKE ${like} OR a."username" ILIKE ${like})`);
  }
  const key = Prisma.sql`(d."accountId" || '/' || d."deviceId")`;
  if (status === 'online') parts.push(Prisma.sql`${key} = ANY(${keys}::text[])`);
  if (status === 'offline') parts.push(Prisma.sql`NOT (${key} = ANY(${keys}::text[]))`);
  if (os) parts.push(Prisma.sql`lower(d."data"->'PlatformVersion'->>'os') = ${os.toLowerCase()}`);
  if (opts.outdated) parts.push(Prisma.sql`d."clientVersion" = ANY(${outdatedVersions}::text[])`);
  const where = Prisma.join(parts, ' AND ');

  const [rows, count, platforms] = await Promise.all([
    db().$queryRaw<Array<{ username: string; deviceId: string; friendlyName: string; clientVersion: string | null; tenantId: string; accountId: string; os: string | null }>>`
      SELECT a."username", d."deviceId", d."friendlyName", d."clientVersion", d."tenantId", d."accountId", d."data"->'PlatformVersion'->>'os' AS os
      FROM "Device" d JOIN "Account" a ON a."id" = d."accountId"
      WHERE ${scope} AND ${where}
      ORDER BY a."username" ASC, d."position" ASC, d."deviceId" ASC
      LIMIT ${limit} OFFSET ${offset}`,
    db().$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM "Device" d JOIN "Account" a ON a."id" = d."accountId" WHERE ${scope} AND ${where}`,
    db().$queryRaw<Array<{ os: string }>>`
      SELECT DISTINCT lower(d."data"->'PlatformVersion'->>'os') AS os FROM "Device" d
      WHERE ${scope} AND COALESCE(d."data"->'PlatformVersion'->>'os', '') <> '' ORDER BY 1`,
  ]);
  const outdated = new Set(outdatedVersions);
  return {
    Devices: rows.map((d) => {
      const c = live.get(`${d.accountId}/${d.deviceId}`);
      const version = c?.version ?? d.clientVersion ?? '';
      return {
        Username: d.username,
        DeviceID: d.deviceId,
        FriendlyName: d.friendlyName,
        ClientVersion: version,
        OrganizationID: wireOrganizationId(d.tenantId),
        Online: Boolean(c),
        ConnectionID: c?.connectionId ?? '',
        ReportedPlatform: c?.platform ?? '',
        IPAddress: c?.ip ?? '',
        ConnectionTime: c?.connectedAt ?? 0,
        OS: c?.platformVersion?.os || d.os || '',
        Outdated: outdated.has(d.clientVersion ?? '') || (version !== '' && compareVersions(version, CLIENT_VERSION) < 0),
      };
    }),
    TotalCount: Number(count[0]?.n ?? 0),
    ClientVersion: CLIENT_VERSION,
    Platforms: platforms.map((p) => p.os),
  };
}
