// Live-connection benchmark (not part of npm test): idle device sockets and command round trips on ONE
// Halley web process, against a bare `ws` server holding the same sockets, in the same run.
//   npm run bench:live                      # 19,500 idle devices (the fd limit here), RTT over them
//   npm run bench:live -- --devices 10000   # another count
// Idle: RSS of the web process before and after the devices connected (token sign-in, presence in
// Redis, a DEVICE_LIVE_CONNECT event each); per-connection memory = RSS growth / devices, compared with
// the bare server's. Round trip: POST admin/dispatcher/refetch-profile (SessionKey) -> relay -> device
// -> answer, vs POST /cmd on the bare server (node:http -> ws -> device -> answer): both include one HTTP hop.
// Load generators are separate processes (bench/live-clients.ts) on 127.0.0.1-4 source addresses.
import { fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { applyMigrations } from '../lib/db/migrate';
import { freePort, startProcess, waitForHttp } from '../scripts/lib/services.mjs';
import { Cleanup, ensureNextBuild, makeTempDirs, randomHex, repoRoot, startBenchRedis, startHalley, startPostgres } from './services';

const { values } = parseArgs({ options: { devices: { type: 'string', default: '19500' }, commands: { type: 'string', default: '2000' }, clients: { type: 'string', default: '3' } } });
const N = Number(values.devices);
const COMMANDS = Number(values.commands);
const CLIENTS = Number(values.clients);
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

async function connectDevices(url: string, devices: Array<{ deviceId: string; username: string; token: string }>, cleanup: Cleanup): Promise<() => void> {
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
  const connected = results.reduce((a, r) => a + r.connected, 0);
  const failed = results.reduce((a, r) => a + r.failed, 0);
  log(`${connected} devices connected in ${((Date.now() - started) / 1000).toFixed(1)} s (${failed} failed)`);
  return () => {
    for (const c of children) c.kill('SIGKILL');
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

async function main(): Promise<void> {
  const cleanup = new Cleanup();
  process.on('SIGINT', () => void cleanup.run(log).then(() => process.exit(130)));
  try {
    await ensureNextBuild(log, false);
    const dirs = makeTempDirs(cleanup);
    const pgSvc = await startPostgres(dirs, cleanup);
    const redis = await startBenchRedis(dirs, cleanup);
    await applyMigrations(pgSvc.url, { log: () => {} });
    const secretKey = randomHex(32);
    const halley = await startHalley({ databaseUrl: pgSvc.url, redisUrl: redis.url, secretKey, logFile: path.join(dirs.logs, 'halley.log'), nodeArgs: ['--max-old-space-size=4096'] }, cleanup);
    const halleyPid = nodePid(halley.proc.pid!);
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
    const { id: accountId, tenantId } = (await c.query('SELECT id, "tenantId" FROM "Account" WHERE username = $1', ['bench-user'])).rows[0];
    await c.query(
      `INSERT INTO "Device" (id, "tenantId", "accountId", "deviceId", "friendlyName", data, position)
       SELECT gen_random_uuid(), $1, $2, 'bench-' || g, 'bench-' || g, '{}'::jsonb, g FROM generate_series(0, $3::int - 1) g`,
      [tenantId, accountId, N],
    );
    await c.end();
    const key = Buffer.from(secretKey, 'hex');
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    const devices = Array.from({ length: N }, (_v, i) => {
      const deviceId = `bench-${i}`;
      const mac = createHmac('sha256', key).update(`halley-device-token\u0000${accountId}\u0000${deviceId}`).digest('base64url');
      return { deviceId, username: 'bench-user', token: `v1.${b64(accountId)}.${b64(deviceId)}.${mac}` };
    });

    // --- Halley
    for (let i = 0; i < 50; i++) await post('/api/v1/admin/dispatcher/list-active', { ...auth, UserNameFilter: 'x' });
    await sleep(3000);
    const halleyBefore = rssMiB(halleyPid);
    const stopHalleyClients = await connectDevices(halley.url, devices, cleanup);
    await sleep(10_000);
    const halleyAfter = rssMiB(halleyPid);
    const live = Object.keys(await post('/api/v1/admin/dispatcher/list-active', auth));
    log(`Halley lists ${live.length} live connections; RSS ${halleyBefore.toFixed(0)} -> ${halleyAfter.toFixed(0)} MiB`);
    const halleyRtt = await roundTrips(async (i) => void (await post('/api/v1/admin/dispatcher/refetch-profile', { ...auth, TargetID: live[i % live.length] })));
    stopHalleyClients();
    await sleep(2000);

    // --- bare ws baseline, same sockets
    const port = await freePort();
    const bare = startProcess(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', 'bench/live-bare.ts'], { name: 'bare', env: { ...process.env, PORT: String(port) }, echo: false, logFile: path.join(dirs.logs, 'bare.log') });
    cleanup.add('bare ws server', () => bare.stop({ timeoutMs: 5000 }));
    const bareUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${bareUrl}/health`, 30_000, { process: bare });
    const barePid = nodePid(bare.pid!);
    await sleep(3000);
    const bareBefore = rssMiB(barePid);
    const stopBareClients = await connectDevices(bareUrl, devices, cleanup);
    await sleep(10_000);
    const bareAfter = rssMiB(barePid);
    const bareRtt = await roundTrips(async (i) => void (await (await fetch(`${bareUrl}/cmd?i=${i}`, { method: 'POST' })).text()));
    stopBareClients();

    const perHalley = ((halleyAfter - halleyBefore) * 1024) / live.length;
    const perBare = ((bareAfter - bareBefore) * 1024) / N;
    const report = {
      devices: N,
      halley: { rssBeforeMiB: halleyBefore, rssAfterMiB: halleyAfter, perConnectionKiB: perHalley, rtt: halleyRtt },
      bare: { rssBeforeMiB: bareBefore, rssAfterMiB: bareAfter, perConnectionKiB: perBare, rtt: bareRtt },
      ratios: { perConnectionMemory: perHalley / perBare, rttP99Target: 2 * bareRtt.p99 + 5 },
    };
    fs.mkdirSync(path.join(repoRoot, 'bench', 'results'), { recursive: true });
    fs.writeFileSync(path.join(repoRoot, 'bench', 'results', 'live-latest.json'), JSON.stringify(report, null, 2));
    const f = (n: number) => n.toFixed(1);
    process.stdout.write(
      [
        '',
        `  ${N} idle devices on one web process`,
        `  | | Halley | bare ws | ratio / target |`,
        `  |---|---|---|---|`,
        `  | RSS before -> after (MiB) | ${f(halleyBefore)} -> ${f(halleyAfter)} | ${f(bareBefore)} -> ${f(bareAfter)} | Halley after ${halleyAfter <= 1024 ? '<=' : '>'} 1 GiB |`,
        `  | per connection (KiB) | ${f(perHalley)} | ${f(perBare)} | ${(perHalley / perBare).toFixed(2)}x (target <= 1.5x) |`,
        `  | command round trip p50 / p99 (ms) | ${f(halleyRtt.p50)} / ${f(halleyRtt.p99)} | ${f(bareRtt.p50)} / ${f(bareRtt.p99)} | p99 target <= ${f(2 * bareRtt.p99 + 5)} ms |`,
        '',
      ].join('\n'),
    );
  } finally {
    await cleanup.run(() => {});
  }
}

main().catch((err) => {
  log(`failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
