// Usage ledger benchmark (issue 18), three sections, each against a baseline in the same run on the same PostgreSQL:
//
// report   admin/billing/usage (lib/billing/get-usage-report.ts: one page of rows plus the totals, GroupBy user and
//          month, top level, a whole year) against raw `pg` doing the same aggregate by hand over the same
//          monthly-partitioned ledger (per account: days, peaks, device-, booster- and GB-months weighted by the days
//          of each month; the totals over the daily sums). A one-month report shows partition pruning.
// snapshot the daily snapshot of one day for every organization (lib/usage/snapshot-tenant-day.ts, organization by
//          organization as lib/usage/run-daily-snapshots.ts runs it) over N accounts with 3 devices, 2 vaults and
//          3 protected items each (bench/seed.ts; every 4th account's third item a booster engine, every 10th an
//          Office 365 one), live-connection events for ~20 % of the devices and a job with a vault size for ~10 %
//          of the vaults, against ONE hand-written INSERT ... SELECT (writable CTEs) that fills the same four
//          ledger tables for every organization at once. Both results are compared row for row (EXCEPT ALL,
//          every column but computedAt) before anything is timed, so a change to Halley's snapshot that the
//          baseline does not follow stops the run.
// export   admin/billing/export's function (lib/billing/exportUsage: server-side cursor, priced rows, CSV or XLSX
//          stream) of N ledger rows (N accounts x 1 day, GroupBy user: one CSV row per ledger row) against
//          `COPY (<the same usageSql statement, inlined>) TO STDOUT (FORMAT csv)` on a plain `pg` client. The CSV's
//          row count and its keys in order are checked against COPY's before timing. XLSX is timed too (no
//          baseline: it has to stream, shown by the time to its first byte and the RSS growth).
//
//   npx tsx bench/usage.ts                       # 2,000 accounts x 365 days, snapshot 5,000 accounts, export 100,000 rows (bench:all: 10,000 / 100,000)
//   npx tsx bench/usage.ts --only snapshot,export --snapshot-accounts 100000 --export-rows 1000000   # the sizes
//   HALLEY_BENCH_USAGE_ACCOUNTS=100000 npx tsx bench/usage.ts --only report   # report at the size: 36.5 million rows
//
// Targets: each report ≤ 2× the raw SQL baseline (best of rounds); snapshot ≤ 2× the INSERT ... SELECT (best of
// rounds); CSV export throughput ≥ 0.5× COPY's (best of rounds); RSS growth (sampled peak) < 200 MiB for CSV and
// XLSX. Prints a table and writes bench/results/usage.json; a report, not a test: exit 0 also when a target is
// missed. Needs Debian's postgresql.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations } from '../lib/db/migrate';
import { findSystemPgBinDir, repoRoot, startSystemPostgres } from '../scripts/lib/services.mjs';
import { StreamableEventType as SEVT } from '../lib/comet/constants';
import { BOOSTER_BY_ENGINE, OFFICE365_ENGINE } from '../lib/usage/boosters';
import { runBench, saveBenchReport } from './bench-report';
import { seedAccounts } from './seed';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1]!;
};
const num = (name: string, env: string, fallback: string) => Number(arg(name, process.env[env] ?? fallback));
if (args.includes('--help')) {
  console.log(
    'npx tsx bench/usage.ts [--only report,snapshot,export] [--accounts N (2000, or HALLEY_BENCH_USAGE_ACCOUNTS)] [--days N (365)] [--tenants N (20)] [--rounds N (3)]\n' +
      '  [--snapshot-accounts N (5000, or HALLEY_BENCH_USAGE_SNAPSHOT_ACCOUNTS; 3 devices each)] [--export-rows N (100000, or HALLEY_BENCH_USAGE_EXPORT_ROWS)] [--cpu-prof (export runs)]',
  );
  process.exit(0);
}
const SECTIONS = new Set(arg('only', 'report,snapshot,export').split(','));
const ACCOUNTS = num('accounts', 'HALLEY_BENCH_USAGE_ACCOUNTS', '2000');
const DAYS = Number(arg('days', '365'));
const TENANTS = Number(arg('tenants', '20'));
const ROUNDS = Number(arg('rounds', '3'));
const SNAPSHOT_ACCOUNTS = num('snapshot-accounts', 'HALLEY_BENCH_USAGE_SNAPSHOT_ACCOUNTS', '5000');
const EXPORT_ROWS = num('export-rows', 'HALLEY_BENCH_USAGE_EXPORT_ROWS', '100000');
const TOP = '00000000-0000-0000-0000-000000000000';
const DAY = 86_400;
const MiB = 1024 * 1024;
const lastDay = Math.floor(Date.now() / 1000 / DAY) * DAY - DAY;
const firstDay = lastDay - (DAYS - 1) * DAY;
const iso = (d: number) => new Date(d * 1000).toISOString().slice(0, 10);

type Answer = { rows: Array<{ key: string; days: number; devices: number; deviceMonths: number; gbMonths: number; mssqlMonths: number }>; total: number; totalDeviceMonths: number };
type Result = { what: string; seconds: number; rssGrowthMiB: number; rows: number; firstByteSeconds?: number; bytes?: number };

/** Runs fn once: wall time and the peak RSS growth of this process (sampled every 50 ms) while it ran. */
async function measure(what: string, fn: () => Promise<{ rows: unknown[] | number; firstByteSeconds?: number; bytes?: number }>): Promise<Result> {
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  try {
    const r = await fn();
    const seconds = (performance.now() - t0) / 1000;
    const rows = typeof r.rows === 'number' ? r.rows : r.rows.length;
    return { what, seconds, rssGrowthMiB: (Math.max(peak, process.memoryUsage().rss) - rss0) / MiB, rows, firstByteSeconds: r.firstByteSeconds, bytes: (r as { bytes?: number }).bytes };
  } finally {
    clearInterval(sampler);
  }
}

const tenantIds = Array.from({ length: TENANTS }, (_, g) => `bench-t${g}`);

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function seedTenants(url: string): Promise<void> {
  await withClient(url, (c) =>
    c.query(`INSERT INTO "Tenant" (id, name, "updatedAt") SELECT 'bench-t' || g, 'Tenant ' || lpad(g::text, 4, '0'), now() FROM generate_series(0, $1::int - 1) g`, [TENANTS]),
  );
}

/** Empties the four ledger tables (between sections and snapshot rounds). */
async function truncateLedger(url: string): Promise<void> {
  await withClient(url, (c) => c.query('TRUNCATE "UsageTenantDay", "UsageAccountDay", "UsageDeviceDay", "UsageVaultDay"'));
}

/** Ledger rows for `accounts` accounts from `from` to `to`: account g of tenant g % TENANTS, 1-3 devices, a booster on every third, storage growing over the days; one row per day. */
async function seedLedger(url: string, accounts: number, from: number, to: number): Promise<void> {
  const days = (to - from) / DAY + 1;
  await withClient(url, async (c) => {
    await c.query('SELECT halley_usage_ensure_partitions($1::date, $2::date)', [iso(from), iso(to)]);
    const step = Math.max(1, Math.floor(2_000_000 / days));
    for (let lo = 0; lo < accounts; lo += step) {
      const hi = Math.min(accounts, lo + step);
      await c.query(
        `INSERT INTO "UsageAccountDay" ("tenantId", "accountId", day, username, devices, "configuredDevices", boosters, "boosterCounts", "storageBytes", "liveDevices")
         SELECT 'bench-t' || (g % $1::int), 'acc-' || g, d::date, 'user-' || lpad(g::text, 7, '0'),
                1 + g % 3, 1 + g % 3, (g % 3 = 0)::int, CASE WHEN g % 3 = 0 THEN '{"mssql": 1}'::jsonb ELSE '{}'::jsonb END,
                ((g % 50) * 1000000000::bigint + (d::date - $2::date) * 10000000::bigint), (g % 7 = 0)::int
         FROM generate_series($3::int, $4::int - 1) g, generate_series($2::date, $5::date, interval '1 day') d`,
        [TENANTS, iso(from), lo, hi, iso(to)],
      );
    }
    await c.query(
      `INSERT INTO "UsageTenantDay" ("tenantId", day, users, devices, "configuredDevices", boosters, "boosterCounts", "storageBytes", "liveDevices")
       SELECT "tenantId", day, count(*), sum(devices), sum("configuredDevices"), sum(boosters),
              CASE WHEN sum(boosters) > 0 THEN jsonb_build_object('mssql', sum(boosters)) ELSE '{}'::jsonb END, sum("storageBytes"), sum("liveDevices")
       FROM "UsageAccountDay" GROUP BY 1, 2`,
    );
    await c.query('ANALYZE');
  });
}

/** The baseline: the same aggregate written by hand, one page ordered like Halley's plus the totals over the daily sums. */
async function baseline(url: string, groupBy: 'user' | 'month', from: number, to: number): Promise<Answer> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    // Like Halley's report (lib/billing/query-usage.ts): without JIT, which costs seconds on this aggregate.
    await c.query('SET jit = off');
    const w = `1.0 / EXTRACT(DAY FROM (date_trunc('month', day) + interval '1 month - 1 day'))`;
    const page =
      groupBy === 'user'
        ? await c.query(
            `SELECT "accountId" AS key, count(*)::int AS days, max(devices) AS devices, round(sum(devices * ${w}), 6)::float8 AS dm,
                    round(sum("storageBytes" * ${w}) / 1e9, 6)::float8 AS gbm, round(sum(COALESCE(("boosterCounts"->>'mssql')::int, 0) * ${w}), 6)::float8 AS bm,
                    count(*) OVER () AS total
             FROM "UsageAccountDay" u JOIN "Tenant" t ON t.id = u."tenantId" WHERE day >= $1::date AND day <= $2::date
             GROUP BY "accountId", username, t.name ORDER BY t.name, username, "accountId" LIMIT 100`,
            [iso(from), iso(to)],
          )
        : await c.query(
            `SELECT to_char(day, 'YYYY-MM') AS key, count(*)::int AS days, max(devices) AS devices, round(sum(devices * ${w}), 6)::float8 AS dm,
                    round(sum("storageBytes" * ${w}) / 1e9, 6)::float8 AS gbm, round(sum(COALESCE(("boosterCounts"->>'mssql')::int, 0) * ${w}), 6)::float8 AS bm,
                    count(*) OVER () AS total
             FROM (SELECT day, sum(devices) AS devices, sum("storageBytes") AS "storageBytes", jsonb_build_object('mssql', sum(boosters)) AS "boosterCounts"
                   FROM "UsageTenantDay" WHERE day >= $1::date AND day <= $2::date GROUP BY day) x
             GROUP BY 1 ORDER BY 1 LIMIT 100`,
            [iso(from), iso(to)],
          );
    const totals = await c.query(
      `SELECT round(sum(devices * ${w}), 6)::float8 AS dm FROM (SELECT day, sum(devices) AS devices FROM "UsageTenantDay" WHERE day >= $1::date AND day <= $2::date GROUP BY day) x`,
      [iso(from), iso(to)],
    );
    return {
      rows: page.rows.map((r) => ({ key: r.key, days: r.days, devices: Number(r.devices), deviceMonths: r.dm, gbMonths: r.gbm, mssqlMonths: r.bm })),
      total: Number(page.rows[0]?.total ?? 0),
      totalDeviceMonths: totals.rows[0].dm,
    };
  } finally {
    await c.end();
  }
}

function same(a: Answer, b: Answer): string | null {
  if (a.total !== b.total) return `total rows ${a.total} vs ${b.total}`;
  if (Math.abs(a.totalDeviceMonths - b.totalDeviceMonths) > 1e-3) return `total device-months ${a.totalDeviceMonths} vs ${b.totalDeviceMonths}`;
  for (const [i, r] of a.rows.entries()) {
    const o = b.rows[i];
    if (!o || o.key !== r.key || o.days !== r.days || o.devices !== r.devices) return `row ${i}: ${JSON.stringify(r)} vs ${JSON.stringify(o)}`;
    for (const k of ['deviceMonths', 'gbMonths', 'mssqlMonths'] as const) if (Math.abs(r[k] - o[k]) > 1e-4) return `row ${i} ${k}: ${r[k]} vs ${o[k]}`;
  }
  return a.rows.length === b.rows.length ? null : `rows ${a.rows.length} vs ${b.rows.length}`;
}

type Target = { target: string; value: string; met: boolean };
type Section = { results: Result[]; targets: Target[]; ratios: Array<{ case: string; ratio: number }>; extra?: Record<string, unknown> };
const actor = { kind: 'admin' as const, adminId: 'bench', username: 'bench', tenantId: TOP, isTopLevel: true, permissions: {}, authMethod: 'Password' as const };

/** Halley's admin/billing/usage against the hand-written aggregate, over ACCOUNTS x DAYS ledger rows. */
async function reportSection(url: string): Promise<Section> {
  console.log(`report: seeding ${ACCOUNTS.toLocaleString('en')} accounts x ${DAYS} days (${(ACCOUNTS * DAYS).toLocaleString('en')} ledger rows) in ${TENANTS} organizations ...`);
  const t0 = performance.now();
  await seedLedger(url, ACCOUNTS, firstDay, lastDay);
  console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const { getUsageReport } = await import('../lib/billing/get-usage-report');
  const halley = (groupBy: 'user' | 'month', from: number, to: number) => async (): Promise<Answer> => {
    const r = await getUsageReport({ actor, start: from, end: to + DAY, groupBy, limit: 100 });
    return {
      rows: r.Rows.map((x) => ({ key: x.Key, days: x.Days, devices: x.Devices, deviceMonths: x.DeviceMonths, gbMonths: x.GBMonths, mssqlMonths: x.BoosterUsage.mssql?.Months ?? 0 })),
      total: r.TotalRows,
      totalDeviceMonths: r.Totals.DeviceMonths,
    };
  };
  const monthStart = Date.UTC(new Date(lastDay * 1000).getUTCFullYear(), new Date(lastDay * 1000).getUTCMonth(), 1) / 1000;
  const cases = [
    { name: 'year, GroupBy user', groupBy: 'user' as const, from: firstDay, to: lastDay },
    { name: 'year, GroupBy month', groupBy: 'month' as const, from: firstDay, to: lastDay },
    { name: 'this month, GroupBy user', groupBy: 'user' as const, from: Math.max(firstDay, monthStart), to: lastDay },
  ];
  const out: Section = { results: [], targets: [], ratios: [] };
  for (const k of cases) {
    const h = halley(k.groupBy, k.from, k.to);
    const b = () => baseline(url, k.groupBy, k.from, k.to);
    // Warm-up of both, and the fairness check: the same answer.
    const diff = same(await h(), await b());
    if (diff) throw new Error(`${k.name}: Halley and the baseline answer differently: ${diff}`);
    const mine: Result[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      mine.push(await measure(`Halley ${k.name}`, h));
      mine.push(await measure(`raw pg ${k.name}`, b));
    }
    out.results.push(...mine);
    const best = (prefix: string) => Math.min(...mine.filter((r) => r.what.startsWith(prefix)).map((r) => r.seconds));
    const ratio = best('Halley') / best('raw pg');
    out.ratios.push({ case: k.name, ratio });
    out.targets.push({ target: `${k.name}: admin/billing/usage ≤ 2× raw SQL (best of rounds)`, value: `${ratio.toFixed(2)}×`, met: ratio <= 2 });
  }
  return out;
}

/** The ledger tables a snapshot writes, with the columns that must agree (computedAt is a clock). */
const LEDGER_COLUMNS: Record<string, string[]> = {
  UsageDeviceDay: ['tenantId', 'accountId', 'deviceId', 'day', 'username', 'friendlyName', 'configured', 'boosters', 'live'],
  UsageVaultDay: ['tenantId', 'accountId', 'vaultId', 'day', 'username', 'description', 'bytes'],
  UsageAccountDay: ['tenantId', 'accountId', 'day', 'username', 'devices', 'configuredDevices', 'boosters', 'boosterCounts', 'office365Accounts', 'storageBytes', 'liveDevices'],
  UsageTenantDay: ['tenantId', 'day', 'users', 'devices', 'configuredDevices', 'boosters', 'boosterCounts', 'office365Accounts', 'storageBytes', 'liveDevices'],
};

/**
 * The baseline: the snapshot of day [start, end) for every organization as ONE statement. Writable CTEs insert the
 * device and vault rows, the account rows are aggregated from what those returned, the organization rows from the
 * account rows. The definitions are those of lib/usage/snapshot-tenant-day.ts (the row comparison enforces it).
 */
function snapshotBaselineSql(start: number, end: number): { text: string; values: unknown[] } {
  const engines = Object.keys(BOOSTER_BY_ENGINE);
  const created = (a: string) => `(${a}."createTime" <= 0 OR ${a}."createTime" < $2)`;
  const text = `
    WITH acc AS (
      SELECT a."id", a."tenantId", a."username" FROM "Account" a WHERE ${created('a')}
    ), items AS (
      SELECT i."accountId", i."ownerDevice", array_remove(array_agg(DISTINCT m.booster), NULL) AS boosters
      FROM "ProtectedItem" i LEFT JOIN unnest($4::text[], $5::text[]) AS m(engine, booster) ON m.engine = i."engine"
      WHERE i."ownerDevice" <> '' AND ${created('i')}
      GROUP BY 1, 2
    ), live AS (
      SELECT DISTINCT e."tenantId", e."resourceId" FROM "Event" e
      WHERE e."type" IN (${SEVT.SEVT_DEVICE_LIVE_CONNECT}, ${SEVT.SEVT_DEVICE_LIVE_DISCONNECT}) AND e."timestamp" >= $1 AND e."timestamp" < $2
    ), dd AS (
      INSERT INTO "UsageDeviceDay" ("tenantId", "accountId", "deviceId", "day", "username", "friendlyName", "configured", "boosters", "live")
      SELECT d."tenantId", d."accountId", d."deviceId", $3::date, a."username", d."friendlyName", it."accountId" IS NOT NULL, COALESCE(it.boosters, '{}'), l."resourceId" IS NOT NULL
      FROM "Device" d
      JOIN acc a ON a."id" = d."accountId"
      LEFT JOIN items it ON it."accountId" = d."accountId" AND it."ownerDevice" = d."deviceId"
      LEFT JOIN live l ON l."tenantId" = d."tenantId" AND l."resourceId" = d."deviceId"
      WHERE d."registrationTime" IS NULL OR d."registrationTime" < $2
      RETURNING "accountId", "configured", "boosters", "live"
    ), vd AS (
      INSERT INTO "UsageVaultDay" ("tenantId", "accountId", "vaultId", "day", "username", "description", "bytes")
      SELECT v."tenantId", v."accountId", v."vaultId", $3::date, a."username", v."description",
             CASE WHEN j.size IS NOT NULL AND (s.size IS NULL OR j.at >= s.at) THEN j.size ELSE COALESCE(s.size, j.size, 0) END
      FROM "StorageVault" v
      JOIN acc a ON a."id" = v."accountId"
      CROSS JOIN LATERAL (
        SELECT CASE WHEN jsonb_typeof(v."data" #> '{Statistics,ClientProvidedSize,Size}') = 'number'
                    THEN (v."data" #>> '{Statistics,ClientProvidedSize,Size}')::numeric::bigint END AS size,
               CASE WHEN jsonb_typeof(v."data" #> '{Statistics,ClientProvidedSize,MeasureCompleted}') = 'number'
                    THEN (v."data" #>> '{Statistics,ClientProvidedSize,MeasureCompleted}')::numeric ELSE 0 END AS at
      ) s0
      CROSS JOIN LATERAL (SELECT CASE WHEN s0.at < $2 THEN s0.size END AS size, s0.at) s
      LEFT JOIN LATERAL (
        SELECT j."destinationSizeEnd" AS size, j."endTime" AS at FROM "Job" j
        WHERE j."accountId" = v."accountId" AND j."destinationGuid" = v."vaultId" AND j."endTime" > 0 AND j."endTime" < $2 AND j."destinationSizeEnd" > 0
        ORDER BY j."endTime" DESC LIMIT 1
      ) j ON TRUE
      WHERE ${created('v')}
      RETURNING "accountId", "bytes"
    ), dev AS (
      SELECT "accountId", count(*) AS n, count(*) FILTER (WHERE "configured") AS c, sum(cardinality("boosters")) AS b, count(*) FILTER (WHERE "live") AS l
      FROM dd GROUP BY 1
    ), bc AS (
      SELECT "accountId", jsonb_object_agg(b, n) AS j FROM (SELECT "accountId", b, count(*) AS n FROM dd, unnest(dd."boosters") AS b GROUP BY 1, 2) x GROUP BY 1
    ), vs AS (
      SELECT "accountId", sum("bytes") AS s FROM vd GROUP BY 1
    ), o AS (
      SELECT i."accountId", sum(COALESCE(
               CASE WHEN jsonb_typeof(i."data" #> '{Statistics,LastSuccessfulBackupJob,TotalAccountsCount}') = 'number'
                    THEN (i."data" #>> '{Statistics,LastSuccessfulBackupJob,TotalAccountsCount}')::numeric END,
               CASE WHEN jsonb_typeof(i."data" #> '{Statistics,LastBackupJob,TotalAccountsCount}') = 'number'
                    THEN (i."data" #>> '{Statistics,LastBackupJob,TotalAccountsCount}')::numeric END, 0)) AS n
      FROM "ProtectedItem" i WHERE i."engine" = $6 AND ${created('i')} GROUP BY 1
    ), ad AS (
      INSERT INTO "UsageAccountDay" ("tenantId", "accountId", "day", "username", "devices", "configuredDevices", "boosters", "boosterCounts", "office365Accounts", "storageBytes", "liveDevices")
      SELECT a."tenantId", a."id", $3::date, a."username", COALESCE(dev.n, 0)::int, COALESCE(dev.c, 0)::int, COALESCE(dev.b, 0)::int,
             COALESCE(bc.j, '{}'::jsonb), COALESCE(o.n, 0)::int, COALESCE(vs.s, 0)::bigint, COALESCE(dev.l, 0)::int
      FROM acc a
      LEFT JOIN dev ON dev."accountId" = a."id"
      LEFT JOIN bc ON bc."accountId" = a."id"
      LEFT JOIN vs ON vs."accountId" = a."id"
      LEFT JOIN o ON o."accountId" = a."id"
      RETURNING *
    ), tb AS (
      SELECT "tenantId", jsonb_object_agg(k, n) AS j FROM (
        SELECT ad."tenantId", k, sum(v::int) AS n FROM ad, jsonb_each_text(ad."boosterCounts") AS e(k, v) GROUP BY 1, 2) x GROUP BY 1
    )
    INSERT INTO "UsageTenantDay" ("tenantId", "day", "users", "devices", "configuredDevices", "boosters", "boosterCounts", "office365Accounts", "storageBytes", "liveDevices", "computedAt")
    SELECT t."id", $3::date, count(ad."tenantId")::int, COALESCE(sum(ad."devices"), 0)::int, COALESCE(sum(ad."configuredDevices"), 0)::int,
           COALESCE(sum(ad."boosters"), 0)::int, COALESCE(min(tb.j::text)::jsonb, '{}'::jsonb), COALESCE(sum(ad."office365Accounts"), 0)::int,
           COALESCE(sum(ad."storageBytes"), 0)::bigint, COALESCE(sum(ad."liveDevices"), 0)::int, now()
    FROM "Tenant" t LEFT JOIN ad ON ad."tenantId" = t."id" LEFT JOIN tb ON tb."tenantId" = t."id"
    GROUP BY t."id"`;
  return { text, values: [start, end, iso(start), engines, engines.map((e) => BOOSTER_BY_ENGINE[e]), OFFICE365_ENGINE] };
}

/** Halley's snapshot of one day against the INSERT ... SELECT, SNAPSHOT_ACCOUNTS accounts with 3 devices each. */
async function snapshotSection(url: string): Promise<Section> {
  const day = lastDay;
  const end = day + DAY;
  console.log(`snapshot: seeding ${SNAPSHOT_ACCOUNTS.toLocaleString('en')} accounts, ${(SNAPSHOT_ACCOUNTS * 3).toLocaleString('en')} devices in ${TENANTS} organizations ...`);
  const t0 = performance.now();
  // Every 4th account's third item is a booster engine (SQL Server, or Hyper-V on every 8th), every 10th account's second item Office 365.
  const seeded = await seedAccounts(url, SNAPSHOT_ACCOUNTS, '', {
    tenantOf: (i) => tenantIds[i % TENANTS]!,
    engineOf: (i, s) => (s === 2 && i % 4 === 0 ? (i % 8 === 0 ? 'engine1/hyperv' : 'engine1/mssql') : s === 1 && i % 10 === 0 ? OFFICE365_ENGINE : 'engine1/file'),
  });
  await withClient(url, async (c) => {
    // Live flags: ~20 % of the devices connected (and half of them disconnected) during the day; events of the day before do not count.
    await c.query(
      `INSERT INTO "Event" ("tenantId", type, "resourceId", timestamp)
       SELECT d."tenantId", t.type, d."deviceId", t.at FROM "Device" d,
              (VALUES ($1::int, $3::bigint + 3600), ($2::int, $3::bigint + 7200), ($1::int, $3::bigint - 600)) AS t(type, at)
       WHERE get_byte(decode(md5(d."deviceId"), 'hex'), 0) < 51 AND (t.type = $1 OR get_byte(decode(md5(d."deviceId"), 'hex'), 1) < 128)`,
      [SEVT.SEVT_DEVICE_LIVE_CONNECT, SEVT.SEVT_DEVICE_LIVE_DISCONNECT, day],
    );
    // Vault sizes: ~10 % of the vaults have a job that ended during the day (newer than the agent's measurement), and one after it (ignored).
    await c.query(
      `INSERT INTO "Job" (id, "tenantId", "accountId", username, classification, status, "startTime", "endTime", "destinationGuid", "destinationSizeEnd", "updatedAt")
       SELECT gen_random_uuid()::text, v."tenantId", v."accountId", a.username, 4001, 5000, t.at - 900, t.at, v."vaultId", t.size, now()
       FROM "StorageVault" v JOIN "Account" a ON a.id = v."accountId",
            (VALUES ($1::bigint + 1800, 7000000000::bigint), ($1::bigint + 90000, 9000000000::bigint)) AS t(at, size)
       WHERE get_byte(decode(md5(v."vaultId"), 'hex'), 0) < 26`,
      [day],
    );
    await c.query('ANALYZE');
  });
  const seedSeconds = (performance.now() - t0) / 1000;
  console.log(`seeded in ${seedSeconds.toFixed(1)} s (${seeded.devices.toLocaleString('en')} devices, ${seeded.vaults.toLocaleString('en')} vaults, ${seeded.items.toLocaleString('en')} items)`);
  const { snapshotTenantDay } = await import('../lib/usage/snapshot-tenant-day');
  const { ensureUsagePartitions } = await import('../lib/usage/ensure-partitions');
  const { db } = await import('../lib/db/client');
  await ensureUsagePartitions(day);
  // As runDailySnapshots does it: organization by organization, each its own transaction.
  const halley = async () => {
    const tenants = await db().tenant.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
    for (const t of tenants) await snapshotTenantDay({ tenantId: t.id, day });
    return { rows: tenants.length };
  };
  const sql = snapshotBaselineSql(day, end);
  const base = () => withClient(url, async (c) => ({ rows: (await c.query(sql.text, sql.values)).rowCount ?? 0 }));
  const cols = (t: string) => LEDGER_COLUMNS[t]!.map((x) => `"${x}"`).join(', ');
  // The fairness check: both write the same ledger rows, row for row.
  await truncateLedger(url);
  await halley();
  const counts = await withClient(url, async (c) => {
    const out: Record<string, number> = {};
    for (const t of Object.keys(LEDGER_COLUMNS)) {
      await c.query(`DROP TABLE IF EXISTS "bench_${t}"; CREATE TABLE "bench_${t}" AS SELECT ${cols(t)} FROM "${t}"`);
      out[t] = Number((await c.query(`SELECT count(*) AS n FROM "bench_${t}"`)).rows[0].n);
    }
    const paths = await c.query(
      `SELECT (SELECT count(*) FROM "UsageDeviceDay" WHERE live) AS live, (SELECT count(*) FROM "UsageDeviceDay" WHERE cardinality(boosters) > 0) AS boosters,
              (SELECT count(*) FROM "UsageAccountDay" WHERE "office365Accounts" > 0) AS o365, (SELECT count(*) FROM "UsageVaultDay" WHERE bytes = 7000000000) AS job_sizes`,
    );
    console.log(`Halley's ledger rows: ${JSON.stringify(out)}; devices live ${paths.rows[0].live}, with boosters ${paths.rows[0].boosters}; accounts with Office 365 ${paths.rows[0].o365}; vault sizes from jobs ${paths.rows[0].job_sizes}`);
    return out;
  });
  if (counts.UsageDeviceDay !== seeded.devices || counts.UsageVaultDay !== seeded.vaults || counts.UsageAccountDay !== SNAPSHOT_ACCOUNTS) throw new Error(`snapshot: unexpected ledger row counts ${JSON.stringify(counts)}`);
  await truncateLedger(url);
  await base();
  await withClient(url, async (c) => {
    for (const t of Object.keys(LEDGER_COLUMNS)) {
      const only = async (a: string, b: string) => Number((await c.query(`SELECT count(*) AS n FROM (SELECT ${cols(t)} FROM "${a}" EXCEPT ALL SELECT ${cols(t)} FROM "${b}") x`)).rows[0].n);
      const [halleyOnly, baselineOnly] = [await only(`bench_${t}`, t), await only(t, `bench_${t}`)];
      if (halleyOnly || baselineOnly) {
        const sample = await c.query(`(SELECT 'halley' AS side, ${cols(t)} FROM "bench_${t}" EXCEPT ALL SELECT 'halley', ${cols(t)} FROM "${t}") UNION ALL (SELECT 'baseline', ${cols(t)} FROM "${t}" EXCEPT ALL SELECT 'baseline', ${cols(t)} FROM "bench_${t}") LIMIT 4`);
        throw new Error(`UNFAIR COMPARISON: the snapshot baseline's ${t} differs from Halley's (${halleyOnly} rows only in Halley's, ${baselineOnly} only in the baseline's), e.g. ${JSON.stringify(sample.rows)}`);
      }
      await c.query(`DROP TABLE "bench_${t}"`);
    }
  });
  console.log('same ledger rows: yes');
  const out: Section = { results: [], targets: [], ratios: [] };
  for (let i = 0; i < ROUNDS; i++) {
    await truncateLedger(url);
    out.results.push(await measure('Halley snapshot, every organization', halley));
    await truncateLedger(url);
    out.results.push(await measure('INSERT ... SELECT snapshot', base));
  }
  const best = (prefix: string) => Math.min(...out.results.filter((r) => r.what.startsWith(prefix)).map((r) => r.seconds));
  const ratio = best('Halley') / best('INSERT');
  out.ratios.push({ case: 'snapshot', ratio });
  out.targets.push({ target: `daily snapshot, ${SNAPSHOT_ACCOUNTS.toLocaleString('en')} accounts / ${seeded.devices.toLocaleString('en')} devices ≤ 2× one INSERT ... SELECT (best of rounds)`, value: `${ratio.toFixed(2)}× (${best('Halley').toFixed(2)} s vs ${best('INSERT').toFixed(2)} s)`, met: ratio <= 2 });
  out.extra = { accounts: SNAPSHOT_ACCOUNTS, devices: seeded.devices, vaults: seeded.vaults, items: seeded.items, seedSeconds, ledgerRows: counts };
  return out;
}

/** Counts bytes and lines of a stream, and when its first byte came; `keys` also hashes each row's first CSV field (the check pass; not the header, not Halley's TOTAL row). */
async function drain(body: AsyncIterable<Buffer | string>, keys = false, skipFirst = 1): Promise<{ rows: number; bytes: number; firstByteSeconds: number; keyHash?: string; head: Buffer }> {
  const t0 = performance.now();
  let firstByteSeconds = -1;
  let lines = 0;
  let bytes = 0;
  let head: Buffer = Buffer.alloc(0);
  const hash = createHash('sha256');
  let rest = '';
  let seen = 0;
  for await (const raw of body) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    if (firstByteSeconds < 0) {
      firstByteSeconds = (performance.now() - t0) / 1000;
      head = chunk.subarray(0, 4);
    }
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    if (keys) {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop()!;
      for (const line of parts) {
        const key = line.slice(0, line.indexOf(','));
        if (seen++ >= skipFirst && key !== 'TOTAL') hash.update(key + '\n'); // Halley's last row is the TOTAL
      }
    }
  }
  return { rows: lines, bytes, firstByteSeconds, keyHash: keys ? hash.digest('hex') : undefined, head };
}

/** `sql` with its $n parameters as literals (COPY takes none). */
function inline(sql: { text: string; values: unknown[] }, c: pg.Client): string {
  return sql.text.replace(/\$(\d+)/g, (_, n: string) => {
    const v = sql.values[Number(n) - 1];
    return typeof v === 'number' ? String(v) : c.escapeLiteral(String(v));
  });
}

/** COPY ... TO STDOUT as an async iterable of its data chunks, on pg's submittable protocol (what pg-copy-streams does). */
function copyOut(c: pg.Client, text: string): AsyncIterable<Buffer> {
  const chunks: Buffer[] = [];
  let done = false;
  let failed: Error | null = null;
  let wake: (() => void) | null = null;
  const poke = () => {
    wake?.();
    wake = null;
  };
  const submittable = {
    submit: (connection: { query(text: string): void }) => connection.query(text),
    handleCopyData: (msg: { chunk: Buffer }) => {
      chunks.push(msg.chunk);
      poke();
    },
    handleCommandComplete: () => {},
    handleReadyForQuery: () => {
      done = true;
      poke();
    },
    handleError: (err: Error) => {
      failed = err;
      done = true;
      poke();
    },
  };
  c.query(submittable as unknown as pg.QueryConfig);
  return {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (chunks.length) yield chunks.shift()!;
        if (failed) throw failed;
        if (done) return;
        await new Promise<void>((r) => (wake = r));
      }
    },
  };
}

/** Halley's export (format csv or xlsx) and COPY of the same statement, each read to the end by drain(). */
async function exportRunners(url: string) {
  const day = lastDay;
  const { exportUsage } = await import('../lib/billing/export-usage');
  const { usageSql, usageRange } = await import('../lib/billing/usage-query');
  const { ledgerScope } = await import('../lib/billing/ledger-scope');
  const { JIT_OFF } = await import('../lib/billing/query-usage');
  const halley = (format: 'csv' | 'xlsx', keys = false, from = day) => async () => {
    const file = await exportUsage({ actor, start: from, end: from + DAY, groupBy: 'user', format });
    return drain(file.body, keys);
  };
  // The statement exportUsage declares its cursor for: Halley's own usageSql, so the baseline follows it.
  const statement = usageSql('user', ledgerScope(actor, undefined), usageRange(day, day + DAY));
  const copy = (keys = false) => () =>
    withClient(url, async (c) => {
      await c.query(JIT_OFF.replace(' LOCAL', ''));
      return drain(copyOut(c, `COPY (${inline(statement, c)}) TO STDOUT (FORMAT csv, HEADER)`), keys);
    });
  return { halley, copy };
}

/** Above this many rows the XLSX is not read back (ExcelJS loads it whole into memory). */
const XLSX_READ_BACK_MAX = 100_000;

const CHILD_LABEL = { csv: 'Halley export CSV', xlsx: 'Halley export XLSX', copy: 'COPY ... TO STDOUT (csv)' } as const;

/** One timed export in a fresh process: its RSS growth is that run's alone. */
function exportChild(url: string, kind: keyof typeof CHILD_LABEL): Result {
  // --cpu-prof: each child writes a V8 CPU profile to bench/results/cpu-prof/usage-export/ (npx tsx bench/cpu-summary.ts <file>).
  const prof = args.includes('--cpu-prof') ? ['--cpu-prof', `--cpu-prof-dir=${path.join(repoRoot, 'bench', 'results', 'cpu-prof', 'usage-export')}`] : [];
  const r = spawnSync(process.execPath, [...prof, '--import', 'tsx', path.join(repoRoot, 'bench', 'usage.ts'), '--export-child', kind], {
    cwd: repoRoot,
    // As the web process runs (scripts/lib/services.mjs appEnv): production, two malloc arenas.
    env: { ...process.env, DATABASE_URL: url, NODE_ENV: 'production', MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
    encoding: 'utf8',
    maxBuffer: 16 * MiB,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.status !== 0 || !line) throw new Error(`export child ${kind} failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(line.slice(7)) as Result;
}

/** The child's side: `--export-child csv|xlsx|copy`, DATABASE_URL set by the parent. */
async function exportChildMain(kind: keyof typeof CHILD_LABEL): Promise<void> {
  const url = process.env.DATABASE_URL!;
  process.env.LOG_LEVEL = 'warn';
  const { halley, copy } = await exportRunners(url);
  // Warm-up on an empty day (modules, Prisma's query compiler, the pool, the zip codec), so the RSS growth is the export's.
  await (kind === 'copy' ? copy() : halley(kind, false, lastDay + DAY))();
  const r = await measure(CHILD_LABEL[kind], kind === 'copy' ? copy() : halley(kind));
  const { closeDb } = await import('../lib/db/client');
  await closeDb();
  console.log(`RESULT ${JSON.stringify(r)}`);
}

/** Halley's CSV and XLSX export of EXPORT_ROWS ledger rows (one day, GroupBy user) against COPY of the same statement. */
async function exportSection(url: string): Promise<Section> {
  const day = lastDay;
  console.log(`export: seeding ${EXPORT_ROWS.toLocaleString('en')} ledger rows (accounts x 1 day) in ${TENANTS} organizations ...`);
  const t0 = performance.now();
  await seedLedger(url, EXPORT_ROWS, day, day);
  console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const { halley, copy } = await exportRunners(url);
  // The check pass (and warm-up): header + every row + TOTAL from Halley, header + every row from COPY, the same keys in the same order.
  const h = await halley('csv', true)();
  const b = await copy(true)();
  if (h.rows !== EXPORT_ROWS + 2) throw new Error(`export: Halley's CSV has ${h.rows} lines, expected ${EXPORT_ROWS + 2} (header, ${EXPORT_ROWS} rows, TOTAL)`);
  if (b.rows !== EXPORT_ROWS + 1) throw new Error(`export: COPY wrote ${b.rows} lines, expected ${EXPORT_ROWS + 1}`);
  if (h.keyHash !== b.keyHash) throw new Error('UNFAIR COMPARISON: the export\'s rows come in another order or with other keys than COPY of usageSql');
  console.log(`same rows: yes (${EXPORT_ROWS.toLocaleString('en')} rows; CSV ${(h.bytes / MiB).toFixed(1)} MiB, COPY ${(b.bytes / MiB).toFixed(1)} MiB)`);
  if (EXPORT_ROWS <= XLSX_READ_BACK_MAX) {
    // The XLSX read back with ExcelJS (as a spreadsheet program opens it: whole, through the zip's directory): header, every row in COPY's key order, TOTAL.
    const { exportUsage } = await import('../lib/billing/export-usage');
    const file = await exportUsage({ actor, start: day, end: day + DAY, groupBy: 'user', format: 'xlsx' });
    const chunks: Buffer[] = [];
    for await (const c of file.body) chunks.push(c as Buffer);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Usage')!;
    const hash = createHash('sha256');
    for (let n = 2; n <= ws.rowCount - 1; n++) hash.update(`${ws.getRow(n).getCell(1).value}\n`);
    if (ws.rowCount !== EXPORT_ROWS + 2 || ws.getRow(ws.rowCount).getCell(1).value !== 'TOTAL' || hash.digest('hex') !== b.keyHash) {
      throw new Error(`export: the XLSX read back has ${ws.rowCount} rows or other keys than COPY's`);
    }
    console.log('XLSX read back: same rows');
  }
  // Timed runs each in a fresh process (bench/usage.ts --export-child), so one run's RSS high-water mark is not the next one's baseline.
  const out: Section = { results: [], targets: [], ratios: [] };
  for (let i = 0; i < ROUNDS; i++) {
    out.results.push(exportChild(url, 'csv'));
    out.results.push(exportChild(url, 'copy'));
  }
  out.results.push(exportChild(url, 'xlsx'));
  const pick = (prefix: string) => out.results.filter((r) => r.what.startsWith(prefix));
  const best = (prefix: string) => Math.min(...pick(prefix).map((r) => r.seconds));
  const peak = (prefix: string) => Math.max(...pick(prefix).map((r) => r.rssGrowthMiB));
  const throughput = best('COPY') / best('Halley export CSV');
  const xlsx = pick('Halley export XLSX')[0]!;
  for (const r of out.results) if (r.rows !== (r.what.startsWith('COPY') ? EXPORT_ROWS + 1 : r.what.includes('CSV') ? EXPORT_ROWS + 2 : r.rows)) throw new Error(`${r.what}: ${r.rows} lines`);
  out.ratios.push({ case: 'export csv throughput', ratio: throughput });
  out.targets.push(
    { target: `export of ${EXPORT_ROWS.toLocaleString('en')} ledger rows: CSV throughput ≥ 0.5× COPY ... TO STDOUT (best of rounds)`, value: `${throughput.toFixed(2)}× (${best('Halley export CSV').toFixed(2)} s vs ${best('COPY').toFixed(2)} s)`, met: throughput >= 0.5 },
    { target: 'export CSV: RSS growth < 200 MiB (sampled peak, every round)', value: `${peak('Halley export CSV').toFixed(0)} MiB`, met: peak('Halley export CSV') < 200 },
    { target: 'export XLSX streamed: RSS growth < 200 MiB (sampled peak)', value: `${xlsx.rssGrowthMiB.toFixed(0)} MiB, first byte after ${xlsx.firstByteSeconds!.toFixed(2)} s of ${xlsx.seconds.toFixed(1)} s`, met: xlsx.rssGrowthMiB < 200 },
  );
  out.extra = { rows: EXPORT_ROWS, csvBytes: h.bytes, copyBytes: b.bytes, xlsxBytes: xlsx.bytes, rowsPerSecond: { csv: EXPORT_ROWS / best('Halley export CSV'), copy: EXPORT_ROWS / best('COPY'), xlsx: EXPORT_ROWS / xlsx.seconds } };
  return out;
}

async function main(): Promise<void> {
  if (!findSystemPgBinDir()) throw new Error('Debian PostgreSQL binaries not found (apt-get install postgresql)');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'halley-bench-usage-'));
  fs.chmodSync(root, 0o755);
  const pgsql = await startSystemPostgres({ dataDir: path.join(root, 'pg'), database: 'halley_bench' });
  const loads: number[][] = [os.loadavg()];
  try {
    await applyMigrations(pgsql.url, { log: () => {} });
    await seedTenants(pgsql.url);
    // Halley's modules read their settings on first use.
    process.env.DATABASE_URL = pgsql.url;
    process.env.HALLEY_SECRET_KEY ??= randomBytes(32).toString('hex');
    process.env.LOG_LEVEL = 'warn';
    const { closeDb } = await import('../lib/db/client');
    const sections: Record<string, Section> = {};
    const seconds: Record<string, number> = {};
    for (const [name, run] of [['report', reportSection], ['export', exportSection], ['snapshot', snapshotSection]] as const) {
      if (!SECTIONS.has(name)) continue;
      const started = performance.now();
      await truncateLedger(pgsql.url);
      sections[name] = await run(pgsql.url);
      seconds[name] = Math.round((performance.now() - started) / 1000);
      loads.push(os.loadavg());
    }
    await closeDb();
    const results = Object.values(sections).flatMap((s) => s.results);
    console.log('');
    console.log(`${'run'.padEnd(40)} ${'seconds'.padStart(9)} ${'RSS +MiB'.padStart(9)} ${'rows'.padStart(9)} ${'1st byte'.padStart(9)}`);
    for (const r of results) console.log(`${r.what.padEnd(40)} ${r.seconds.toFixed(3).padStart(9)} ${r.rssGrowthMiB.toFixed(0).padStart(9)} ${String(r.rows).padStart(9)} ${(r.firstByteSeconds?.toFixed(3) ?? '').padStart(9)}`);
    console.log(`load average (1 min) at start and after each section: ${loads.map((l) => l[0]!.toFixed(1)).join(', ')}; section seconds ${JSON.stringify(seconds)}`);
    saveBenchReport('usage.json', Object.values(sections).flatMap((s) => s.targets), {
      accounts: ACCOUNTS,
      days: DAYS,
      tenants: TENANTS,
      rounds: ROUNDS,
      results,
      ratios: Object.values(sections).flatMap((s) => s.ratios),
      snapshot: sections.snapshot?.extra,
      export: sections.export?.extra,
      seconds,
      loadavg: loads.map((l) => l.map((v) => Number(v.toFixed(1)))),
    });
  } finally {
    await pgsql.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const child = arg('export-child', '');
runBench(child ? () => exportChildMain(child as keyof typeof CHILD_LABEL) : main);
