// Bad input on the device endpoint, with a raw websocket: malformed frames, oversize and binary frames,
// frames that claim another device's job or carry fields the protocol does not have, and wrong credentials
// are refused, the connection is closed, and nothing is stored. A frame of a type this server does not know
// (a newer agent's) is answered and ignored; the connection stays.
import WebSocket from 'ws';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLOSE, describeVersions, DEVICE_CONNECT_PATH, MAX_FRAME_BYTES, PROTOCOL_VERSION, PROTOCOL_VERSIONS } from '../../lib/live/protocol';
import { makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { jobDetail, seedJobs } from '../helpers/jobs';
import { liveConnectionId } from '../helpers/live';
import { halleyUrl } from '../helpers/server';

let a: TenantFixture;
let user: { username: string; password: string };
let otherJob: string;

type Peer = { ws: WebSocket; frames: any[]; closed: Promise<{ code: number; reason: string }> };

async function dial(): Promise<Peer> {
  const ws = new WebSocket(halleyUrl().replace('http', 'ws') + DEVICE_CONNECT_PATH, { perMessageDeflate: false });
  const frames: any[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  return { ws, frames, closed };
}

const device = (id: string) => ({ deviceId: id, friendlyName: 'raw', version: '1', platform: 'linux' });

/** The first frame the server sent (waits for it). */
async function firstFrame(peer: Peer): Promise<any> {
  for (let i = 0; i < 200 && peer.frames.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  return peer.frames[0];
}

async function signedIn(deviceId = uniq('raw')): Promise<Peer> {
  const peer = await dial();
  peer.ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, auth: { kind: 'password', username: user.username, password: user.password }, device: device(deviceId) }));
  await liveConnectionId(a.admin, deviceId);
  return peer;
}

async function jobRow(id: string): Promise<unknown> {
  return (await a.admin.call('/api/v1/admin/get-job-properties', { JobID: id })).body;
}

beforeAll(async () => {
  await rootClient();
  a = await makeTenant('faults');
  user = await makeUser(a.admin);
  const other = await makeUser(a.admin);
  const job = jobDetail(other.username, { Status: 6001, EndTime: 0, DeviceID: 'someone-else' });
  await seedJobs([job]);
  otherJob = job.GUID;
});

describe('before authentication', () => {
  it('a first frame that is not a hello closes the connection', async () => {
    for (const bad of ['not json', '{"t":"job.start"}', JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, auth: { kind: 'password' }, device: device('x') })]) {
      const p = await dial();
      p.ws.send(bad);
      expect((await p.closed).code).toBe(CLOSE.protocolError);
      expect(p.frames[0]).toMatchObject({ t: 'error' });
    }
  });

  it('wrong credentials and forged tokens are refused with 4003', async () => {
    const p = await dial();
    p.ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, auth: { kind: 'password', username: user.username, password: 'wrong' }, device: device('x') }));
    expect((await p.closed).code).toBe(CLOSE.unauthorized);
    const q = await dial();
    q.ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, auth: { kind: 'token', username: user.username, token: 'v1.YQ.eA.forged' }, device: device('x') }));
    expect((await q.closed).code).toBe(CLOSE.unauthorized);
  });

  it('an unsupported protocol version is refused with 4010, naming both sides\' versions', async () => {
    const p = await dial();
    p.ws.send(JSON.stringify({ t: 'hello', v: 999, auth: { kind: 'lobby' }, device: device('x') }));
    const closed = await p.closed;
    expect(closed.code).toBe(CLOSE.unsupportedVersion);
    expect(closed.reason).toBe(`No common protocol version: this device speaks 999, this server speaks ${describeVersions(PROTOCOL_VERSIONS)}`);
    expect(p.frames[0]).toMatchObject({ t: 'error', message: closed.reason });
    const q = await dial();
    q.ws.send(JSON.stringify({ t: 'hello', v: 900, versions: [900, 901, 902], auth: { kind: 'password', username: user.username, password: user.password }, device: device(uniq('newer')) }));
    expect(await q.closed).toMatchObject({ code: CLOSE.unsupportedVersion, reason: expect.stringContaining('this device speaks 900-902') });
  });

  it('a device that offers several versions is welcomed with the newest both sides speak; a v1 hello is unchanged', async () => {
    const newest = Math.max(...PROTOCOL_VERSIONS);
    const newer = await dial();
    const newerId = uniq('negotiated');
    newer.ws.send(JSON.stringify({ t: 'hello', v: 1, versions: [1, ...PROTOCOL_VERSIONS, newest + 1, newest + 5], auth: { kind: 'password', username: user.username, password: user.password }, device: device(newerId) }));
    await liveConnectionId(a.admin, newerId);
    expect(await firstFrame(newer)).toMatchObject({ t: 'welcome', v: newest, deviceId: newerId });
    const plain = await signedIn();
    expect(await firstFrame(plain)).toMatchObject({ t: 'welcome', v: 1 });
    const lobby = await dial();
    lobby.ws.send(JSON.stringify({ t: 'hello', v: 1, versions: [1, newest + 1], auth: { kind: 'lobby' }, device: device(uniq('lobby')) }));
    expect(await firstFrame(lobby)).toMatchObject({ t: 'lobby', v: 1 });
    for (const p of [newer, plain, lobby]) p.ws.close();
  });
});

describe('after authentication', () => {
  it('a frame type this server does not know (a newer agent) is answered and the connection stays', async () => {
    const p = await signedIn();
    const ackOf = (seq: number) =>
      new Promise<any>((r) => {
        const check = () => {
          const f = p.frames.find((x) => x.t === 'ack' && x.seq === seq);
          return f ? r(f) : setTimeout(check, 50);
        };
        check();
      });
    // A report from a newer protocol: acknowledged as not done (the agent drops it instead of resending it).
    p.ws.send(JSON.stringify({ t: 'update.progress', seq: 1, version: '99.0.0', percent: 40, detail: { step: 'download' } }));
    expect(await ackOf(1)).toMatchObject({ ok: false, message: expect.stringContaining("does not know 'update.progress'") });
    // Without a seq: nothing to answer, ignored.
    p.ws.send(JSON.stringify({ t: 'make-me-admin' }));
    // The connection still works: a known report afterwards is stored and acknowledged.
    p.ws.send(JSON.stringify({ t: 'profile.get', seq: 2 }));
    expect(await ackOf(2)).toMatchObject({ ok: true });
    expect(p.ws.readyState).toBe(WebSocket.OPEN);
    expect(p.frames.filter((f) => f.t === 'ack').map((f) => f.seq)).toEqual([1, 2]);
    expect(p.frames.some((f) => f.t === 'error')).toBe(false);
    p.ws.close();
  });

  it('a frame that is not a typed object closes the connection', async () => {
    for (const bad of ['{"seq":1}', '"job.start"', '[1]', 'not json', JSON.stringify({ t: 'x'.repeat(65), seq: 1 })]) {
      const p = await signedIn();
      p.ws.send(bad);
      expect((await p.closed).code).toBe(CLOSE.protocolError);
    }
  });

  it('a frame that names an account or device (fields the protocol does not have) is refused, nothing stored', async () => {
    const p = await signedIn();
    const jobId = uniq('job-claim').replace(/[^A-Za-z0-9-]/g, '');
    p.ws.send(JSON.stringify({ t: 'job.start', seq: 1, jobId, classification: 4001, startTime: 1, Username: 'someone-else', accountId: 'x' }));
    expect((await p.closed).code).toBe(CLOSE.protocolError);
    expect((await jobRow(jobId) as any).Status).toBe(404);
  });

  it("reports about another device's job are refused and change nothing", async () => {
    const before = await jobRow(otherJob);
    for (const frame of [
      { t: 'job.end', seq: 1, jobId: otherJob, status: 5000, endTime: 2, stats: { TotalFiles: 1 } },
      { t: 'job.log', seq: 1, jobId: otherJob, from: 0, entries: [{ Time: 1, Severity: 'E', Message: 'forged' }] },
      { t: 'job.start', seq: 1, jobId: otherJob, classification: 4001, startTime: 1 },
    ]) {
      const p = await signedIn();
      p.ws.send(JSON.stringify(frame));
      const closed = await p.closed;
      expect(closed.code).toBe(CLOSE.protocolError);
      expect(closed.reason).toMatch(/Refused/);
    }
    expect(await jobRow(otherJob)).toEqual(before);
    expect(await a.admin.ok('/api/v1/admin/get-job-log-entries', { JobID: otherJob })).toEqual([]);
  });

  it('an oversize frame closes the connection with 1009', async () => {
    const p = await signedIn();
    p.ws.send(JSON.stringify({ t: 'job.log', seq: 1, jobId: 'aaaaaaaa-0000', from: 0, entries: [{ Time: 1, Severity: 'I', Message: 'x'.repeat(MAX_FRAME_BYTES) }] }));
    expect((await p.closed).code).toBe(CLOSE.tooBig);
  });

  it('a binary frame closes the connection', async () => {
    const p = await signedIn();
    p.ws.send(Buffer.from([1, 2, 3]));
    expect((await p.closed).code).toBe(CLOSE.protocolError);
  });

  it('a valid report is stored and acknowledged', async () => {
    const p = await signedIn();
    const jobId = `ok-${Date.now()}-abcdef`;
    p.ws.send(JSON.stringify({ t: 'job.start', seq: 7, jobId, classification: 4001, startTime: 100 }));
    await new Promise<void>((r) => {
      const check = () => (p.frames.some((f) => f.t === 'ack' && f.seq === 7) ? r() : setTimeout(check, 50));
      check();
    });
    expect(await jobRow(jobId)).toMatchObject({ GUID: jobId, Username: user.username, Status: 6001, StartTime: 100 });
    p.ws.close();
  });
});

describe('after console pages were served', () => {
  it('websocket upgrades still reach the device endpoint and the event stream (Next does not take them over)', async () => {
    await fetch(halleyUrl('/login'));
    const p = await dial();
    p.ws.send('not json');
    expect((await p.closed).code).toBe(CLOSE.protocolError);
    const events = new WebSocket(halleyUrl('/api/v1/events/stream').replace(/^http/, 'ws'));
    const first = await new Promise<string>((resolve) => {
      events.once('open', () => ['nobody', 'Password', 'x', '', ''].forEach((f) => events.send(f)));
      events.once('message', (d) => resolve(d.toString()));
    });
    expect(first).toBe('403 Unauth');
    events.terminate();
  });
});
