// The device live-connection endpoint (DEVICE_CONNECT_PATH, a websocket on the web server). Thin adapter:
// authenticates the `hello`, binds the socket to tenant/account/device (or puts it in the registration
// lobby), registers it with the relay, turns commands into `cmd` frames and reports into the job
// ingestion domain calls. Frame formats: lib/live/protocol.ts.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { authenticate } from '../auth/authenticate';
import { normaliseAddress } from '../auth/client-address';
import { reportJobEnd, reportJobLog, reportJobProgress, reportJobStart } from '../backup-jobs/report-job';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { env } from '../env';
import { AppError } from '../errors';
import { emitEvent } from '../events/emit';
import { log } from '../log';
import { TOP_LEVEL_TENANT_ID, type Actor } from '../tenancy/actor';
import { registerUpgrade } from '../ws/routes';
import { ClaimError, deviceActor, type DeviceBinding } from './binding';
import { deviceProfile } from './device-profile';
import { issueDeviceToken, readDeviceToken } from './device-token';
import { CLOSE, DEVICE_CONNECT_PATH, MAX_FRAME_BYTES, parseFrame, PROTOCOL_VERSION, ZDeviceFrame, ZHello, type TCommand, type TCommandResult, type TDeviceFrame, type THello } from './protocol';
import { DeviceLimitError, ensureRegisteredDevice } from './register-device';
import { DeviceUnreachableError, relay, type ConnInfo, type LobbyInfo, type LocalConnection } from './relay';

const HELLO_TIMEOUT_MS = 10_000;

type Socket = WebSocket & { halleyAlive?: boolean; halleyClosed?: Promise<void> };

const sockets = new Set<Socket>();
let heartbeatTimer: NodeJS.Timeout | undefined;

function heartbeatSeconds(): number {
  return env().HALLEY_LIVE_HEARTBEAT_SECONDS;
}

/** One timer for all sockets: a socket that did not answer the previous ping is dropped, so a vanished
 * device is offline within two heartbeat intervals. */
function startHeartbeat(): void {
  heartbeatTimer ??= setInterval(() => {
    for (const ws of sockets) {
      if (ws.halleyAlive === false) {
        ws.terminate();
        continue;
      }
      ws.halleyAlive = false;
      ws.ping();
    }
  }, heartbeatSeconds() * 1000);
  heartbeatTimer.unref();
}

function fail(ws: WebSocket, code: number, message: string): void {
  if (ws.readyState === ws.OPEN) {
    ws.send(JSON.stringify({ t: 'error', message }));
    ws.close(code, message.slice(0, 120));
  }
}

async function emitDeviceEvent(actor: Actor, tenantId: string, type: number, resourceId: string, data: unknown): Promise<void> {
  try {
    await db().$transaction((tx) => emitEvent(tx, actor, { tenantId, type, resourceId, data }));
  } catch (err) {
    log.warn({ err, type, resourceId }, 'could not record a device connection event');
  }
}

/** Commands in flight on one socket. */
function commandChannel(ws: WebSocket) {
  const pending = new Map<string, { resolve: (r: TCommandResult) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  return {
    send(cmd: TCommand, timeoutMs: number): Promise<TCommandResult> {
      if (ws.readyState !== ws.OPEN) return Promise.reject(new DeviceUnreachableError('not connected'));
      const id = randomUUID();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new DeviceUnreachableError('timed out'));
        }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
        ws.send(JSON.stringify({ t: 'cmd', id, cmd }));
      });
    },
    answer(id: string, result: TCommandResult): void {
      const p = pending.get(id);
      if (!p) return; // late answer after a time-out
      pending.delete(id);
      clearTimeout(p.timer);
      p.resolve(result);
    },
    closeAll(): void {
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.reject(new DeviceUnreachableError('disconnected'));
      }
      pending.clear();
    },
  };
}

function readHello(ws: WebSocket): Promise<THello | 'invalid' | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(null), HELLO_TIMEOUT_MS);
    const onMessage = (data: Buffer, isBinary: boolean) => done(isBinary ? 'invalid' : (parseFrame(ZHello, data.toString('utf8')) ?? 'invalid'));
    const onClose = () => done(null);
    function done(v: THello | 'invalid' | null) {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(v);
    }
    ws.once('message', onMessage);
    ws.on('close', onClose);
  });
}

async function authenticateDevice(hello: THello, ip: string, host: string): Promise<{ binding: DeviceBinding; token?: string } | { error: string }> {
  const { auth, device } = hello;
  if (auth.kind === 'password') {
    const form = new URLSearchParams({ Username: auth.username, AuthType: auth.totp ? 'PasswordTOTP' : 'Password', Password: auth.password });
    if (auth.totp) form.set('TOTP', auth.totp);
    let actor: Actor;
    try {
      actor = await authenticate(form, 'user', { ip, host });
    } catch (err) {
      if (err instanceof AppError) return { error: err.message };
      throw err;
    }
    if (actor.kind !== 'user') return { error: 'Incorrect username or password' };
    try {
      const binding = await ensureRegisteredDevice({ id: actor.accountId, tenantId: actor.tenantId, username: actor.username }, device);
      return { binding, token: issueDeviceToken(binding.accountId, binding.deviceId) };
    } catch (err) {
      if (err instanceof DeviceLimitError) return { error: err.message };
      throw err;
    }
  }
  if (auth.kind === 'token') {
    const claim = readDeviceToken(auth.token);
    if (!claim || claim.deviceId !== device.deviceId) return { error: 'Invalid device token' };
    const row = await db().device.findUnique({
      where: { accountId_deviceId: { accountId: claim.accountId, deviceId: claim.deviceId } },
      select: { account: { select: { id: true, username: true, tenantId: true } } },
    });
    if (!row || row.account.username !== auth.username) return { error: 'Invalid device token' };
    const binding = await ensureRegisteredDevice({ id: row.account.id, tenantId: row.account.tenantId, username: row.account.username }, device);
    return { binding };
  }
  return { error: 'lobby' };
}

/** The tenant whose Hosts contain the host name the device dialled, else the top level (for the lobby). */
async function tenantForHost(host: string): Promise<string> {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  if (!name) return TOP_LEVEL_TENANT_ID;
  const tenant = await db().tenant.findFirst({ where: { hosts: { has: name } }, select: { id: true } });
  return tenant?.id ?? TOP_LEVEL_TENANT_ID;
}

async function serveLobby(ws: Socket, hello: THello, ip: string, host: string): Promise<void> {
  const info: LobbyInfo = {
    connectionId: randomUUID(),
    node: relay().nodeId,
    tenantId: await tenantForHost(host),
    deviceId: hello.device.deviceId,
    friendlyName: hello.device.friendlyName,
    version: hello.device.version,
    platform: hello.device.platform,
    platformVersion: { ...hello.device.platformVersion } as Record<string, string>,
    timezone: hello.device.timezone,
    ip,
    host,
    connectedAt: Math.floor(Date.now() / 1000),
  };
  const channel = commandChannel(ws);
  const local: LocalConnection = { send: channel.send, close: (code, reason) => ws.close(code, reason) };
  const system: Actor = { kind: 'anonymous' };
  ws.halleyClosed = new Promise<void>((resolve) => {
    ws.on('close', () => {
      channel.closeAll();
      void relay()
        .removeLobby(info)
        .then(() => emitDeviceEvent(system, info.tenantId, SEVT.SEVT_DEVICE_LOBBY_DISCONNECT, info.deviceId, { DeviceID: info.deviceId }))
        .catch((err) => log.warn({ err }, 'lobby clean-up failed'))
        .finally(resolve);
    });
  });
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const frame = isBinary ? null : parseFrame(ZDeviceFrame, data.toString('utf8'));
    if (!frame || frame.t !== 'res') return fail(ws, CLOSE.protocolError, 'Only command results are accepted in the registration lobby');
    channel.answer(frame.id, { ok: frame.ok, message: frame.message, data: frame.data });
  });
  await relay().addLobby(info, local);
  ws.send(JSON.stringify({ t: 'lobby', v: PROTOCOL_VERSION, connectionId: info.connectionId }));
  await emitDeviceEvent(system, info.tenantId, SEVT.SEVT_DEVICE_LOBBY_CONNECT, info.deviceId, { DeviceID: info.deviceId, FriendlyName: info.friendlyName, IPAddress: ip });
}

async function handleReport(ws: Socket, binding: DeviceBinding, frame: Exclude<TDeviceFrame, { t: 'res' }>): Promise<void> {
  switch (frame.t) {
    case 'job.start':
      await reportJobStart(binding, {
        jobId: frame.jobId,
        classification: frame.classification,
        startTime: frame.startTime,
        sourceGuid: frame.sourceGuid,
        destinationGuid: frame.destinationGuid,
        backupRuleGuid: frame.backupRuleGuid,
        clientVersion: frame.clientVersion,
        tags: frame.tags,
        stats: frame.stats,
      });
      break;
    case 'job.progress':
      await reportJobProgress(binding, frame.jobId, frame.stats);
      break;
    case 'job.log':
      await reportJobLog(binding, frame.jobId, frame.from, frame.entries);
      break;
    case 'job.end':
      await reportJobEnd(binding, frame.jobId, frame.status, frame.endTime, frame.stats);
      break;
    case 'profile.get':
      ws.send(JSON.stringify({ t: 'ack', seq: frame.seq, ok: true, message: '', data: { profile: await deviceProfile(binding) } }));
      return;
  }
  ws.send(JSON.stringify({ t: 'ack', seq: frame.seq, ok: true, message: '' }));
}

async function serveDevice(ws: Socket, req: IncomingMessage): Promise<void> {
  const ip = normaliseAddress(req.socket.remoteAddress ?? '');
  const host = String(req.headers.host ?? '');
  const hello = await readHello(ws);
  if (hello === null) return void ws.terminate();
  if (hello === 'invalid') return fail(ws, CLOSE.protocolError, 'The first frame must be a valid hello');
  if (hello.v !== PROTOCOL_VERSION) return fail(ws, CLOSE.protocolError, `Unsupported protocol version ${hello.v} (this server speaks ${PROTOCOL_VERSION})`);

  const auth = await authenticateDevice(hello, ip, host);
  if ('error' in auth) {
    if (auth.error === 'lobby') return serveLobby(ws, hello, ip, host);
    return fail(ws, CLOSE.unauthorized, auth.error);
  }
  const { binding } = auth;
  if (hello.probe) {
    ws.send(JSON.stringify({ t: 'welcome', v: PROTOCOL_VERSION, connectionId: 'probe', username: binding.username, deviceId: binding.deviceId, heartbeatSeconds: heartbeatSeconds(), serverTime: Math.floor(Date.now() / 1000) }));
    return void ws.close(1000, 'Probe done');
  }
  const info: ConnInfo = {
    connectionId: randomUUID(),
    node: relay().nodeId,
    ...binding,
    friendlyName: hello.device.friendlyName,
    version: hello.device.version,
    platform: hello.device.platform,
    platformVersion: { ...hello.device.platformVersion } as Record<string, string>,
    timezone: hello.device.timezone,
    ip,
    connectedAt: Math.floor(Date.now() / 1000),
    allowsFilenames: hello.device.allowsFilenames,
  };
  const actor = deviceActor(binding);
  const channel = commandChannel(ws);
  const local: LocalConnection = { send: channel.send, close: (code, reason) => ws.close(code, reason) };
  const eventData = { Username: binding.username, DeviceID: binding.deviceId, ConnectionID: info.connectionId, IPAddress: ip, ReportedVersion: info.version };

  // Reports are handled one at a time, in the order they arrive.
  let queue: Promise<void> = Promise.resolve();
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const frame = isBinary ? null : parseFrame(ZDeviceFrame, data.toString('utf8'));
    if (!frame) return fail(ws, CLOSE.protocolError, 'Malformed or unknown frame');
    if (frame.t === 'res') return channel.answer(frame.id, { ok: frame.ok, message: frame.message, data: frame.data });
    queue = queue.then(async () => {
      if (ws.readyState !== ws.OPEN) return;
      try {
        await handleReport(ws, binding, frame);
      } catch (err) {
        if (err instanceof ClaimError) return fail(ws, CLOSE.protocolError, `Refused: ${err.message}`);
        // Not acknowledged: the device sends it again after reconnecting.
        log.error({ err, device: binding.deviceId }, 'storing a device report failed');
        ws.close(1011, 'Internal error');
      }
    });
  });
  ws.halleyClosed = new Promise<void>((resolve) => {
    ws.on('close', () => {
      channel.closeAll();
      void queue
        .then(() => relay().removeConnection(info))
        .then(() => emitDeviceEvent(actor, binding.tenantId, SEVT.SEVT_DEVICE_LIVE_DISCONNECT, binding.deviceId, eventData))
        .catch((err) => log.warn({ err }, 'device clean-up failed'))
        .finally(resolve);
    });
  });

  const replaced = await relay().addConnection(info, local);
  if (ws.readyState !== ws.OPEN) return; // closed while registering: the close handler cleans up
  if (replaced) await relay().command(replaced, { type: 'drop-connection' }, 5000).catch(() => undefined);
  ws.send(JSON.stringify({ t: 'welcome', v: PROTOCOL_VERSION, connectionId: info.connectionId, username: binding.username, deviceId: binding.deviceId, token: auth.token, heartbeatSeconds: heartbeatSeconds(), serverTime: Math.floor(Date.now() / 1000) }));
  await emitDeviceEvent(actor, binding.tenantId, SEVT.SEVT_DEVICE_LIVE_CONNECT, binding.deviceId, eventData);
  for (const cmd of await relay().takeQueued(binding.accountId, binding.deviceId)) {
    const result = await channel.send(cmd, 30_000).catch((err: Error) => ({ ok: false, message: err.message }));
    log.info({ device: binding.deviceId, cmd: cmd.type, ok: result.ok }, 'delivered a queued command');
  }
}

export function registerDeviceSocket(): void {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES, clientTracking: false });
  relay().onSweep(async (conns, lobby) => {
    for (const c of conns) await emitDeviceEvent(deviceActor(c), c.tenantId, SEVT.SEVT_DEVICE_LIVE_DISCONNECT, c.deviceId, { Username: c.username, DeviceID: c.deviceId, ConnectionID: c.connectionId });
    for (const l of lobby) await emitDeviceEvent({ kind: 'anonymous' }, l.tenantId, SEVT.SEVT_DEVICE_LOBBY_DISCONNECT, l.deviceId, { DeviceID: l.deviceId });
  });
  void relay()
    .start()
    .catch((err) => log.error({ err }, 'live relay could not start'));
  startHeartbeat();
  registerUpgrade(DEVICE_CONNECT_PATH, (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    wss.handleUpgrade(req, socket, head, (client) => {
      const ws = client as Socket;
      ws.halleyAlive = true;
      sockets.add(ws);
      ws.on('pong', () => (ws.halleyAlive = true));
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => undefined); // e.g. a frame over MAX_FRAME_BYTES: ws closes with 1009
      serveDevice(ws, req).catch((err) => {
        log.error({ err }, 'device connection failed');
        ws.terminate();
      });
    });
  });
}

/** At shutdown: close every device socket (they reconnect with backoff to another node or the restarted
 * one), wait for their clean-up, then stop the relay. */
export async function stopDeviceSockets(timeoutMs = 4000): Promise<void> {
  if (heartbeatTimer) clearInterval(heartbeatTimer);
  const closed = [...sockets].map((ws) => {
    ws.close(1012, 'Server restarting');
    return ws.halleyClosed ?? Promise.resolve();
  });
  await Promise.race([Promise.all(closed), new Promise((r) => setTimeout(r, timeoutMs))]);
  await relay().stop();
}
