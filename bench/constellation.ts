// Constellation benchmark (issue 16): Halley's Constellation report (lib/constellation/run-constellation.ts,
// report-only run of the top-level organization: every bucket, its references, users, verdicts, the bucket
// memory written back and the report row stored) against raw `pg` running Halley's own reference statement: the
// per-bucket aggregate of vault references (an anti-join finds the unused ones), read into a usage map and stored
// as one JSON report row. Same SQL, same PostgreSQL, same data, same run.
//
//   npx tsx bench/constellation.ts                                         # 100,000 buckets, 100,000 users, 1,000,000 vaults
//   npx tsx bench/constellation.ts --buckets 10000 --users 10000 --vaults 100000   # quicker
//
// Target (the issue's): the report ≤ 2× the raw SQL baseline, with bounded memory (RSS and JS heap growth
// reported, after a full GC before each run; the aggregation runs in PostgreSQL, so memory follows the report's
// size: buckets and their distinct users, not vault references). It prints a table and writes bench/results/constellation.json; a report, not a test: exit 0 also when a target
// is missed. Needs Debian's postgresql.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import { JIT_OFF } from '../lib/billing/query-usage';
import { bucketReferencesQuery, type TBucketReferenceRow } from '../lib/constellation/bucket-references-query';
import { REPORT_WORK_MEM } from '../lib/constellation/run-constellation';
import { applyMigrations } from '../lib/db/migrate';
import { findSystemPgBinDir, repoRoot, startSystemPostgres } from '../scripts/lib/services.mjs';
import { runBench, saveBenchReport } from './bench-report';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1]!;
};
if (args.includes('--help')) {
  console.log('npx tsx bench/constellation.ts [--buckets N (100000)] [--users N (100000)] [--vaults N (1000000)] [--rounds N (3)]');
  process.exit(0);
}
const BUCKETS = Number(arg('buckets', '100000'));
const USERS = Number(arg('users', '100000'));
const VAULTS = Number(arg('vaults', '1000000'));
const ROUNDS = Number(arg('rounds', '3'));
const TOP = '00000000-0000-0000-0000-000000000000';
const MiB = 1024 * 1024;

type Result = { what: string; seconds: number; rssGrowthMiB: number; heapGrowthMiB: number; buckets: number; unused: number };

// A full collection before each measurement, so one run's garbage is not counted in the next (RSS alone is not
// comparable in one process: V8 keeps the pages the previous run grew into, which flatters whichever runs second).
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heap = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

async function measure(what: string, fn: () => Promise<{ buckets: number; unused: number }>): Promise<Result> {
  gc();
  const rss0 = process.memoryUsage().rss;
  const heap0 = heap();
  let peak = rss0;
  let heapPeak = heap0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
    heapPeak = Math.max(heapPeak, heap());
  };
  const sampler = setInterval(sample, 25);
  const t0 = performance.now();
  try {
    const r = await fn();
    const seconds = (performance.now() - t0) / 1000;
    sample();
    return { what, seconds, rssGrowthMiB: (peak - rss0) / MiB, heapGrowthMiB: (heapPeak - heap0) / MiB, ...r };
  } finally {
    clearInterval(sampler);
  }
}

/** Buckets b-0..b-(N-1); users u-0..; vault i of user i % USERS points at bucket (i * 7919) % (0.8 N): a fifth is unused. */
async function seed(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const used = Math.max(1, Math.floor(BUCKETS * 0.8));
    await c.query(`INSERT INTO "StorageBucket" (id, "tenantId", "keyHash", "createdAt") SELECT 'b-' || g, $1, 'x', now() - interval '30 days' FROM generate_series(0, $2::int - 1) g`, [TOP, BUCKETS]);
    await c.query(`INSERT INTO "Account" (id, username, "tenantId", "updatedAt") SELECT 'a-' || g, 'u-' || g, $1, now() FROM generate_series(0, $2::int - 1) g`, [TOP, USERS]);
    for (let from = 0; from < VAULTS; from += 200_000) {
      const to = Math.min(VAULTS, from + 200_000);
      await c.query(
        `INSERT INTO "StorageVault" (id, "tenantId", "accountId", "vaultId", "destinationType", data)
         SELECT 'v-' || g, $1, 'a-' || (g % $2::int), 'vault-' || g, 1003,
                jsonb_build_object('DestinationType', 1003, 'Description', 'Halley bucket', 'CometServer', 'https://storage.example.test', 'CometBucket', 'b-' || ((g::bigint * 7919) % $3::int), 'CometBucketKey', '')
         FROM generate_series($4::int, $5::int - 1) g`,
        [TOP, USERS, used, from, to],
      );
    }
    await c.query('ANALYZE');
  } finally {
    await c.end();
  }
}

/**
 * The baseline: Halley's own reference statement (lib/constellation/bucket-references-query.ts: the per-bucket
 * aggregate, LEFT JOIN = anti-join for the unused) through bare `pg`, read whole, the usage map built, stored as one
 * JSON row. Same text and values as Halley's run, so it follows any change to Halley's SQL.
 */
async function baseline(url: string): Promise<{ buckets: number; unused: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    // The same session settings as Halley's run (lib/constellation/run-constellation.ts).
    await c.query('BEGIN');
    await c.query(JIT_OFF);
    await c.query(REPORT_WORK_MEM);
    const query = bucketReferencesQuery(TOP, []);
    const { rows } = await c.query<TBucketReferenceRow>(query.text, query.values);
    const usage: Record<string, { AccessKey: string; ExistsOnServers: number[]; InUseBy: Array<{ ServerID: number; Username: string }> }> = {};
    let unused = 0;
    for (const r of rows) {
      usage[r.id] = { AccessKey: '', ExistsOnServers: [0], InUseBy: (JSON.parse(r.users) as string[]).map((u) => ({ ServerID: 0, Username: u })) };
      if (r.refs === 0) unused++;
    }
    await c.query('CREATE TABLE IF NOT EXISTS bench_report (id serial PRIMARY KEY, usage jsonb NOT NULL)');
    await c.query('INSERT INTO bench_report (usage) VALUES ($1::jsonb)', [JSON.stringify(usage)]);
    await c.query('COMMIT');
    return { buckets: rows.length, unused };
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  if (!findSystemPgBinDir()) throw new Error('Debian PostgreSQL binaries not found (apt-get install postgresql)');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'halley-bench-constel-'));
  fs.chmodSync(root, 0o755);
  const pgsql = await startSystemPostgres({ dataDir: path.join(root, 'pg'), database: 'halley_bench' });
  try {
    await applyMigrations(pgsql.url, { log: () => {} });
    console.log(`seeding ${BUCKETS.toLocaleString('en')} buckets, ${USERS.toLocaleString('en')} users, ${VAULTS.toLocaleString('en')} vaults ...`);
    const t0 = performance.now();
    await seed(pgsql.url);
    console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // Halley's modules read their settings on first use.
    process.env.DATABASE_URL = pgsql.url;
    process.env.HALLEY_SECRET_KEY ??= randomBytes(32).toString('hex');
    process.env.LOG_LEVEL = 'warn';
    const { runConstellation } = await import('../lib/constellation/run-constellation');
    const { closeDb } = await import('../lib/db/client');
    const halley = async () => {
      const run = await runConstellation({ tenantId: TOP, trigger: 'bench', sweep: false });
      return { buckets: Object.keys(run.usage).length, unused: Object.values(run.verdicts).filter((v) => v.State === 'unused').length };
    };
    // Warm-up of both (connection pools, PostgreSQL caches), then alternating rounds.
    await halley();
    await baseline(pgsql.url);
    const results: Result[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      results.push(await measure('Halley report (runConstellation)', halley));
      results.push(await measure('raw pg: same SQL + store', () => baseline(pgsql.url)));
    }
    await closeDb();
    const best = (what: string) => results.filter((r) => r.what === what).sort((a, b) => a.seconds - b.seconds)[0]!;
    const h = best('Halley report (runConstellation)');
    const b = best('raw pg: same SQL + store');
    console.log('');
    console.log(`${'run'.padEnd(34)} ${'seconds'.padStart(9)} ${'RSS +MiB'.padStart(9)} ${'heap +MiB'.padStart(10)} ${'buckets'.padStart(9)} ${'unused'.padStart(9)}`);
    for (const r of results) console.log(`${r.what.padEnd(34)} ${r.seconds.toFixed(2).padStart(9)} ${r.rssGrowthMiB.toFixed(0).padStart(9)} ${r.heapGrowthMiB.toFixed(0).padStart(10)} ${String(r.buckets).padStart(9)} ${String(r.unused).padStart(9)}`);
    if (h.buckets !== b.buckets || h.unused !== b.unused) throw new Error(`the two reports differ: Halley ${h.buckets}/${h.unused}, baseline ${b.buckets}/${b.unused}`);
    const ratio = h.seconds / b.seconds;
    const targets = [{ target: 'report ≤ 2× raw SQL baseline (best of rounds)', value: `${ratio.toFixed(2)}×`, met: ratio <= 2 }];
    // Heap growth of the best rounds (what the report holds at its peak: usage, verdicts, their JSON).
    const heapRatio = b.heapGrowthMiB > 0 ? h.heapGrowthMiB / b.heapGrowthMiB : null;
    console.log(`heap growth: Halley ${h.heapGrowthMiB.toFixed(0)} MiB, baseline ${b.heapGrowthMiB.toFixed(0)} MiB`);
    saveBenchReport('constellation.json', targets, { buckets: BUCKETS, users: USERS, vaults: VAULTS, ratio, heapRatio, loadavg: os.loadavg(), results });
  } finally {
    await pgsql.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

runBench(main);
