// Live-connection benchmark (not part of npm test): idle device sockets and command round trips on ONE
// Halley web process, against a bare `ws` server holding the same sockets, in the same run.
//   npm run bench:live                      # 19,500 idle devices (the fd limit here), RTT over them
//   npm run bench:live -- --devices 10000   # another count; --rounds 1 skips the second round
// Idle memory, the same way for both servers: N devices connect (token sign-in, presence in Redis, a
// DEVICE_LIVE_CONNECT event each on Halley), all of them leave, and N connect again. Memory is read
// before and after each round: RSS as it is, and RSS / heap after full GCs (over the DevTools protocol,
// bench/inspector.ts). Per connection = growth / devices. The first round measures a fresh process, so it
// also counts one-time costs and whatever the sign-in storm left with the allocator; the second round
// measures what holding N connections costs a process that has already seen them.
// Round trip: POST admin/dispatcher/refetch-profile (SessionKey) -> relay -> device -> answer, vs POST
// /cmd on the bare server (node:http -> ws -> device -> answer): both include one HTTP hop.
// Load generators are separate processes (bench/live-clients.ts) on 127.0.0.1-4 source addresses.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { StreamableEventType as SEVT } from '../lib/comet/constants';
import { applyMigrations } from '../lib/db/migrate';
import { freePort, startProcess, waitForHttp } from '../scripts/lib/services.mjs';
import { heapSnapshot, memoryAfterGc, startCpuProfile, type MemoryUsage } from './inspector';
import { benchDeviceToken, Cleanup, ensureNextBuild, makeTempDirs, randomHex, repoRoot, startBenchRedis, startHalley, startPostgres } from './services';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '19500' },
    commands: { type: 'string', default: '2000' },
    clients: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '2' },
    'heap-snapshots': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(values.devices);
const COMMANDS = Number(values.commands);
const CLIENTS = Number(values.clients);
const ROUNDS = Math.min(2, Math.max(1, Number(values.rounds)));
const SNAPSHOTS = values['heap-snapshots'];
const log = (msg: string) => process.stdout.write(`[bench:live ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The real node process of a process group started by startProcess (tsx or node). */
function nodePid(pid: number): number {
  const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return children.length ? nodePid(children[0]) : pid;
}

type Device = { deviceId: string; username: string; token: string };

async function connectDevices(url: string, devices: Device[], cleanup: Cleanup): Promise<{ seconds: number; stop: () => void }> {
  const per = Math.ceil(devices.length / CLIENTS);
  const children: Array<ReturnType<typeof fork>> = [];
  const started = Date.now();
  const results = await Promise.all(
    Array.from({ length: CLIENTS }, (_v, k) => {
      const child = fork(path.join(repoRoot, 'bench', 'live-clients.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(child);
      cleanup.add(`load generator ${child.pid}`, () => void child.kill('SIGKILL'));
      return new Promise<{ connected: number; failed: number }>((resolve) => {
        child.on('message', (m: any) => {
          if (m.kind === 'connected') resolve(m);
          if (m.kind === 'log') log(`client ${k}: ${m.message}`);
        });
        child.send({ url, devices: devices.slice(k * per, (k + 1) * per), concurrency: 100, sources: 4 });
      });
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const connected = results.reduce((a, r) => a + r.connected, 0);
  const failed = results.reduce((a, r) => a + r.failed, 0);
  log(`${connected} devices connected in ${seconds.toFixed(1)} s (${failed} failed)`);
  if (connected !== devices.length) throw new Error(`only ${connected} of ${devices.length} devices connected`);
  return {
    seconds,
    stop: () => {
      for (const c of children) c.kill('SIGKILL');
    },
  };
}

async function roundTrips(call: (i: number) => Promise<void>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 100; i++) await call(i); // warm-up
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < COMMANDS) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      await call(i * 7919);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)], p99: times[Math.floor(times.length * 0.99)] };
}

type Memory = { rssMiB: number; gc: MemoryUsage };

/** RSS as it is, then the figures after full GCs (the same for Halley and the bare server). */
async function measure(name: string, pid: number, inspectPort: number, label: string): Promise<Memory> {
  const rss = rssMiB(pid);
  const gc = await memoryAfterGc(inspectPort);
  const MiB = (n: number) => (n / 1048576).toFixed(1);
  log(`${name}, ${label}: RSS ${rss.toFixed(1)} MiB; after GC: RSS ${MiB(gc.rss)}, heap used ${MiB(gc.heapUsed)} of ${MiB(gc.heapTotal)}, external ${MiB(gc.external)} MiB`);
  if (SNAPSHOTS) {
    const dir = path.join(repoRoot, 'bench', 'results', 'live-heap');
    fs.mkdirSync(dir, { recursive: true });
    const base = path.join(dir, `${name}-${label.replace(/[^a-z0-9]+/gi, '-')}`);
    fs.writeFileSync(`${base}.smaps`, fs.readFileSync(`/proc/${pid}/smaps`));
    await heapSnapshot(inspectPort, `${base}.heapsnapshot`);
  }
  return { rssMiB: rss, gc };
}

type Server = {
  name: string;
  url: string;
  pid: number;
  inspectPort: number;
  /** Live device connections as the server itself counts them. */
  count(): Promise<number>;
  /** Resolves once the server has finished with `n` devices leaving (Halley: their disconnect events are written). */
  left(n: number): Promise<void>;
  /** 50 small requests before memory is read (Halley: list-active, which signs in with the session key). Prisma
   * keeps the arguments of its last 100 calls (@prisma/debug), so what it holds does not depend on whether
   * the last thing the process did was a burst of sign-ins or of disconnect events. */
  quiesce(): Promise<void>;
};

type Round = { before: Memory; after: Memory; connectSeconds: number };

/** One or two rounds of N devices connecting; the devices of the last round stay connected (call stop). */
async function holdDevices(server: Server, devices: Device[], cleanup: Cleanup): Promise<{ rounds: Round[]; stop: () => void }> {
  const rounds: Round[] = [];
  let stop = () => {};
  for (let r = 1; r <= ROUNDS; r++) {
    if (r > 1) {
      stop();
      await server.left(N * (r - 1));
    }
    await server.quiesce();
    await sleep(3000);
    const before = await measure(server.name, server.pid, server.inspectPort, `round ${r}, 0 devices`);
    const clients = await connectDevices(server.url, devices, cleanup);
    stop = clients.stop;
    await sleep(10_000);
    await server.quiesce();
    const after = await measure(server.name, server.pid, server.inspectPort, `round ${r}, ${N} devices`);
    const count = await server.count();
    if (count !== N) throw new Error(`${server.name} counts ${count} live connections, expected ${N}`);
    rounds.push({ before, after, connectSeconds: clients.seconds });
  }
  return { rounds, stop };
}

async function waitUntil(what: string, fn: () => Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

async function main(): Promise<void> {
  const cleanup = new Cleanup();
  process.on('SIGINT', () => void cleanup.run(log).then(() => process.exit(130)));
  try {
    await ensureNextBuild(log, false);
    const dirs = makeTempDirs(cleanup, values.keep);
    if (values.keep) log(`temp dir (kept): ${dirs.root}`);
    const pgSvc = await startPostgres(dirs, cleanup);
    const redis = await startBenchRedis(dirs, cleanup);
    await applyMigrations(pgSvc.url, { log: () => {} });
    const secretKey = randomHex(32);
    const halleyInspect = await freePort();
    const halley = await startHalley({ databaseUrl: pgSvc.url, redisUrl: redis.url, secretKey, logFile: path.join(dirs.logs, 'halley.log'), nodeArgs: ['--max-old-space-size=4096', `--inspect=127.0.0.1:${halleyInspect}`] }, cleanup);
    const post = async (p: string, params: Record<string, string>) => {
      const res = await fetch(halley.url + p, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params) });
      const body = (await res.json()) as any;
      if (body?.Status >= 400) throw new Error(`${p}: ${JSON.stringify(body)}`);
      return body;
    };
    await post('/api/v1/admin/add-first-admin-user', { TargetUser: 'bench', TargetPassword: 'bench-pw-1' });
    const admin = { Username: 'bench', AuthType: 'Password', Password: 'bench-pw-1' };
    await post('/api/v1/admin/add-user', { ...admin, TargetUser: 'bench-user', TargetPassword: 'bench-user-pw' });
    const session = (await post('/api/v1/admin/account/session-start', admin)).SessionKey as string;
    const auth = { Username: 'bench', AuthType: 'SessionKey', SessionKey: session };

    // N registered devices (bulk SQL) and their tokens (the server's HMAC, lib/live/device-token.ts).
    const c = new pg.Client({ connectionString: pgSvc.url });
    await c.connect();
    cleanup.add('pg client', () => c.end());
    const { id: accountId, tenantId } = (await c.query('SELECT id, "tenantId" FROM "Account" WHERE username = $1', ['bench-user'])).rows[0];
    await c.query(
      `INSERT INTO "Device" (id, "tenantId", "accountId", "deviceId", "friendlyName", data, position)
       SELECT gen_random_uuid(), $1, $2, 'bench-' || g, 'bench-' || g, '{}'::jsonb, g FROM generate_series(0, $3::int - 1) g`,
      [tenantId, accountId, N],
    );
    const devices = Array.from({ length: N }, (_v, i) => {
      const deviceId = `bench-${i}`;
      return { deviceId, username: 'bench-user', token: benchDeviceToken(secretKey, accountId, deviceId) };
    });

    // --- Halley
    const liveIds = async () => Object.keys(await post('/api/v1/admin/dispatcher/list-active', auth));
    const disconnects = async () => Number((await c.query('SELECT count(*) FROM "Event" WHERE type = $1', [SEVT.SEVT_DEVICE_LIVE_DISCONNECT])).rows[0].count);
    const halleyServer: Server = {
      name: 'halley',
      url: halley.url,
      pid: nodePid(halley.proc.pid!),
      inspectPort: halleyInspect,
      count: async () => (await liveIds()).length,
      left: async (n) => {
        const t0 = Date.now();
        await waitUntil('Halley to record the disconnects', async () => (await disconnects()) >= n && (await liveIds()).length === 0);
        log(`halley: ${n} disconnects handled in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      },
      quiesce: async () => {
        for (let i = 0; i < 50; i++) await post('/api/v1/admin/dispatcher/list-active', { ...auth, UserNameFilter: 'x' });
      },
    };
    const halleyHeld = await holdDevices(halleyServer, devices, cleanup);
    const live = await liveIds();
    const profile = values['cpu-prof'] ? await startCpuProfile(halleyInspect) : undefined;
    const halleyRtt = await roundTrips(async (i) => void (await post('/api/v1/admin/dispatcher/refetch-profile', { ...auth, TargetID: live[i % live.length] })));
    if (profile) {
      const file = path.join(repoRoot, 'bench', 'results', 'live-rtt-halley.cpuprofile');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await profile.stop(file);
      log(`CPU profile of Halley during the round trips: ${path.relative(repoRoot, file)} (npx tsx bench/cpu-summary.ts ${path.relative(repoRoot, file)})`);
    }
    halleyHeld.stop();
    await sleep(2000);

    // --- bare ws baseline, same sockets
    const port = await freePort();
    const bareInspect = await freePort();
    const bare = startProcess(process.execPath, ['--max-old-space-size=4096', `--inspect=127.0.0.1:${bareInspect}`, '--import', 'tsx', 'bench/live-bare.ts'], { name: 'bare', env: { ...process.env, PORT: String(port), MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' }, echo: false, logFile: path.join(dirs.logs, 'bare.log') });
    cleanup.add('bare ws server', () => bare.stop({ timeoutMs: 5000 }));
    const bareUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${bareUrl}/health`, 30_000, { process: bare });
    const bareCount = async () => Number(await (await fetch(`${bareUrl}/count`)).text());
    const bareServer: Server = {
      name: 'bare',
      url: bareUrl,
      pid: nodePid(bare.pid!),
      inspectPort: bareInspect,
      count: bareCount,
      left: () => waitUntil('the bare server to see the devices leave', async () => (await bareCount()) === 0),
      quiesce: async () => {
        for (let i = 0; i < 50; i++) await bareCount();
      },
    };
    const bareHeld = await holdDevices(bareServer, devices, cleanup);
    const bareRtt = await roundTrips(async (i) => void (await (await fetch(`${bareUrl}/cmd?i=${i}`, { method: 'POST' })).text()));
    bareHeld.stop();

    report(halleyHeld.rounds, bareHeld.rounds, halleyRtt, bareRtt);
  } finally {
    await cleanup.run(() => {});
  }
}

type Per = { rawRssKiB: number; rssKiB: number; heapKiB: number };

function perConnection(r: Round): Per {
  return {
    rawRssKiB: ((r.after.rssMiB - r.before.rssMiB) * 1024) / N,
    rssKiB: (r.after.gc.rss - r.before.gc.rss) / 1024 / N,
    heapKiB: (r.after.gc.heapUsed - r.before.gc.heapUsed) / 1024 / N,
  };
}

function report(halley: Round[], bare: Round[], halleyRtt: { p50: number; p99: number }, bareRtt: { p50: number; p99: number }): void {
  const f = (n: number) => n.toFixed(1);
  const MiB = (bytes: number) => f(bytes / 1048576);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  const peakRss = Math.max(...halley.map((r) => Math.max(r.after.rssMiB, r.after.gc.rss / 1048576)));
  const rttTarget = 2 * bareRtt.p99 + 5;
  const rows: string[] = [];
  halley.forEach((h, i) => {
    const b = bare[i];
    const ph = perConnection(h);
    const pb = perConnection(b);
    const what = i === 0 ? 'round 1 (fresh process)' : 'round 2 (after N devices came and left)';
    rows.push(
      `  | ${what}: RSS before -> after, as it is (MiB) | ${f(h.before.rssMiB)} -> ${f(h.after.rssMiB)} | ${f(b.before.rssMiB)} -> ${f(b.after.rssMiB)} | |`,
      `  | ${what}: RSS before -> after, after GC (MiB) | ${MiB(h.before.gc.rss)} -> ${MiB(h.after.gc.rss)} | ${MiB(b.before.gc.rss)} -> ${MiB(b.after.gc.rss)} | |`,
      `  | ${what}: per connection, RSS as it is (KiB) | ${f(ph.rawRssKiB)} | ${f(pb.rawRssKiB)} | ${ratio(ph.rawRssKiB, pb.rawRssKiB)} |`,
      `  | ${what}: per connection, RSS after GC (KiB) | ${f(ph.rssKiB)} | ${f(pb.rssKiB)} | ${ratio(ph.rssKiB, pb.rssKiB)} |`,
      `  | ${what}: per connection, JS heap after GC (KiB) | ${f(ph.heapKiB)} | ${f(pb.heapKiB)} | ${ratio(ph.heapKiB, pb.heapKiB)} |`,
      `  | ${what}: ${N} sign-ins (s) | ${f(h.connectSeconds)} | ${f(b.connectSeconds)} | |`,
    );
  });
  const result = {
    devices: N,
    halley: { rounds: halley.map((r) => ({ ...r, perConnection: perConnection(r) })), rtt: halleyRtt, peakRssMiB: peakRss },
    bare: { rounds: bare.map((r) => ({ ...r, perConnection: perConnection(r) })), rtt: bareRtt },
    rttP99Target: rttTarget,
  };
  fs.mkdirSync(path.join(repoRoot, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, 'bench', 'results', 'live-latest.json'), JSON.stringify(result, null, 2));
  process.stdout.write(
    [
      '',
      `  ${N} idle devices on one web process (targets: per connection <= 1.5x bare ws, RSS <= 1 GiB, RTT p99 <= 2 x bare p99 + 5 ms)`,
      `  | | Halley | bare ws | ratio |`,
      `  |---|---|---|---|`,
      ...rows,
      `  | Halley's highest RSS with ${N} devices (MiB) | ${f(peakRss)} | | ${peakRss <= 1024 ? '<=' : '>'} 1 GiB |`,
      `  | command round trip p50 / p99 (ms) | ${f(halleyRtt.p50)} / ${f(halleyRtt.p99)} | ${f(bareRtt.p50)} / ${f(bareRtt.p99)} | p99 target <= ${f(rttTarget)} ms: ${halleyRtt.p99 <= rttTarget ? 'met' : 'missed'} |`,
      '',
    ].join('\n'),
  );
}

main().catch((err) => {
  log(`failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
