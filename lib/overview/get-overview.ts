// Halley: the console's operations overview (HalleyOverview) — what needs an MSP's attention now, per
// organization: failed / warning / missed jobs over 24 h and 7 d, devices offline for more than N days,
// outdated clients, storage used and its growth (usage ledger), users over or near their quota, recent
// sign-in failures. Each figure is one set-based statement over every organization the admin may see
// (tenancy through tenantSql in the statement), grouped by organization: no per-tenant or per-row query.
import { compareVersions, CLIENT_VERSION } from '../client-builds/client-version';
import { JobStatus, StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { Prisma } from '../generated/prisma/client';
import { relay } from '../live/relay';
import { wireOrganizationId, type AdminActor } from '../tenancy/actor';
import { canSee } from '../tenancy/can-see';
import { tenantSql } from '../tenancy/tenant-sql';
import { DAY_SECONDS, dayIso, dayStart, dayUnixOf } from '../usage/day';
import { apiMessage } from '../i18n/api-messages';

/** A user is "near" the quota from this share of it. */
const NEAR_QUOTA_RATIO = 0.9;
const DEFAULT_OFFLINE_DAYS = 7;
const MAX_OFFLINE_DAYS = 3650;
const LIST_LIMIT = 10;
const JOB_DAYS = 7;
const STORAGE_DAYS = 30;

type TJobCounts = { Failed: number; Warning: number; Missed: number };

type TOrganizationFigures = {
  OrganizationID: string;
  Name: string;
  Jobs24h: TJobCounts;
  Jobs7d: TJobCounts;
  Devices: number;
  DevicesOffline: number;
  DevicesOutdated: number;
  StorageBytes: number;
  /** Storage now minus storage 7 days before (ledger days), bytes. */
  StorageGrowth7d: number;
  UsersOverQuota: number;
  UsersNearQuota: number;
  SignInFailures24h: number;
  SignInFailures7d: number;
};

export type THalleyOverview = {
  GeneratedAt: number;
  OfflineDays: number;
  ClientVersion: string;
  NearQuotaRatio: number;
  Totals: Omit<TOrganizationFigures, 'OrganizationID' | 'Name'>;
  Organizations: TOrganizationFigures[];
  /** The last 7 UTC days, oldest first: jobs that started that day by outcome. */
  JobsByDay: Array<{ Day: number; Success: number; Warning: number; Failed: number; Missed: number }>;
  /** The usage ledger's last 30 days, oldest first: storage of every visible organization. */
  StorageByDay: Array<{ Day: number; Bytes: number }>;
  OfflineDevices: Array<{ OrganizationID: string; Username: string; DeviceID: string; FriendlyName: string; LastSeen: number }>;
  OutdatedVersions: Array<{ Version: string; Devices: number }>;
  QuotaUsers: Array<{ OrganizationID: string; Username: string; UsedBytes: number; QuotaBytes: number }>;
  SignInFailures: Array<{ OrganizationID: string; Time: number; Username: string; RemoteAddress: string; Admin: boolean }>;
};

const n = (v: unknown) => Number(v ?? 0);
const emptyJobs = (): TJobCounts => ({ Failed: 0, Warning: 0, Missed: 0 });

// Failed = JOB_STATUS_FAILED_* except "completed with warnings" and "schedule missed", which are their own figures.
const WARNING = JobStatus.JOB_STATUS_FAILED_WARNING;
const MISSED = JobStatus.JOB_STATUS_FAILED_SCHEDULEMISSED;
const FAILED_SQL = Prisma.sql`(j."status" BETWEEN ${JobStatus.JOB_STATUS_FAILED__MIN} AND ${JobStatus.JOB_STATUS_FAILED__MAX} AND j."status" NOT IN (${WARNING}, ${MISSED}))`;
const LOGIN_FAILED = [SEVT.SEVT_ACCOUNT_LOGIN_FAILED, SEVT.SEVT_ACCOUNT_ADMIN_LOGIN_FAILED];
const LIVE_EVENTS = [SEVT.SEVT_DEVICE_LIVE_CONNECT, SEVT.SEVT_DEVICE_LIVE_DISCONNECT];

export async function getOverview({ actor, offlineDays }: { actor: AdminActor; offlineDays?: number }): Promise<THalleyOverview> {
  const days = offlineDays ?? DEFAULT_OFFLINE_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_OFFLINE_DAYS) throw new BadRequestError(apiMessage('offlineDaysRange', { max: String(MAX_OFFLINE_DAYS) }));
  const now = Math.floor(Date.now() / 1000);
  const today = dayStart(now);
  const since24h = now - DAY_SECONDS;
  const since7d = now - JOB_DAYS * DAY_SECONDS;
  const jobDaysFrom = today - (JOB_DAYS - 1) * DAY_SECONDS;
  const offlineBefore = now - days * DAY_SECONDS;
  const ledgerFrom = dayIso(today - STORAGE_DAYS * DAY_SECONDS);
  // Live devices are in Redis, not PostgreSQL: they go into the statements as "accountId/deviceId" keys.
  const live = (await relay().listConnections()).filter((c) => canSee(actor, c.tenantId)).map((c) => `${c.accountId}/${c.deviceId}`);
  const client = db();

  const [tenants, jobs, jobsByDay, devices, versions, offlineList, storage, quota, quotaList, logins, loginList] = await Promise.all([
    client.tenant.findMany({ where: actor.isTopLevel ? {} : { id: actor.tenantId }, select: { id: true, name: true }, orderBy: { name: 'asc' } }),
    client.$queryRaw<Array<{ tenantId: string; f1: bigint; w1: bigint; m1: bigint; f7: bigint; w7: bigint; m7: bigint }>>`
      SELECT j."tenantId",
             count(*) FILTER (WHERE ${FAILED_SQL} AND j."startTime" >= ${since24h}) AS f1,
             count(*) FILTER (WHERE j."status" = ${WARNING} AND j."startTime" >= ${since24h}) AS w1,
             count(*) FILTER (WHERE j."status" = ${MISSED} AND j."startTime" >= ${since24h}) AS m1,
             count(*) FILTER (WHERE ${FAILED_SQL}) AS f7,
             count(*) FILTER (WHERE j."status" = ${WARNING}) AS w7,
             count(*) FILTER (WHERE j."status" = ${MISSED}) AS m7
      FROM "Job" j
      WHERE ${tenantSql(actor, Prisma.raw('j."tenantId"'))} AND j."startTime" >= ${since7d}
        AND j."status" BETWEEN ${JobStatus.JOB_STATUS_FAILED__MIN} AND ${JobStatus.JOB_STATUS_FAILED__MAX}
      GROUP BY 1`,
    client.$queryRaw<Array<{ day: bigint; ok: bigint; w: bigint; f: bigint; m: bigint }>>`
      SELECT (j."startTime" / ${DAY_SECONDS}) * ${DAY_SECONDS} AS day,
             count(*) FILTER (WHERE j."status" BETWEEN 5000 AND 5999) AS ok,
             count(*) FILTER (WHERE j."status" = ${WARNING}) AS w,
             count(*) FILTER (WHERE ${FAILED_SQL}) AS f,
             count(*) FILTER (WHERE j."status" = ${MISSED}) AS m
      FROM "Job" j
      WHERE ${tenantSql(actor, Prisma.raw('j."tenantId"'))} AND j."startTime" >= ${jobDaysFrom}
      GROUP BY 1`,
    // A device is offline for more than N days when it is not connected now and neither connected nor
    // disconnected since (live events), nor was registered since.
    client.$queryRaw<Array<{ tenantId: string; total: bigint; offline: bigint }>>`
      WITH seen AS (
        SELECT e."tenantId", e."resourceId", max(e."timestamp") AS at FROM "Event" e
        WHERE ${tenantSql(actor, Prisma.raw('e."tenantId"'))} AND e."type" IN (${Prisma.join(LIVE_EVENTS)}) GROUP BY 1, 2
      )
      SELECT d."tenantId", count(*) AS total,
             count(*) FILTER (WHERE NOT ((d."accountId" || '/' || d."deviceId") = ANY(${live}::text[]))
                               AND GREATEST(COALESCE(s.at, 0), COALESCE(d."registrationTime", 0)) < ${offlineBefore}) AS offline
      FROM "Device" d
      LEFT JOIN seen s ON s."tenantId" = d."tenantId" AND s."resourceId" = d."deviceId"
      WHERE ${tenantSql(actor, Prisma.raw('d."tenantId"'))}
      GROUP BY 1`,
    client.$queryRaw<Array<{ tenantId: string; version: string; devices: bigint }>>`
      SELECT d."tenantId", COALESCE(d."clientVersion", '') AS version, count(*) AS devices
      FROM "Device" d WHERE ${tenantSql(actor, Prisma.raw('d."tenantId"'))} GROUP BY 1, 2`,
    client.$queryRaw<Array<{ tenantId: string; username: string; deviceId: string; friendlyName: string; at: bigint }>>`
      WITH seen AS (
        SELECT e."tenantId", e."resourceId", max(e."timestamp") AS at FROM "Event" e
        WHERE ${tenantSql(actor, Prisma.raw('e."tenantId"'))} AND e."type" IN (${Prisma.join(LIVE_EVENTS)}) GROUP BY 1, 2
      )
      SELECT d."tenantId", a."username", d."deviceId", d."friendlyName",
             GREATEST(COALESCE(s.at, 0), COALESCE(d."registrationTime", 0)) AS at
      FROM "Device" d
      JOIN "Account" a ON a."id" = d."accountId"
      LEFT JOIN seen s ON s."tenantId" = d."tenantId" AND s."resourceId" = d."deviceId"
      WHERE ${tenantSql(actor, Prisma.raw('d."tenantId"'))} AND NOT ((d."accountId" || '/' || d."deviceId") = ANY(${live}::text[]))
        AND GREATEST(COALESCE(s.at, 0), COALESCE(d."registrationTime", 0)) < ${offlineBefore}
      ORDER BY 5 ASC, a."username", d."deviceId"
      LIMIT ${LIST_LIMIT}`,
    client.$queryRaw<Array<{ tenantId: string; day: Date; bytes: bigint }>>`
      SELECT u."tenantId", u."day", u."storageBytes" AS bytes FROM "UsageTenantDay" u
      WHERE ${tenantSql(actor, Prisma.raw('u."tenantId"'))} AND u."day" > ${ledgerFrom}::date ORDER BY u."day"`,
    // Storage used per account: its newest ledger day of the last 30.
    client.$queryRaw<Array<{ tenantId: string; over: bigint; near: bigint }>>`
      WITH used AS (
        SELECT DISTINCT ON (u."accountId") u."accountId", u."storageBytes" FROM "UsageAccountDay" u
        WHERE ${tenantSql(actor, Prisma.raw('u."tenantId"'))} AND u."day" > ${ledgerFrom}::date ORDER BY u."accountId", u."day" DESC
      )
      SELECT a."tenantId",
             count(*) FILTER (WHERE used."storageBytes" >= a."allProtectedItemsQuotaBytes") AS over,
             count(*) FILTER (WHERE used."storageBytes" < a."allProtectedItemsQuotaBytes"
                               AND used."storageBytes"::float8 >= a."allProtectedItemsQuotaBytes"::float8 * ${NEAR_QUOTA_RATIO}::float8) AS near
      FROM "Account" a JOIN used ON used."accountId" = a."id"
      WHERE ${tenantSql(actor, Prisma.raw('a."tenantId"'))} AND a."allProtectedItemsQuotaEnabled" AND a."allProtectedItemsQuotaBytes" > 0
      GROUP BY 1`,
    client.$queryRaw<Array<{ tenantId: string; username: string; used: bigint; quota: bigint }>>`
      WITH used AS (
        SELECT DISTINCT ON (u."accountId") u."accountId", u."storageBytes" FROM "UsageAccountDay" u
        WHERE ${tenantSql(actor, Prisma.raw('u."tenantId"'))} AND u."day" > ${ledgerFrom}::date ORDER BY u."accountId", u."day" DESC
      )
      SELECT a."tenantId", a."username", used."storageBytes" AS used, a."allProtectedItemsQuotaBytes" AS quota
      FROM "Account" a JOIN used ON used."accountId" = a."id"
      WHERE ${tenantSql(actor, Prisma.raw('a."tenantId"'))} AND a."allProtectedItemsQuotaEnabled" AND a."allProtectedItemsQuotaBytes" > 0
        AND used."storageBytes"::float8 >= a."allProtectedItemsQuotaBytes"::float8 * ${NEAR_QUOTA_RATIO}::float8
      ORDER BY used."storageBytes"::float8 / a."allProtectedItemsQuotaBytes" DESC, a."username"
      LIMIT ${LIST_LIMIT}`,
    client.$queryRaw<Array<{ tenantId: string; d1: bigint; d7: bigint }>>`
      SELECT e."tenantId", count(*) FILTER (WHERE e."timestamp" >= ${since24h}) AS d1, count(*) AS d7
      FROM "Event" e
      WHERE ${tenantSql(actor, Prisma.raw('e."tenantId"'))} AND e."type" IN (${Prisma.join(LOGIN_FAILED)}) AND e."timestamp" >= ${since7d}
      GROUP BY 1`,
    client.$queryRaw<Array<{ tenantId: string; type: number; timestamp: bigint; data: Record<string, unknown> | null; resourceId: string }>>`
      SELECT e."tenantId", e."type", e."timestamp", e."data", e."resourceId"
      FROM "Event" e
      WHERE ${tenantSql(actor, Prisma.raw('e."tenantId"'))} AND e."type" IN (${Prisma.join(LOGIN_FAILED)}) AND e."timestamp" >= ${since7d}
      ORDER BY e."timestamp" DESC, e."id" DESC
      LIMIT ${LIST_LIMIT}`,
  ]);

  const orgs = new Map<string, TOrganizationFigures>(
    tenants.map((t) => [
      t.id,
      {
        OrganizationID: wireOrganizationId(t.id),
        Name: t.name,
        Jobs24h: emptyJobs(),
        Jobs7d: emptyJobs(),
        Devices: 0,
        DevicesOffline: 0,
        DevicesOutdated: 0,
        StorageBytes: 0,
        StorageGrowth7d: 0,
        UsersOverQuota: 0,
        UsersNearQuota: 0,
        SignInFailures24h: 0,
        SignInFailures7d: 0,
      },
    ]),
  );
  const org = (tenantId: string) => orgs.get(tenantId);
  for (const r of jobs) {
    const o = org(r.tenantId);
    if (!o) continue;
    o.Jobs24h = { Failed: n(r.f1), Warning: n(r.w1), Missed: n(r.m1) };
    o.Jobs7d = { Failed: n(r.f7), Warning: n(r.w7), Missed: n(r.m7) };
  }
  for (const r of devices) {
    const o = org(r.tenantId);
    if (o) Object.assign(o, { Devices: n(r.total), DevicesOffline: n(r.offline) });
  }
  const outdated = new Map<string, number>();
  for (const r of versions) {
    // A device that never reported a version is not counted as outdated: nothing is known of it.
    if (!r.version || compareVersions(r.version, CLIENT_VERSION) >= 0) continue;
    const o = org(r.tenantId);
    if (o) o.DevicesOutdated += n(r.devices);
    outdated.set(r.version, (outdated.get(r.version) ?? 0) + n(r.devices));
  }
  const tenantDays = new Map<string, Map<number, number>>();
  for (const r of storage) {
    const m = tenantDays.get(r.tenantId) ?? new Map<number, number>();
    m.set(dayUnixOf(r.day), n(r.bytes));
    tenantDays.set(r.tenantId, m);
  }
  // The sum over organizations per ledger day; a day an organization has no row for (not computed yet, or
  // before its first) counts its last known size, so a missing row never shows as a dip to zero.
  const ledgerDays = [...new Set(storage.map((r) => dayUnixOf(r.day)))].sort((x, y) => x - y);
  const storageByDay = new Map<number, number>(ledgerDays.map((d) => [d, 0]));
  for (const m of tenantDays.values()) {
    let last = 0;
    for (const d of ledgerDays) {
      last = m.get(d) ?? last;
      storageByDay.set(d, (storageByDay.get(d) ?? 0) + last);
    }
  }
  for (const [tenantId, m] of tenantDays) {
    const o = org(tenantId);
    if (!o) continue;
    const last = Math.max(...m.keys());
    o.StorageBytes = m.get(last) ?? 0;
    // Growth over the 7 days before the newest ledger day; an organization younger than that grew from nothing.
    const earlier = [...m.keys()].filter((d) => d <= last - 7 * DAY_SECONDS);
    o.StorageGrowth7d = o.StorageBytes - (earlier.length ? (m.get(Math.max(...earlier)) ?? 0) : 0);
  }
  for (const r of quota) {
    const o = org(r.tenantId);
    if (o) Object.assign(o, { UsersOverQuota: n(r.over), UsersNearQuota: n(r.near) });
  }
  for (const r of logins) {
    const o = org(r.tenantId);
    if (o) Object.assign(o, { SignInFailures24h: n(r.d1), SignInFailures7d: n(r.d7) });
  }

  const organizations = [...orgs.values()];
  const sum = (f: (o: TOrganizationFigures) => number) => organizations.reduce((s, o) => s + f(o), 0);
  const sumJobs = (f: (o: TOrganizationFigures) => TJobCounts): TJobCounts => ({ Failed: sum((o) => f(o).Failed), Warning: sum((o) => f(o).Warning), Missed: sum((o) => f(o).Missed) });
  const byDay = new Map(jobsByDay.map((r) => [n(r.day), r]));
  return {
    GeneratedAt: now,
    OfflineDays: days,
    ClientVersion: CLIENT_VERSION,
    NearQuotaRatio: NEAR_QUOTA_RATIO,
    Totals: {
      Jobs24h: sumJobs((o) => o.Jobs24h),
      Jobs7d: sumJobs((o) => o.Jobs7d),
      Devices: sum((o) => o.Devices),
      DevicesOffline: sum((o) => o.DevicesOffline),
      DevicesOutdated: sum((o) => o.DevicesOutdated),
      StorageBytes: sum((o) => o.StorageBytes),
      StorageGrowth7d: sum((o) => o.StorageGrowth7d),
      UsersOverQuota: sum((o) => o.UsersOverQuota),
      UsersNearQuota: sum((o) => o.UsersNearQuota),
      SignInFailures24h: sum((o) => o.SignInFailures24h),
      SignInFailures7d: sum((o) => o.SignInFailures7d),
    },
    Organizations: organizations,
    JobsByDay: Array.from({ length: JOB_DAYS }, (_, i) => {
      const day = jobDaysFrom + i * DAY_SECONDS;
      const r = byDay.get(day);
      return { Day: day, Success: n(r?.ok), Warning: n(r?.w), Failed: n(r?.f), Missed: n(r?.m) };
    }),
    StorageByDay: [...storageByDay.entries()].sort((x, y) => x[0] - y[0]).map(([Day, Bytes]) => ({ Day, Bytes })),
    OfflineDevices: offlineList.map((r) => ({ OrganizationID: wireOrganizationId(r.tenantId), Username: r.username, DeviceID: r.deviceId, FriendlyName: r.friendlyName, LastSeen: n(r.at) })),
    OutdatedVersions: [...outdated.entries()].sort((x, y) => compareVersions(x[0], y[0])).map(([Version, Devices]) => ({ Version, Devices })),
    QuotaUsers: quotaList.map((r) => ({ OrganizationID: wireOrganizationId(r.tenantId), Username: r.username, UsedBytes: n(r.used), QuotaBytes: n(r.quota) })),
    SignInFailures: loginList.map((r) => ({
      OrganizationID: wireOrganizationId(r.tenantId),
      Time: n(r.timestamp),
      Username: typeof r.data?.Username === 'string' ? r.data.Username : r.resourceId,
      RemoteAddress: typeof r.data?.RemoteAddress === 'string' ? r.data.RemoteAddress : '',
      Admin: r.type === SEVT.SEVT_ACCOUNT_ADMIN_LOGIN_FAILED,
    })),
  };
}
