// Pure parts of the live connection and the reference agent: frame validation, content-defined
// chunking (boundaries follow content, not offsets), the vault (encryption, dedup, restore),
// reconnect backoff with full jitter, and schedule maths.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkBuffer, DEFAULT_CHUNKING } from '../../agent/cdc';
import { backoffDelay, connectUrl, LiveClient } from '../../agent/live-client';
import { nextRun } from '../../agent/schedule';
import { nextRuns } from '../../lib/schedules/next-runs';
import { Vault } from '../../agent/vault';
import { WebSocketServer } from 'ws';
import { chooseProtocolVersion, CLOSE, describeVersions, helloVersions, parseFrame, PROTOCOL_VERSION, PROTOCOL_VERSIONS, ZCommand, ZDeviceFrame, ZHello, ZUnknownCommandFrame, ZUnknownDeviceFrame } from '../../lib/live/protocol';

describe('protocol', () => {
  it('accepts valid frames and refuses unknown types and extra fields', () => {
    expect(parseFrame(ZDeviceFrame, JSON.stringify({ t: 'job.start', seq: 1, jobId: 'abcdef12-3', classification: 4001, startTime: 5 }))).toMatchObject({ sourceGuid: '' });
    expect(parseFrame(ZDeviceFrame, JSON.stringify({ t: 'job.start', seq: 1, jobId: 'abcdef12-3', classification: 4001, startTime: 5, DeviceID: 'other' }))).toBeNull();
    expect(parseFrame(ZDeviceFrame, JSON.stringify({ t: 'nope', seq: 1 }))).toBeNull();
    expect(parseFrame(ZDeviceFrame, '{')).toBeNull();
    expect(parseFrame(ZDeviceFrame, JSON.stringify({ t: 'job.progress', seq: 1, jobId: '../../etc', stats: {} }))).toBeNull();
    expect(parseFrame(ZHello, JSON.stringify({ t: 'hello', v: 1, auth: { kind: 'lobby' }, device: { deviceId: 'd', friendlyName: '', version: '', platform: '' } }))).not.toBeNull();
    expect(ZCommand.safeParse({ type: 'run-backup', jobId: 'abcdef12-3', backupRule: 'r' }).success).toBe(true);
  });

  it('tells a type from a newer peer (answered, connection kept) from a known type with bad fields (refused)', () => {
    expect(parseFrame(ZUnknownDeviceFrame, JSON.stringify({ t: 'update.progress', seq: 4, percent: 10 }))).toEqual({ t: 'update.progress', seq: 4 });
    expect(parseFrame(ZUnknownDeviceFrame, JSON.stringify({ t: 'hint' }))).toEqual({ t: 'hint' });
    // Known types are never "unknown", whatever their fields.
    expect(parseFrame(ZUnknownDeviceFrame, JSON.stringify({ t: 'job.start', seq: 1, DeviceID: 'other' }))).toBeNull();
    expect(parseFrame(ZUnknownDeviceFrame, JSON.stringify({ t: 'res', id: 'x' }))).toBeNull();
    for (const bad of ['{"seq":1}', '"x"', '[]', JSON.stringify({ t: '', seq: 1 }), JSON.stringify({ t: 'new', seq: -1 })]) expect(parseFrame(ZUnknownDeviceFrame, bad)).toBeNull();
    expect(parseFrame(ZUnknownCommandFrame, JSON.stringify({ t: 'cmd', id: 'c1', cmd: { type: 'reboot-device', when: 'now' } }))).toEqual({ t: 'cmd', id: 'c1', cmd: { type: 'reboot-device' } });
    expect(parseFrame(ZUnknownCommandFrame, JSON.stringify({ t: 'cmd', id: 'c1', cmd: { type: 'run-backup', extra: 1 } }))).toBeNull();
  });

  it('the agent answers a command from a newer server at once instead of letting it time out', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    const port = (wss.address() as { port: number }).port;
    const answered = new Promise<any>((resolve) =>
      wss.on('connection', (ws) =>
        ws.on('message', (data: Buffer) => {
          const frame = JSON.parse(data.toString());
          if (frame.t === 'hello') {
            ws.send(JSON.stringify({ t: 'welcome', v: PROTOCOL_VERSION, connectionId: 'c', username: 'u', deviceId: 'd', heartbeatSeconds: 20, serverTime: 1 }));
            ws.send(JSON.stringify({ t: 'cmd', id: 'new-1', cmd: { type: 'reboot-device', when: 'now' } }));
          } else if (frame.t === 'res') resolve(frame);
        }),
      ),
    );
    const commands: string[] = [];
    const client = new LiveClient({
      url: `http://127.0.0.1:${port}`,
      auth: { kind: 'lobby' },
      device: { deviceId: 'd', friendlyName: 'd', version: '1', platform: 'linux', platformVersion: {}, timezone: '', allowsFilenames: true },
      onCommand: async (cmd) => (commands.push(cmd.type), { ok: true, message: '' }),
      log: () => undefined,
    });
    client.start();
    try {
      expect(await answered).toMatchObject({ t: 'res', id: 'new-1', ok: false, message: expect.stringContaining("does not support the command 'reboot-device'") });
      expect(commands).toEqual([]);
    } finally {
      client.stop();
      await new Promise((r) => wss.close(r));
    }
  });
});

describe('protocol version negotiation', () => {
  it('chooses the newest version both sides speak, or none', () => {
    expect(chooseProtocolVersion({ v: 1 }, [1])).toBe(1);
    expect(chooseProtocolVersion({ v: 1, versions: [1, 2, 3] }, [1, 2])).toBe(2);
    expect(chooseProtocolVersion({ v: 2, versions: [2, 3] }, [1, 3, 4])).toBe(3);
    expect(chooseProtocolVersion({ v: 2, versions: [2, 3] }, [1])).toBeNull();
    expect(chooseProtocolVersion({ v: 999 }, [1])).toBeNull();
    expect(chooseProtocolVersion({ v: PROTOCOL_VERSION })).toBe(PROTOCOL_VERSION);
  });

  it("an agent that speaks one version sends the hello of every agent before negotiation; several are listed", () => {
    expect(helloVersions([1])).toEqual({ v: 1 });
    expect(helloVersions([3, 1, 2, 2])).toEqual({ v: 1, versions: [1, 2, 3] });
    expect(helloVersions()).toEqual(PROTOCOL_VERSIONS.length === 1 ? { v: PROTOCOL_VERSION } : { v: Math.min(...PROTOCOL_VERSIONS), versions: [...PROTOCOL_VERSIONS].sort() });
    expect(describeVersions([3, 2, 4])).toBe('2-4');
    expect(describeVersions([1, 3])).toBe('1, 3');
    expect(describeVersions([1])).toBe('1');
    const hello = (extra: object) => JSON.stringify({ t: 'hello', v: 1, auth: { kind: 'lobby' }, device: { deviceId: 'd', friendlyName: '', version: '', platform: '' }, ...extra });
    expect(parseFrame(ZHello, hello({ versions: [1, 2] }))).toMatchObject({ v: 1, versions: [1, 2] });
    expect(parseFrame(ZHello, hello({ versions: [] }))).toBeNull();
    expect(parseFrame(ZHello, hello({ versions: [0] }))).toBeNull();
    expect(parseFrame(ZHello, hello({ versions: ['2'] }))).toBeNull();
  });

  /** A fake server: answers each hello with `answer(hello)` (a frame to send, or a close code and reason). */
  async function fakeServer(answer: (hello: any) => { frame?: object; close?: [number, string] }) {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    const hellos: Array<{ hello: any; at: number }> = [];
    const closes: number[] = [];
    wss.on('connection', (ws) => {
      ws.on('close', (code) => closes.push(code));
      ws.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString());
        if (frame.t !== 'hello') return;
        hellos.push({ hello: frame, at: Date.now() });
        const a = answer(frame);
        if (a.frame) ws.send(JSON.stringify(a.frame));
        if (a.close) ws.close(...a.close);
      });
    });
    return { url: `http://127.0.0.1:${(wss.address() as { port: number }).port}`, hellos, closes, close: () => new Promise((r) => wss.close(r)) };
  }

  const client = (url: string, extra: Partial<ConstructorParameters<typeof LiveClient>[0]>) =>
    new LiveClient({
      url,
      auth: { kind: 'lobby' },
      device: { deviceId: 'd', friendlyName: 'd', version: '1', platform: 'linux', platformVersion: {}, timezone: '', allowsFilenames: true },
      onCommand: async () => ({ ok: true, message: '' }),
      log: () => undefined,
      ...extra,
    });
  const until = async (what: () => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    while (!what()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('the agent offers its versions and speaks the one the server chose', async () => {
    const server = await fakeServer((h) => ({ frame: { t: 'welcome', v: chooseProtocolVersion(h, [1, 2]), connectionId: 'c', username: 'u', deviceId: 'd', heartbeatSeconds: 20, serverTime: 1 } }));
    const plain = client(server.url, {});
    const newer = client(server.url, { protocolVersions: [1, 2, 3] });
    try {
      plain.start();
      newer.start();
      await until(() => plain.connected && newer.connected);
      const offered = server.hellos.map((h) => [h.hello.v, h.hello.versions]);
      expect(offered).toHaveLength(2);
      expect(offered).toEqual(expect.arrayContaining([[1, [1, 2, 3]], [1, undefined]]));
      expect(plain.protocolVersion).toBe(1);
      expect(newer.protocolVersion).toBe(2);
    } finally {
      plain.stop();
      newer.stop();
      await server.close();
    }
  });

  it('against a server from before negotiation (it refuses a hello with versions), the agent falls back to the plain hello', async () => {
    const server = await fakeServer((h) =>
      h.versions
        ? { frame: { t: 'error', message: 'The first frame must be a valid hello' }, close: [CLOSE.protocolError, 'The first frame must be a valid hello'] }
        : { frame: { t: 'welcome', v: h.v, connectionId: 'c', username: 'u', deviceId: 'd', heartbeatSeconds: 20, serverTime: 1 } },
    );
    const c = client(server.url, { protocolVersions: [1, 2], backoff: { baseMs: 10, maxMs: 50 } });
    try {
      c.start();
      await until(() => c.connected);
      expect(server.hellos.map((h) => h.hello.versions ?? h.hello.v)).toEqual([[1, 2], 1]);
      expect(c.protocolVersion).toBe(1);
    } finally {
      c.stop();
      await server.close();
    }
  });

  it('the agent leaves a server that chose a version it did not offer', async () => {
    const server = await fakeServer(() => ({ frame: { t: 'welcome', v: 7, connectionId: 'c', username: 'u', deviceId: 'd', heartbeatSeconds: 20, serverTime: 1 } }));
    const c = client(server.url, { backoff: { baseMs: 60_000, maxMs: 60_000 } });
    try {
      c.start();
      await until(() => server.closes.length > 0);
      expect(server.closes[0]).toBe(CLOSE.protocolError);
      expect(c.connected).toBe(false);
    } finally {
      c.stop();
      await server.close();
    }
  });

  it('refused for want of a common version, the agent asks again only after half the longest backoff', async () => {
    const server = await fakeServer(() => ({ frame: { t: 'error', message: 'No common protocol version' }, close: [CLOSE.unsupportedVersion, 'No common protocol version: this device speaks 5, this server speaks 1'] }));
    const logs: string[] = [];
    const c = client(server.url, { protocolVersions: [5], backoff: { baseMs: 10, maxMs: 1600 }, log: (m) => logs.push(m) });
    try {
      c.start();
      await until(() => server.hellos.length >= 2);
      expect(server.hellos[0].hello).toMatchObject({ v: 5 });
      expect(server.hellos[1].at - server.hellos[0].at).toBeGreaterThanOrEqual(800);
      expect(logs.join('\n')).toContain('4010 No common protocol version: this device speaks 5, this server speaks 1');
    } finally {
      c.stop();
      await server.close();
    }
  });
});

describe('content-defined chunking', () => {
  it('keeps chunk sizes within bounds and most chunks after an insertion', () => {
    const data = randomBytes(3 * 1024 * 1024);
    const chunks = chunkBuffer(data);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    for (const c of chunks.slice(0, -1)) {
      expect(c.length).toBeGreaterThanOrEqual(DEFAULT_CHUNKING.minSize);
      expect(c.length).toBeLessThanOrEqual(DEFAULT_CHUNKING.maxSize);
    }
    const edited = Buffer.concat([data.subarray(0, 1_000_000), Buffer.from('inserted bytes'), data.subarray(1_000_000)]);
    const before = new Set(chunks.map((c) => c.toString('base64')));
    const after = chunkBuffer(edited);
    const shared = after.filter((c) => before.has(c.toString('base64'))).length;
    expect(after.length - shared).toBeLessThanOrEqual(2);
  });
});

describe('local-path vault', () => {
  it('encrypts chunks, stores identical data once, and needs the password', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'halley-unit-vault-'));
    const v = await Vault.openLocal(dir, 'pw');
    const data = Buffer.from('secret content '.repeat(1000));
    const id = v.chunkId(data);
    expect(await v.putChunk(id, data)).toBeGreaterThan(data.length);
    expect(await v.putChunk(id, data)).toBe(0);
    expect((await v.getChunk(id)).equals(data)).toBe(true);
    const onDisk = fs.readFileSync(path.join(dir, 'chunks', id.slice(0, 2), id));
    expect(onDisk.includes(Buffer.from('secret content'))).toBe(false);
    expect((await (await Vault.openLocal(dir, 'pw')).getChunk(id)).equals(data)).toBe(true);
    await expect(Vault.openLocal(dir, 'wrong')).rejects.toThrow(/password/);
  });
});

describe('reconnect backoff', () => {
  it('grows exponentially up to the cap and spreads devices over the whole window', () => {
    expect(backoffDelay(0, 1000, 60_000, () => 0.999)).toBe(999);
    expect(backoffDelay(3, 1000, 60_000, () => 0.999)).toBe(7992);
    expect(backoffDelay(20, 1000, 60_000, () => 0.5)).toBe(30_000);
    // 10,000 devices that lost the same server: no second of the window gets more than a small share.
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) buckets[Math.floor(backoffDelay(4, 1000, 60_000) / 1600)] += 1;
    expect(Math.max(...buckets)).toBeLessThan(1300);
  });

  it('turns a server address into the device endpoint URL', () => {
    expect(connectUrl('https://backup.example.com/')).toBe('wss://backup.example.com/api/v1/devices/connect');
    expect(connectUrl('http://127.0.0.1:8060')).toBe('ws://127.0.0.1:8060/api/v1/devices/connect');
  });
});

describe('schedules', () => {
  const base = Date.UTC(2026, 0, 5, 10, 30, 0); // a Monday
  it('periodic, hourly and daily', () => {
    expect(nextRun({ FrequencyType: 8015, SecondsPast: 3600 }, base)).toBe(Date.UTC(2026, 0, 5, 11, 0, 0));
    expect(nextRun({ FrequencyType: 8015, SecondsPast: 10 }, base)).toBeNull();
    expect(nextRun({ FrequencyType: 8012, SecondsPast: 15 * 60 }, base)).toBe(Date.UTC(2026, 0, 5, 11, 15, 0));
    const daily = nextRun({ FrequencyType: 8011, SecondsPast: 3600 }, base)!;
    expect(daily).toBeGreaterThan(base);
    expect(daily - base).toBeLessThanOrEqual(24 * 3600 * 1000);
    expect(nextRun({ FrequencyType: 8013, SecondsPast: 0, DaysSelect: {} }, base)).toBeNull();
    expect(nextRun({ FrequencyType: 9999 }, base)).toBeNull();
  });

  it('is the server preview maths, in the device time zone (window, zone)', () => {
    // 10:30 UTC is 19:30 in Tokyo: an hourly run inside 22:00-02:00 first fires at 22:00 Tokyo (13:00 UTC).
    const windowed = { FrequencyType: 8012, SecondsPast: 0, RestrictRuntime: true, FromTime: { Hour: 22, Minutes: 0 }, ToTime: { Hour: 2, Minutes: 0 } };
    expect(nextRun(windowed, base, 'Asia/Tokyo')).toBe(Date.UTC(2026, 0, 5, 13, 0, 0));
    expect(nextRun(windowed, base, 'Asia/Tokyo')).toBe(nextRuns(windowed, { after: base, timeZone: 'Asia/Tokyo', count: 1 })[0]);
    // Daily at 01:00 in New York (05:30 there now): tomorrow 01:00 EST = 06:00 UTC.
    expect(nextRun({ FrequencyType: 8011, SecondsPast: 3600 }, base, 'America/New_York')).toBe(Date.UTC(2026, 0, 6, 6, 0, 0));
  });
});
