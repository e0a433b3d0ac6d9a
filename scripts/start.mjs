#!/usr/bin/env node
// `npm start`: the whole product on one machine, from a fresh clone.
//   dependencies -> Prisma client -> ./data (secret key) -> PostgreSQL (embedded unless DATABASE_URL)
//   -> Redis (private redis-server unless REDIS_URL) -> migrations -> next build (when stale)
//   -> web (server.ts) + workers (workers/index.ts), NODE_ENV=production -> banner.
// Ctrl-C / SIGTERM stops everything in reverse order (workers, web, redis, postgres) and exits 0. Web and
// workers are supervised: one that dies on its own is restarted with backoff; only a crash loop (5 exits
// within 60 s) stops the rest, with exit code 1. admin/meta/restart-service restarts web and workers
// gracefully (not counted as crashes) and admin/meta/shutdown-service stops everything with exit code 0: the
// web process writes <data dir>/run/control.json and sends this process SIGUSR2.
//
// Environment: PORT (8060), HOST (127.0.0.1), HALLEY_DATA_DIR (./data), DATABASE_URL, REDIS_URL,
// HALLEY_SECRET_KEY (else ./data/secret.key, created once), LOG_LEVEL, HALLEY_PG_PORT, HALLEY_REDIS_PORT.
//
// Several machines: `HALLEY_ROLES=web` / `workers` / `web,workers` (or `--role web`, `--role=web,workers`)
// runs only those roles on this node, against the shared DATABASE_URL and REDIS_URL (required then: a node
// with only some roles never starts its own PostgreSQL or Redis). Every node applies the migrations at start
// under PostgreSQL's advisory lock, so the first one applies them and the others find them applied. All
// nodes must share one HALLEY_SECRET_KEY (or a copy of the same data/secret.key).
import fs from 'node:fs';
import path from 'node:path';
import {
  repoRoot,
  createStepLogger,
  npmInstallNeeded,
  npmInstall,
  ensurePrismaClient,
  ensureAptPackages,
  startEmbeddedPostgres,
  startRedis,
  applyMigrations,
  nextBuildStaleReason,
  nextBuild,
  startProcess,
  superviseProcess,
  stopLeftoverServices,
  waitForHttp,
  freePort,
  isPortInUse,
  requireFile,
  appEnv,
  randomHex,
} from './lib/services.mjs';

const root = repoRoot;
const log = createStepLogger('start');
// `npm start -- --demo`: also seed a demo tenant and run simulated devices (scripts/demo.ts).
const demo = process.argv.slice(2).includes('--demo');
const ROLES = ['web', 'workers'];

/** The roles of this node: --role (repeatable, comma-separated) or HALLEY_ROLES, else both. */
function chosenRoles(argv, envValue) {
  const given = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--role') given.push(argv[++i] ?? '');
    else if (argv[i].startsWith('--role=')) given.push(argv[i].slice('--role='.length));
  }
  const text = given.length ? given.join(',') : (envValue ?? '');
  const roles = [...new Set(text.split(',').map((r) => r.trim().toLowerCase()).filter(Boolean))];
  if (roles.length === 0) return ROLES;
  const unknown = roles.filter((r) => !ROLES.includes(r));
  if (unknown.length) throw new Error(`unknown role ${unknown.join(', ')} in ${given.length ? '--role' : 'HALLEY_ROLES'} (roles: ${ROLES.join(', ')})`);
  return ROLES.filter((r) => roles.includes(r));
}
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

/** Things to stop, in start order; stopped in reverse. */
const started = [];
/** The foreground command running during start-up (npm install, migrations, next build), if any. */
let foreground = null;
let state = 'starting'; // -> 'running' -> 'stopping'
let signals = 0;

async function shutdown(code, reason) {
  if (state === 'stopping') return;
  state = 'stopping';
  if (reason) log.info(reason);
  if (foreground && foreground.exitCode === null && foreground.signalCode === null) {
    foreground.kill('SIGTERM');
    await new Promise((resolve) => {
      foreground.once('close', resolve);
      setTimeout(resolve, 10_000);
    });
  }
  for (const item of [...started].reverse()) {
    try {
      await log.step(`stopping ${item.name}`, item.stop);
    } catch (err) {
      log.error(`stopping ${item.name}: ${err.message}`);
    }
  }
  log.info(code === 0 ? 'stopped' : `stopped (exit code ${code})`);
  process.exit(code);
}

let lastSignalAt = 0;
function onSignal(signal) {
  // One Ctrl-C can arrive several times at once (from the terminal and relayed by `npm start` or
  // `timeout`): copies within a second count as one press.
  const now = Date.now();
  if (signals > 0 && now - lastSignalAt < 1000) return;
  lastSignalAt = now;
  signals += 1;
  if (signals === 1) {
    void shutdown(0, `${signal} received: stopping (press Ctrl-C twice more to force)`);
  } else if (signals >= 3) {
    log.warn('forced exit: processes may be left running (the next start stops them)');
    for (const item of started) {
      try {
        item.kill?.();
      } catch {
        /* already gone */
      }
    }
    process.exit(1);
  }
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => onSignal(sig));

/** The 32-byte key that seals secrets at rest: ./data/secret.key, created on first start (mode 0600). */
function loadOrCreateSecretKey(dataDir) {
  const file = path.join(dataDir, 'secret.key');
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, randomHex(32) + '\n', { mode: 0o600, flag: 'wx' });
    log.info(`created ${shown(file)} (keep it: it decrypts the secrets stored in the database)`);
  }
  const key = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-fA-F]{64}$/.test(key)) throw new Error(`${file} must hold 64 hex characters (32 bytes)`);
  return key;
}

/** A path for messages: relative to the repo when inside it. */
function shown(p) {
  const rel = path.relative(root, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

function publicUrl(host, port) {
  const local = ['127.0.0.1', 'localhost', '0.0.0.0', '::', '::1', ''].includes(host);
  return `http://${local ? 'localhost' : host.includes(':') ? `[${host}]` : host}:${port}`;
}

function probeUrl(host, port) {
  const h = ['0.0.0.0', '', 'localhost'].includes(host) ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}/api/v1/openapi.json`;
}

function banner(url) {
  const lines = [
    '',
    `  Halley is running on ${url}`,
    '',
    '  Create the first administrator (only possible while there is no top-level administrator):',
    `    curl -X POST ${url}/api/v1/admin/add-first-admin-user -d TargetUser=admin -d TargetPassword='<a strong password>'`,
    '  or open the URL in a browser.',
    '',
    '  Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/**
 * A restart-service / shutdown-service request from the web process (the control file, then SIGUSR2): restart
 * stops web and workers gracefully one after the other (workers first, so the web answers meanwhile) and
 * starts them again without counting a crash; shutdown stops everything like Ctrl-C and exits 0.
 */
let controlBusy = false;
async function onControlRequest(file, supervised) {
  let request;
  try {
    request = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.rmSync(file, { force: true });
  } catch {
    return; // no request (a stray signal) or one already handled
  }
  if (state !== 'running' || !request || Date.now() - Number(request.at) > 60_000) return;
  const by = String(request.requestedBy ?? 'an administrator').slice(0, 100);
  if (request.action === 'shutdown') {
    void shutdown(0, `shutdown-service requested by ${by}: stopping`);
    return;
  }
  if (request.action !== 'restart' || controlBusy) return;
  controlBusy = true;
  try {
    log.info(`restart-service requested by ${by}: restarting ${supervised.map((s) => s.role.name).reverse().join(' and ')}`);
    for (const { role, stopTimeoutMs } of [...supervised].reverse()) {
      if (state !== 'running') return;
      await role.restart({ timeoutMs: stopTimeoutMs });
    }
    log.info('restart-service: done');
  } catch (err) {
    log.error(`restart-service: ${err.message}`);
  } finally {
    controlBusy = false;
  }
}

async function main() {
  const roles = chosenRoles(process.argv.slice(2), process.env.HALLEY_ROLES);
  const runsWeb = roles.includes('web');
  const someRoles = roles.length < ROLES.length;
  if (someRoles && (!process.env.DATABASE_URL || !process.env.REDIS_URL)) {
    throw new Error(`a node that runs only ${roles.join(', ')} needs DATABASE_URL and REDIS_URL: the PostgreSQL and Redis every node shares`);
  }
  if (someRoles) log.info(`roles on this node: ${roles.join(', ')}`);

  // 1. Dependencies and generated code.
  if (npmInstallNeeded(root)) {
    await log.step('npm install', () => npmInstall(root, { onSpawn: (c) => (foreground = c) }));
  }
  await log.step('Prisma client', async () => {
    if (!(await ensurePrismaClient(root))) log.info('    (up to date)');
  });

  // Fail early, before starting anything, when a part of the app is missing.
  requireFile(root, 'server.ts', 'the web server');
  requireFile(root, 'workers/index.ts', 'the background workers');
  requireFile(root, 'lib/db/migrate.ts', 'the migration applier');

  // 2. Data directory (what a killed earlier start left running there is stopped first), secret key.
  const dataDir = path.resolve(root, process.env.HALLEY_DATA_DIR || 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const runDir = path.join(dataDir, 'run');
  await stopLeftoverServices(dataDir, { log: log.info });
  const secretKey = process.env.HALLEY_SECRET_KEY || loadOrCreateSecretKey(dataDir);

  const port = Number(process.env.PORT || 8060);
  const host = process.env.HOST || '127.0.0.1';
  if (runsWeb && (await isPortInUse(port, ['0.0.0.0', '::', ''].includes(host) ? '127.0.0.1' : host))) {
    throw new Error(`port ${port} is already in use (is Halley already running?). Set PORT to use another one.`);
  }

  // 3. PostgreSQL.
  let databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    log.info('using the PostgreSQL in DATABASE_URL');
  } else {
    const pg = await log.step(`starting PostgreSQL (embedded, ${shown(path.join(dataDir, 'pg'))})`, async () =>
      startEmbeddedPostgres({
        dataDir: path.join(dataDir, 'pg'),
        port: await freePort(Number(process.env.HALLEY_PG_PORT) || 54320),
      }),
    );
    started.push({ name: 'postgres', stop: pg.stop });
    databaseUrl = pg.url;
    log.info(`    PostgreSQL on 127.0.0.1:${pg.port}`);
  }

  // 4. Redis.
  let redisUrl = process.env.REDIS_URL;
  if (redisUrl) {
    log.info('using the Redis in REDIS_URL');
  } else {
    await log.step('checking redis-server is installed', () =>
      ensureAptPackages(['redis-server'], { log: log.info }).catch((err) => {
        throw new Error(`${err.message}\n(or set REDIS_URL to use an existing Redis)`);
      }),
    );
    const redis = await log.step(`starting redis-server (${shown(path.join(dataDir, 'redis'))})`, async () =>
      startRedis({
        dir: path.join(dataDir, 'redis'),
        port: await freePort(Number(process.env.HALLEY_REDIS_PORT) || 63790),
        // Queued work (delayed email sends, commands queued for offline devices) survives a restart.
        persist: true,
      }),
    );
    started.push({ name: 'redis', stop: redis.stop });
    redisUrl = redis.url;
    log.info(`    Redis on 127.0.0.1:${redis.port}`);
  }

  // restart-service / shutdown-service: web writes the request to this file and sends SIGUSR2 (lib/server-config/signal-supervisor.ts).
  const controlFile = path.join(runDir, 'control.json');
  fs.mkdirSync(runDir, { recursive: true });
  const env = appEnv(process.env, {
    databaseUrl,
    redisUrl,
    secretKey,
    extra: { HALLEY_DATA_DIR: dataDir, PORT: String(port), HOST: host, HALLEY_SUPERVISOR_PID: String(process.pid), HALLEY_SUPERVISOR_CONTROL: controlFile },
  });

  // 5. Migrations, then the production build when the sources changed since the last one.
  await log.step('applying migrations', () => applyMigrations(databaseUrl, { root, env, onSpawn: (c) => (foreground = c) }));
  const staleReason = runsWeb && nextBuildStaleReason(root);
  if (!runsWeb) {
    // The workers role needs no build.
  } else if (staleReason) {
    await log.step(`next build (${staleReason})`, () => nextBuild({ root, env, onSpawn: (c) => (foreground = c) }));
  } else {
    log.info('next build: up to date');
  }
  foreground = null;
  if (state !== 'starting') return;

  // 6. Web and workers, each supervised: a crashed role is restarted with backoff (and says so in the log);
  // only Ctrl-C, or a role that keeps crashing, stops everything.
  const supervised = [];
  const supervise = (name, script, stopTimeoutMs) => {
    const role = superviseProcess(() => startProcess(tsx, [script], { name, env, pidDir: runDir }), {
      name,
      log: (line) => log.warn(line),
      onGiveUp: (reason) => void shutdown(1, `${reason}; stopping the rest (see the ${name} output above)`),
    });
    started.push({ name, stop: () => role.stop({ timeoutMs: stopTimeoutMs }), kill: () => role.kill() });
    supervised.push({ role, stopTimeoutMs });
    return role;
  };
  // A web node drains on SIGTERM (HALLEY_DRAIN_DELAY_SECONDS, then up to HALLEY_DRAIN_TIMEOUT_SECONDS): wait that long.
  const drainMs = ((Number(process.env.HALLEY_DRAIN_DELAY_SECONDS) || 0) + (Number(process.env.HALLEY_DRAIN_TIMEOUT_SECONDS) || 15)) * 1000;
  const web = runsWeb ? supervise('web', 'server.ts', Math.max(20_000, drainMs + 5_000)) : undefined;
  if (roles.includes('workers')) supervise('workers', 'workers/index.ts', 30_000);
  process.on('SIGUSR2', () => void onControlRequest(controlFile, supervised));

  if (!web) {
    state = 'running';
    log.info('Halley workers are running (Ctrl-C stops them)');
    return;
  }
  await log.step('waiting for the web server', () => waitForHttp(probeUrl(host, port), 180_000, { process: web.current }));
  if (state !== 'starting') return;
  if (demo) {
    const seeder = startProcess(tsx, ['scripts/demo.ts', '--url', probeUrl(host, port).replace('/api/v1/openapi.json', '')], { name: 'demo', env, pidDir: runDir });
    started.push({ name: 'demo devices', stop: () => seeder.stop({ timeoutMs: 10_000 }), kill: () => process.kill(-seeder.pid, 'SIGKILL') });
  }
  state = 'running';
  banner(publicUrl(host, port));
}

main().catch((err) => {
  if (state === 'stopping') return;
  log.error(err?.message ?? String(err));
  void shutdown(1);
});
