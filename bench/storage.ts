// Storage Role benchmark (issue 14), two comparisons in one run on the same machine:
// 1. Upload: N MiB in 4 MiB objects, streamed with PUT to a Storage Role bucket on Halley's web process
//    (/storage/v1/<bucket>/<key>, bucket-key auth) against a bare node:http server that pipes each request
//    body to a file on the same disk. Throughput of both, and the peak RSS growth of each server process.
//    Target: Halley ≥ 0.8× the bare server's throughput, web-process RSS growth < 128 MiB.
// 2. admin/storage/list-buckets with B buckets (top-level admin with a session key: all of them) against the
//    same SQL (the query Prisma sends for it) through `pg`, p50 of R requests each. Target: p50 ≤ 2× raw pg.
//
//   npx tsx bench/storage.ts                          # 2048 MiB, 100,000 buckets
//   npx tsx bench/storage.ts --mib 256 --buckets 10000 --requests 20
//
// Writes bench/results/storage-latest.json; like the other benchmarks a report: exit 0 also when a target
// is missed. Everything binds 127.0.0.1.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations } from '../lib/db/migrate';
import { bucketListQuery } from '../lib/storage/list-buckets';
import type { AdminActor } from '../lib/tenancy/actor';
import { processGroupMembers } from '../scripts/lib/services.mjs';
import { postOk } from './measure';
import { Cleanup, ensureNextBuild, makeTempDirs, randomHex, repoRoot, startBenchRedis, startHalley, startPostgres } from './services';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1]!;
};
if (args.includes('--help')) {
  console.log('npx tsx bench/storage.ts [--mib N (2048)] [--buckets N (100000)] [--requests N (30)] [--concurrency N (2)] [--rounds N (2)] [--rebuild] [--cpu-prof]');
  process.exit(0);
}
const MIB = Number(arg('mib', '2048'));
const BUCKETS = Number(arg('buckets', '100000'));
const REQUESTS = Number(arg('requests', '30'));
const CONCURRENCY = Number(arg('concurrency', '2'));
const ROUNDS = Math.max(1, Number(arg('rounds', '2')));
const CHUNK = 4 * 1024 * 1024;
const ADMIN = { Username: 'bench-admin', AuthType: 'Password', Password: 'Bench-Storage-Pass-42' };
const TOP_LEVEL = '00000000-0000-0000-0000-000000000000';
/** The actor fields bucketListQuery reads (tenantWhere): a top-level admin sees every bucket. */
const topLevelAdmin = () => ({ kind: 'admin', tenantId: TOP_LEVEL, isTopLevel: true }) as AdminActor;

/** Resident set size (bytes) of every process in a process group (the tsx CLI and its node child). */
function groupRss(pgid: number): number {
  let total = 0;
  for (const pid of processGroupMembers(pgid)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** PUTs `count` objects of CHUNK bytes (one buffer, streamed) to `urlOf(i)`; answers seconds and peak RSS growth of `pgid`. */
async function upload(urlOf: (i: number) => string, headers: Record<string, string>, count: number, pgid: number): Promise<{ seconds: number; mibPerSec: number; rssGrowthMiB: number }> {
  const body = Buffer.alloc(CHUNK);
  for (let i = 0; i < body.length; i += 4) body.writeUInt32LE((i * 2654435761) >>> 0, i);
  const rss0 = groupRss(pgid);
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, groupRss(pgid))), 100);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const put = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(urlOf(i), { method: 'PUT', agent, headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': CHUNK } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode && res.statusCode < 300 ? resolve() : reject(new Error(`PUT ${i}: HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      // 64 KiB writes, as a client streaming a file would.
      let at = 0;
      const pump = () => {
        while (at < CHUNK) {
          const ok = req.write(body.subarray(at, at + 65536));
          at += 65536;
          if (!ok) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) await put(next++);
  }));
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  agent.destroy();
  peak = Math.max(peak, groupRss(pgid));
  return { seconds, mibPerSec: (count * CHUNK) / 1024 / 1024 / seconds, rssGrowthMiB: (peak - rss0) / 1024 / 1024 };
}

/** The bare baseline: node:http piping each PUT body to a file, in its own process group. */
async function startBare(dir: string, cleanup: Cleanup): Promise<{ url: string; pgid: number }> {
  const script = `
    const http = require('node:http'); const fs = require('node:fs'); const path = require('node:path');
    const { pipeline } = require('node:stream');
    const dir = ${JSON.stringify(dir)};
    const server = http.createServer((req, res) => {
      const file = path.join(dir, encodeURIComponent(req.url));
      pipeline(req, fs.createWriteStream(file), (err) => { res.statusCode = err ? 500 : 201; res.end(); });
    });
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ['-e', script], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  cleanup.add(`bare writer (pid ${child.pid})`, () => void child.kill('SIGTERM'));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d) => resolve(Number(String(d).trim())));
    child.once('exit', (code) => reject(new Error(`bare writer exited ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, pgid: child.pid! };
}

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const cleanup = new Cleanup();
  const log = (m: string) => console.log(`[storage bench] ${m}`);
  try {
    await ensureNextBuild(log, args.includes('--rebuild'));
    const dirs = makeTempDirs(cleanup);
    const db = await startPostgres(dirs, cleanup);
    const redis = await startBenchRedis(dirs, cleanup);
    await applyMigrations(db.url);
    const storageDir = path.join(dirs.root, 'storage');
    const bareDir = path.join(dirs.root, 'bare');
    fs.mkdirSync(bareDir, { recursive: true });
    process.env.HALLEY_STORAGE_DIR = storageDir;
    process.env.HALLEY_STORAGE_MAX_OBJECT_BYTES = String(CHUNK * 2);
    // --cpu-prof: the web process writes a .cpuprofile to bench/results/cpu-prof/storage/ (bench/cpu-summary.ts reads it).
    const cpuProfDir = path.join(repoRoot, 'bench', 'results', 'cpu-prof', 'storage');
    if (args.includes('--cpu-prof')) fs.mkdirSync(cpuProfDir, { recursive: true });
    const halley = await startHalley(
      { databaseUrl: db.url, redisUrl: redis.url, secretKey: randomHex(32), logFile: path.join(dirs.logs, 'halley.log'), ...(args.includes('--cpu-prof') ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] } : {}) },
      cleanup,
    );
    const api = (p: string) => `${halley.url}/api/v1/admin/${p}`;
    await postOk(`${halley.url}/api/v1/admin/add-first-admin-user`, { TargetUser: ADMIN.Username, TargetPassword: ADMIN.Password });
    const made = JSON.parse(await postOk(api('storage/register-bucket'), ADMIN));
    const bare = await startBare(bareDir, cleanup);
    const count = Math.max(1, Math.round((MIB * 1024 * 1024) / CHUNK));

    // Rounds in alternating order (bare first, then Halley first, ...), each starting with no dirty pages (the
    // previous run's files removed and `sync`ed): else the kernel writes the first run's 2 GiB back during the
    // second, and whichever runs second is slowed by the other. Each side's best round counts.
    const bareRuns: Awaited<ReturnType<typeof upload>>[] = [];
    const halleyRuns: Awaited<ReturnType<typeof upload>>[] = [];
    const settle = () => {
      fs.rmSync(bareDir, { recursive: true, force: true });
      fs.mkdirSync(bareDir, { recursive: true });
      fs.rmSync(path.join(storageDir, made.NewBucketID, 'o', 'chunks'), { recursive: true, force: true });
      execFileSync('sync');
    };
    const runBare = async () => {
      settle();
      log(`upload: ${count} × 4 MiB to the bare node:http writer`);
      bareRuns.push(await upload((i) => `${bare.url}/chunk-${i}`, {}, count, bare.pgid));
    };
    const runHalley = async () => {
      settle();
      log(`upload: ${count} × 4 MiB to a Halley Storage Role bucket`);
      halleyRuns.push(await upload((i) => `${halley.url}/storage/v1/${made.NewBucketID}/chunks/${String(i).padStart(6, '0')}`, { authorization: `Bearer ${made.NewBucketKey}` }, count, halley.proc.pid!));
    };
    for (let r = 0; r < ROUNDS; r++) {
      if (r % 2 === 0) await runBare().then(runHalley);
      else await runHalley().then(runBare);
    }
    // Best throughput, worst RSS growth.
    const best = (runs: typeof bareRuns) => ({ ...runs.reduce((a, b) => (b.mibPerSec > a.mibPerSec ? b : a)), rssGrowthMiB: Math.max(...runs.map((r) => r.rssGrowthMiB)) });
    const bareUp = best(bareRuns);
    const halleyUp = best(halleyRuns);

    log(`list-buckets: seeding ${BUCKETS} buckets`);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`INSERT INTO "StorageBucket" (id, "tenantId", "keyHash") SELECT 'bench-' || lpad(g::text, 7, '0'), $1, 'x' FROM generate_series(1, $2) g`, [TOP_LEVEL, BUCKETS]);
    await client.query('ANALYZE "StorageBucket"');
    // A session key, as a console or script would hold: the password's scrypt check is not what is measured.
    const session = JSON.parse(await postOk(api('account/session-start'), ADMIN)).SessionKey as string;
    const auth = { Username: ADMIN.Username, AuthType: 'SessionKey', SessionKey: session };
    const halleyMs: number[] = [];
    const pgMs: number[] = [];
    const oldPgMs: number[] = [];
    const identityMs: number[] = [];
    const bucketSql = bucketListQuery(topLevelAdmin());
    for (let i = 0; i < REQUESTS; i++) {
      let t = performance.now();
      const text = await postOk(api('storage/list-buckets'), auth);
      halleyMs.push(performance.now() - t);
      if (i === 0 && Object.keys(JSON.parse(text)).length < BUCKETS) throw new Error('list-buckets answered fewer buckets than seeded');
      t = performance.now();
      // The same without compression (fetch asks for gzip by default, and Halley gzips answers over 64 KiB).
      const plain = await fetch(api('storage/list-buckets'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-encoding': 'identity' }, body: new URLSearchParams(auth).toString() });
      if (plain.status !== 200 || plain.headers.get('content-encoding')) throw new Error(`list-buckets (identity): HTTP ${plain.status} ${plain.headers.get('content-encoding') ?? ''}`);
      await plain.text();
      identityMs.push(performance.now() - t);
      t = performance.now();
      // The statement listBuckets runs for a top-level admin (lib/storage/list-buckets.ts bucketListQuery: the
      // baseline follows Halley's SQL), rows as pg parses them.
      await client.query(bucketSql.text, bucketSql.values);
      pgMs.push(performance.now() - t);
      t = performance.now();
      // For comparison with earlier runs: the statement Prisma's findMany sent before (2026-12-05).
      await client.query('SELECT id, "tenantId", "createdAt", "sizeBytes", "measureStarted", "measureCompleted" FROM "StorageBucket" ORDER BY id ASC');
      oldPgMs.push(performance.now() - t);
    }
    await client.end();

    const report = {
      date: new Date().toISOString(),
      params: { mib: count * 4, buckets: BUCKETS, requests: REQUESTS, concurrency: CONCURRENCY, rounds: ROUNDS },
      upload: { halley: halleyUp, bare: bareUp, throughputRatio: halleyUp.mibPerSec / bareUp.mibPerSec, rounds: { halley: halleyRuns.map((r) => r.mibPerSec), bare: bareRuns.map((r) => r.mibPerSec) }, targets: { throughputRatio: 0.8, rssGrowthMiB: 128 } },
      listBuckets: { halleyP50Ms: p50(halleyMs), pgP50Ms: p50(pgMs), ratio: p50(halleyMs) / p50(pgMs), target: 2, oldStatementPgP50Ms: p50(oldPgMs), ratioVsOldStatement: p50(halleyMs) / p50(oldPgMs), identityP50Ms: p50(identityMs), identityRatio: p50(identityMs) / p50(pgMs), load: os.loadavg() },
    };
    const out = path.join(repoRoot, 'bench', 'results', 'storage-latest.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.table([
      { what: 'upload Halley', 'MiB/s': halleyUp.mibPerSec.toFixed(1), 'RSS growth MiB': halleyUp.rssGrowthMiB.toFixed(1) },
      { what: 'upload bare node:http', 'MiB/s': bareUp.mibPerSec.toFixed(1), 'RSS growth MiB': bareUp.rssGrowthMiB.toFixed(1) },
    ]);
    console.log(`upload throughput ratio ${report.upload.throughputRatio.toFixed(2)} (target ≥ 0.8); list-buckets p50 ${report.listBuckets.halleyP50Ms.toFixed(1)} ms vs pg ${report.listBuckets.pgP50Ms.toFixed(1)} ms = ${report.listBuckets.ratio.toFixed(2)}× (target ≤ 2); vs the former findMany statement (${report.listBuckets.oldStatementPgP50Ms.toFixed(1)} ms) ${report.listBuckets.ratioVsOldStatement.toFixed(2)}×; uncompressed ${report.listBuckets.identityP50Ms.toFixed(1)} ms = ${report.listBuckets.identityRatio.toFixed(2)}×; load ${os.loadavg()[0].toFixed(1)}`);
    console.log(`report: ${path.relative(repoRoot, out)}`);
  } finally {
    await cleanup.run();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
