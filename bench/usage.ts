// Usage ledger benchmark (issue 18): admin/billing/usage (lib/billing/get-usage-report.ts: one page of rows plus
// the totals, GroupBy user and month, top level, a whole year) against raw `pg` doing the same aggregate by hand
// over the same monthly-partitioned ledger (per account: days, peaks, device-, booster- and GB-months weighted by
// the days of each month; the totals over the daily sums). Same PostgreSQL, same data, same run; the two answers
// are compared before anything is timed. A one-month report shows partition pruning (only that month is read).
//
//   npx tsx bench/usage.ts                                  # 2,000 accounts x 365 days (730,000 ledger rows)
//   HALLEY_BENCH_USAGE_ACCOUNTS=100000 npx tsx bench/usage.ts   # the size: 36.5 million rows (long seed)
//   npx tsx bench/usage.ts --accounts 5000 --days 365 --rounds 3
//
// Target: each report ≤ 2× the raw SQL baseline (best of rounds). Prints a table and writes
// bench/results/usage.json; a report, not a test: exit 0 also when a target is missed. Needs Debian's postgresql.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations } from '../lib/db/migrate';
import { findSystemPgBinDir, repoRoot, startSystemPostgres } from '../scripts/lib/services.mjs';
import { runBench, saveBenchReport } from './bench-report';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1]!;
};
if (args.includes('--help')) {
  console.log('npx tsx bench/usage.ts [--accounts N (2000, or HALLEY_BENCH_USAGE_ACCOUNTS)] [--days N (365)] [--tenants N (20)] [--rounds N (3)]');
  process.exit(0);
}
const ACCOUNTS = Number(arg('accounts', process.env.HALLEY_BENCH_USAGE_ACCOUNTS ?? '2000'));
const DAYS = Number(arg('days', '365'));
const TENANTS = Number(arg('tenants', '20'));
const ROUNDS = Number(arg('rounds', '3'));
const TOP = '00000000-0000-0000-0000-000000000000';
const DAY = 86_400;
const MiB = 1024 * 1024;
const lastDay = Math.floor(Date.now() / 1000 / DAY) * DAY - DAY;
const firstDay = lastDay - (DAYS - 1) * DAY;
const iso = (d: number) => new Date(d * 1000).toISOString().slice(0, 10);

type Answer = { rows: Array<{ key: string; days: number; devices: number; deviceMonths: number; gbMonths: number; mssqlMonths: number }>; total: number; totalDeviceMonths: number };
type Result = { what: string; seconds: number; rssGrowthMiB: number; rows: number };

async function measure(what: string, fn: () => Promise<Answer>): Promise<Result> {
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  try {
    const r = await fn();
    return { what, seconds: (performance.now() - t0) / 1000, rssGrowthMiB: (Math.max(peak, process.memoryUsage().rss) - rss0) / MiB, rows: r.rows.length };
  } finally {
    clearInterval(sampler);
  }
}

/** Account g of tenant g % TENANTS: 1-3 devices, a booster on every third, storage growing over the year; one row per day. */
async function seed(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`INSERT INTO "Tenant" (id, name, "updatedAt") SELECT 'bench-t' || g, 'Tenant ' || lpad(g::text, 4, '0'), now() FROM generate_series(0, $1::int - 1) g`, [TENANTS]);
    await c.query('SELECT halley_usage_ensure_partitions($1::date, $2::date)', [iso(firstDay), iso(lastDay)]);
    const step = Math.max(1, Math.floor(2_000_000 / DAYS));
    for (let from = 0; from < ACCOUNTS; from += step) {
      const to = Math.min(ACCOUNTS, from + step);
      await c.query(
        `INSERT INTO "UsageAccountDay" ("tenantId", "accountId", day, username, devices, "configuredDevices", boosters, "boosterCounts", "storageBytes", "liveDevices")
         SELECT 'bench-t' || (g % $1::int), 'acc-' || g, d::date, 'user-' || lpad(g::text, 7, '0'),
                1 + g % 3, 1 + g % 3, (g % 3 = 0)::int, CASE WHEN g % 3 = 0 THEN '{"mssql": 1}'::jsonb ELSE '{}'::jsonb END,
                ((g % 50) * 1000000000::bigint + (d::date - $2::date) * 10000000::bigint), (g % 7 = 0)::int
         FROM generate_series($3::int, $4::int - 1) g, generate_series($2::date, $5::date, interval '1 day') d`,
        [TENANTS, iso(firstDay), from, to, iso(lastDay)],
      );
    }
    await c.query(
      `INSERT INTO "UsageTenantDay" ("tenantId", day, users, devices, "configuredDevices", boosters, "boosterCounts", "storageBytes", "liveDevices")
       SELECT "tenantId", day, count(*), sum(devices), sum("configuredDevices"), sum(boosters),
              CASE WHEN sum(boosters) > 0 THEN jsonb_build_object('mssql', sum(boosters)) ELSE '{}'::jsonb END, sum("storageBytes"), sum("liveDevices")
       FROM "UsageAccountDay" GROUP BY 1, 2`,
    );
    await c.query('ANALYZE');
  } finally {
    await c.end();
  }
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

async function main(): Promise<void> {
  if (!findSystemPgBinDir()) throw new Error('Debian PostgreSQL binaries not found (apt-get install postgresql)');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'halley-bench-usage-'));
  fs.chmodSync(root, 0o755);
  const pgsql = await startSystemPostgres({ dataDir: path.join(root, 'pg'), database: 'halley_bench' });
  try {
    await applyMigrations(pgsql.url, { log: () => {} });
    console.log(`seeding ${ACCOUNTS.toLocaleString('en')} accounts x ${DAYS} days (${(ACCOUNTS * DAYS).toLocaleString('en')} ledger rows) in ${TENANTS} organizations ...`);
    const t0 = performance.now();
    await seed(pgsql.url);
    console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // Halley's modules read their settings on first use.
    process.env.DATABASE_URL = pgsql.url;
    process.env.HALLEY_SECRET_KEY ??= randomBytes(32).toString('hex');
    process.env.LOG_LEVEL = 'warn';
    const { getUsageReport } = await import('../lib/billing/get-usage-report');
    const { closeDb } = await import('../lib/db/client');
    const actor = { kind: 'admin' as const, adminId: 'bench', username: 'bench', tenantId: TOP, isTopLevel: true, permissions: {}, authMethod: 'Password' as const };
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
    const results: Result[] = [];
    const targets: Array<{ target: string; value: string; met: boolean }> = [];
    const ratios: Array<{ case: string; ratio: number }> = [];
    for (const k of cases) {
      const h = halley(k.groupBy, k.from, k.to);
      const b = () => baseline(pgsql.url, k.groupBy, k.from, k.to);
      // Warm-up of both, and the fairness check: the same answer.
      const diff = same(await h(), await b());
      if (diff) throw new Error(`${k.name}: Halley and the baseline answer differently: ${diff}`);
      const mine: Result[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        mine.push(await measure(`Halley ${k.name}`, h));
        mine.push(await measure(`raw pg ${k.name}`, b));
      }
      results.push(...mine);
      const best = (prefix: string) => Math.min(...mine.filter((r) => r.what.startsWith(prefix)).map((r) => r.seconds));
      const ratio = best('Halley') / best('raw pg');
      ratios.push({ case: k.name, ratio });
      targets.push({ target: `${k.name}: admin/billing/usage ≤ 2× raw SQL (best of rounds)`, value: `${ratio.toFixed(2)}×`, met: ratio <= 2 });
    }
    await closeDb();
    console.log('');
    console.log(`${'run'.padEnd(40)} ${'seconds'.padStart(9)} ${'RSS +MiB'.padStart(9)} ${'rows'.padStart(6)}`);
    for (const r of results) console.log(`${r.what.padEnd(40)} ${r.seconds.toFixed(3).padStart(9)} ${r.rssGrowthMiB.toFixed(0).padStart(9)} ${String(r.rows).padStart(6)}`);
    saveBenchReport('usage.json', targets, { accounts: ACCOUNTS, days: DAYS, tenants: TENANTS, results, ratios });
  } finally {
    await pgsql.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

runBench(main);
