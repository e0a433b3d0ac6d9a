// The grouped usage query behind admin/billing/usage and admin/billing/export. Two levels, both set-based:
// first per group and day (a group's daily totals), then per group over the days: peaks (the most on any day)
// and month-weighted sums (a day counts 1/days-in-its-month, so one device kept a whole month is one
// device-month and 10^9 bytes kept a whole month one GB-month). Rows come ordered by their key.
import { Prisma } from '../generated/prisma/client';
import { BadRequestError } from '../errors';
import { DAY_SECONDS, dayIso, dayStart } from '../usage/day';
import { apiMessage } from '../i18n/api-messages';

const GROUP_BYS = ['tenant', 'user', 'device', 'day', 'month'] as const;
export type TGroupBy = (typeof GROUP_BYS)[number];

/** A report covers at most this many days (three years). */
const MAX_REPORT_DAYS = 1100;

/** 10000-01-01T00:00:00Z. */
const MAX_UNIX = 253_402_300_800;

type UsageRange = { from: string; to: string; days: number };

export function parseGroupBy(raw: string | undefined): TGroupBy {
  const g = (raw ?? 'tenant').trim().toLowerCase();
  if (!(GROUP_BYS as readonly string[]).includes(g)) throw new BadRequestError(apiMessage('groupByOneOf', { values: GROUP_BYS.join(', ') }));
  return g as TGroupBy;
}

/** Ledger days covered by [start, end) (Unix seconds). */
export function usageRange(start: number, end: number): UsageRange {
  if (start < 0 || end > MAX_UNIX) throw new BadRequestError(apiMessage('usageRangeInvalid'));
  if (end <= start) throw new BadRequestError(apiMessage('usageEndBeforeStart'));
  const first = dayStart(start);
  const last = dayStart(end - 1);
  const days = (last - first) / DAY_SECONDS + 1;
  if (days > MAX_REPORT_DAYS) throw new BadRequestError(apiMessage('usageTooManyDays', { limit: String(MAX_REPORT_DAYS) }));
  return { from: dayIso(first), to: dayIso(last), days };
}

/** One row of the grouped query (numbers as PostgreSQL returns them). */
export type UsageSqlRow = {
  key: string;
  tenant_id: string;
  tenant_name: string;
  username: string;
  device_id: string;
  device_name: string;
  days: number;
  users: number;
  devices: number;
  configured_devices: number;
  boosters: number;
  office365_accounts: number;
  storage_bytes: bigint;
  live_devices: number;
  device_months: string;
  gb_months: string;
  /** booster type -> [peak, months] */
  booster_usage: Record<string, [number, number]> | null;
  total_rows?: bigint;
};

/** The day rows of one grouping as (key, labels, day, counters, boosterCounts jsonb). */
function source(groupBy: TGroupBy | 'total', scope: Prisma.Sql, range: UsageRange): Prisma.Sql {
  const inRange = Prisma.sql`u."day" >= ${range.from}::date AND u."day" <= ${range.to}::date AND ${scope}`;
  if (groupBy === 'user') {
    // tenancy: derived — `scope` is the caller's lib/tenancy condition (ledgerScope), ANDed into every branch
    return Prisma.sql`SELECT u."accountId" AS key, u."tenantId" AS tenant_id, u."username", '' AS device_id, '' AS device_name, u."day",
      1 AS users, u."devices", u."configuredDevices", u."boosters", u."office365Accounts", u."storageBytes", u."liveDevices", u."boosterCounts"
      FROM "UsageAccountDay" u WHERE ${inRange}`;
  }
  if (groupBy === 'device') {
    // tenancy: derived — `scope` is the caller's lib/tenancy condition (ledgerScope), ANDed into every branch
    return Prisma.sql`SELECT u."accountId" || '/' || u."deviceId" AS key, u."tenantId" AS tenant_id, u."username", u."deviceId" AS device_id, u."friendlyName" AS device_name, u."day",
      0 AS users, 1 AS devices, u."configured"::int AS "configuredDevices", cardinality(u."boosters") AS boosters, 0 AS "office365Accounts", 0::bigint AS "storageBytes", u."live"::int AS "liveDevices",
      COALESCE((SELECT jsonb_object_agg(b, 1) FROM unnest(u."boosters") AS b), '{}'::jsonb) AS "boosterCounts"
      FROM "UsageDeviceDay" u WHERE ${inRange}`;
  }
  const key =
    groupBy === 'tenant' ? Prisma.sql`u."tenantId"` : groupBy === 'day' ? Prisma.sql`to_char(u."day", 'YYYY-MM-DD')` : groupBy === 'month' ? Prisma.sql`to_char(u."day", 'YYYY-MM')` : Prisma.sql`'total'`;
  const tenantCol = groupBy === 'tenant' ? Prisma.sql`u."tenantId"` : Prisma.sql`''`;
  // tenancy: derived — `scope` is the caller's lib/tenancy condition (ledgerScope), ANDed into every branch
  return Prisma.sql`SELECT ${key} AS key, ${tenantCol} AS tenant_id, '' AS username, '' AS device_id, '' AS device_name, u."day",
    u."users", u."devices", u."configuredDevices", u."boosters", u."office365Accounts", u."storageBytes", u."liveDevices", u."boosterCounts"
    FROM "UsageTenantDay" u WHERE ${inRange}`;
}

/**
 * The grouped rows, ordered by key. `scope` is the tenancy condition on the ledger table's "tenantId" (the
 * caller builds it with lib/tenancy); `page` adds LIMIT/OFFSET and a total_rows column.
 */
export function usageSql(groupBy: TGroupBy | 'total', scope: Prisma.Sql, range: UsageRange, page?: { offset: number; limit: number }): Prisma.Sql {
  const w = (col: Prisma.Sql) => Prisma.sql`1.0 / EXTRACT(DAY FROM (date_trunc('month', ${col}) + interval '1 month - 1 day'))`;
  // tenant, user and device keys have one ledger row per day (the tables' keys): their rows are already the
  // daily totals, so the per-day level is a plain projection and the boosters need one level less. Day, month and
  // the total sum several organizations' rows per day first.
  const onePerDay = groupBy === 'tenant' || groupBy === 'user' || groupBy === 'device';
  const perDay = onePerDay
    ? Prisma.sql`SELECT key, tenant_id, username, device_id, device_name, "day", users, devices, "configuredDevices" AS configured, boosters,
             "office365Accounts" AS o365, "storageBytes" AS bytes, "liveDevices" AS live, ${w(Prisma.sql`"day"`)} AS w
      FROM src`
    : Prisma.sql`SELECT key, min(tenant_id) AS tenant_id, min(username) AS username, min(device_id) AS device_id, min(device_name) AS device_name, "day",
             sum(users) AS users, sum(devices) AS devices, sum("configuredDevices") AS configured, sum(boosters) AS boosters,
             sum("office365Accounts") AS o365, sum("storageBytes") AS bytes, sum("liveDevices") AS live,
             ${w(Prisma.sql`"day"`)} AS w
      FROM src GROUP BY key, "day"`;
  const boosterDay = onePerDay
    ? Prisma.sql`SELECT s.key, s."day", b.k, b.v::int AS n, ${w(Prisma.sql`s."day"`)} AS w
      FROM src s, jsonb_each_text(s."boosterCounts") AS b(k, v) WHERE s."boosterCounts" <> '{}'::jsonb`
    : Prisma.sql`SELECT s.key, s."day", b.k, sum(b.v::int) AS n, ${w(Prisma.sql`s."day"`)} AS w
      FROM src s, jsonb_each_text(s."boosterCounts") AS b(k, v) WHERE s."boosterCounts" <> '{}'::jsonb GROUP BY s.key, s."day", b.k`;
  return Prisma.sql`
    WITH src AS NOT MATERIALIZED (${source(groupBy, scope, range)}),
    per_day AS (${perDay}),
    booster_day AS (${boosterDay}),
    booster AS (
      SELECT key, jsonb_object_agg(k, jsonb_build_array(peak, months)) AS usage FROM (
        SELECT key, k, max(n) AS peak, round(sum(n * w), 6) AS months FROM booster_day GROUP BY key, k
      ) x GROUP BY key
    ),
    grouped AS (
      SELECT key, min(tenant_id) AS tenant_id, min(username) AS username, min(device_id) AS device_id, min(device_name) AS device_name,
             count(*)::int AS days, max(users)::int AS users, max(devices)::int AS devices, max(configured)::int AS configured_devices,
             max(boosters)::int AS boosters, max(o365)::int AS office365_accounts, max(bytes)::bigint AS storage_bytes, max(live)::int AS live_devices,
             round(sum(devices * w), 6)::text AS device_months, round(sum(bytes * w) / 1e9, 6)::text AS gb_months
      FROM per_day GROUP BY key
    )
    SELECT g.*, COALESCE(t."name", '') AS tenant_name, b.usage AS booster_usage
           ${page ? Prisma.sql`, count(*) OVER () AS total_rows` : Prisma.empty}
    FROM grouped g
    LEFT JOIN "Tenant" t ON t."id" = g.tenant_id
    LEFT JOIN booster b ON b.key = g.key
    ORDER BY COALESCE(t."name", ''), g.username, g.device_name, g.key
    ${page ? Prisma.sql`LIMIT ${page.limit} OFFSET ${page.offset}` : Prisma.empty}`;
}
