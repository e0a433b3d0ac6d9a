// Scale-out and faults of the live connections with real processes: a second web node on the same
// database and Redis relays commands to devices connected to the other node; a node that crashes
// mid-job comes back and its devices reconnect (backoff with jitter) and lose nothing; a device that
// vanishes without closing its socket is offline within two heartbeats.
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedDevices, type SimulatedDevice } from '../../agent/simulated';
import { DEVICE_CONNECT_PATH, PROTOCOL_VERSION } from '../../lib/live/protocol';
import { repoRoot } from '../../scripts/lib/services.mjs';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';
import { makeTenant, makeUser, rootClient, type TenantFixture } from '../helpers/fixtures';
import { finishedJob, liveConnectionId, setUpBackupProfile, waitFor, type LiveAccount } from '../helpers/live';
import { halleyUrl } from '../helpers/server';
import { CometClient } from '../helpers/comet-client';

const logDir = process.env.HALLEY_TEST_SERVICES_DIR ?? path.join(repoRoot, '.test-services');
let node2: HalleyProcess;
let t: TenantFixture;
let account: LiveAccount;
const sims: SimulatedDevice[] = [];

beforeAll(async () => {
  await rootClient();
  node2 = await startHalley({ name: 'web-node2', logDir, env: { HALLEY_LIVE_HEARTBEAT_SECONDS: '1' } });
  t = await makeTenant('relay');
  account = await setUpBackupProfile(t.admin, await makeUser(t.admin));
}, 180_000);

afterAll(async () => {
  for (const s of sims) s.stop();
  await node2?.stop();
});

const adminOn = (url: string) => new CometClient(url, t.admin.creds);

describe('two web nodes, one Redis', () => {
  it('a command issued on node 1 reaches a device connected to node 2, and both list it', async () => {
    const [sim] = await startSimulatedDevices({ url: node2.url, username: account.username, password: account.password, count: 1, jobSeconds: 1, prefix: `relay-${account.username}` });
    sims.push(sim);
    const conn = await liveConnectionId(adminOn(node2.url), sim.deviceId);
    expect(Object.keys(await adminOn(halleyUrl()).ok('/api/v1/admin/dispatcher/list-active', { UserNameFilter: account.username }))).toEqual([conn]);
    expect(await adminOn(halleyUrl()).ok('/api/v1/admin/dispatcher/refetch-profile', { TargetID: conn })).toEqual({ Status: 200, Message: 'Profile reloaded' });
    const run = await adminOn(halleyUrl()).ok('/api/v1/admin/dispatcher/run-backup', { TargetID: conn, BackupRule: account.rule });
    expect((await finishedJob(t.admin, run.JobID)).Status).toBeGreaterThanOrEqual(5000);
    // And the other way round: drop from node 1, the device comes back to node 2.
    await adminOn(halleyUrl()).ok('/api/v1/admin/dispatcher/drop-connection', { TargetID: conn });
    await liveConnectionId(t.admin, sim.deviceId, conn);
  });

  it('each device is pinged about once per heartbeat interval (1 s on node 2), not more often', async () => {
    const ws = new WebSocket(node2.url.replace('http', 'ws') + DEVICE_CONNECT_PATH, { perMessageDeflate: false });
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, auth: { kind: 'password', username: account.username, password: account.password }, device: { deviceId: `pinged-${account.username}`, friendlyName: 'pinged', version: '1', platform: 'linux' } }));
    await new Promise((r) => ws.once('message', r)); // welcome
    // Waits for five pings (no fixed observation window) and checks their mean spacing. A single gap may be
    // shorter or longer than the interval: each heartbeat tick pings a slice of the node's sockets, and the slice
    // this socket falls in moves when other devices come and go.
    const pingedAt: number[] = [];
    ws.on('ping', () => pingedAt.push(performance.now()));
    await waitFor('five pings', async () => pingedAt.length >= 5, 15_000, 50);
    ws.close();
    const meanGapMs = (pingedAt[4] - pingedAt[0]) / 4;
    expect(meanGapMs).toBeGreaterThan(600);
    expect(meanGapMs).toBeLessThan(1600);
  });

  it('a device that stops answering pings is offline within two heartbeats', async () => {
    const ws = new WebSocket(node2.url.replace('http', 'ws') + DEVICE_CONNECT_PATH, { perMessageDeflate: false, autoPong: false });
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, auth: { kind: 'password', username: account.username, password: account.password }, device: { deviceId: `silent-${account.username}`, friendlyName: 'silent', version: '1', platform: 'linux' } }));
    const conn = await liveConnectionId(t.admin, `silent-${account.username}`);
    // autoPong is off: the socket stays open but never answers; the server must drop it.
    const code = await new Promise<number>((r) => ws.once('close', (c) => r(c)));
    expect(code).toBe(1006);
    await waitFor('the silent device to be listed offline', async () => !(await t.admin.ok('/api/v1/admin/dispatcher/list-active'))[conn]);
  });
});

describe('web node crash', () => {
  it('devices reconnect with backoff and jitter after a restart, and the running job is not lost', async () => {
    const user = await setUpBackupProfile(t.admin, await makeUser(t.admin));
    const node = await startHalley({ name: 'web-crash', logDir });
    const port = node.port;
    const devices = await startSimulatedDevices({ url: node.url, username: user.username, password: user.password, count: 5, jobSeconds: 4, prefix: `crash-${user.username}`, backoff: { baseMs: 300, maxMs: 3000 } });
    sims.push(...devices);
    const conn = await liveConnectionId(t.admin, devices[0].deviceId);
    const run = await t.admin.ok('/api/v1/admin/dispatcher/run-backup', { TargetID: conn, BackupRule: user.rule });
    await waitFor('the job to start', async () => (await t.admin.call('/api/v1/admin/get-job-properties', { JobID: run.JobID })).body?.Status === 6001);
    await node.crash();
    await waitFor('the devices to notice', async () => devices.every((d) => !d.client.connected));
    // The job keeps running on the device; its reports wait for the server.
    const restarted = await startHalley({ name: 'web-crash-2', logDir, port });
    try {
      for (const d of devices) await liveConnectionId(t.admin, d.deviceId, d === devices[0] ? conn : undefined);
      const job = await finishedJob(t.admin, run.JobID);
      expect([5000, 7001]).toContain(job.Status);
      expect(job.TotalFiles).toBeGreaterThan(0);
      const log = await t.admin.ok('/api/v1/admin/get-job-log-entries', { JobID: run.JobID });
      expect(log.some((e: any) => /Uploaded/.test(e.Message))).toBe(true);
      expect(new Set(log.map((e: any) => e.Message)).size).toBe(log.length); // resent batches are stored once
      // Every report made while the node was down was delivered and acknowledged.
      await waitFor('all reports to be acknowledged', async () => devices.every((d) => d.client.pendingReports === 0));
    } finally {
      for (const d of devices) d.stop();
      await restarted.stop();
    }
  }, 120_000);
});
