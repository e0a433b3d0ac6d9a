// The device live-connection endpoint (DEVICE_CONNECT_PATH, a websocket on the web server). Thin adapter:
// authenticates the `hello`, binds the socket to tenant/account/device (or puts it in the registration
// lobby), registers it with the relay, turns commands into `cmd` frames and reports into the job
// ingestion domain calls. Frame formats: lib/live/protocol.ts.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { authenticate } from '../../auth/authenticate';
import { normaliseAddress } from '../../auth/client-address';
import { reportJobEnd, reportJobLog, reportJobProgress, reportJobStart } from '../../live/report-job';
import { StreamableEventType as SEVT } from '../../comet/constants';
import { db } from '../../db/client';
import { env } from '../../env';
import { AppError } from '../../errors';
import { log } from '../../log';
import type { Actor } from '../../tenancy/actor';
import { tenantIdForHost } from '../../tenancy/host';
import { registerUpgrade } from './routes';
import { ClaimError, deviceActor, type DeviceBinding } from '../../live/binding';
import { recordConnectionEvent } from '../../live/connection-events';
import { noteDeviceConnected } from '../../campaigns/note-device-connected';
import { sendNewsOnConnect } from '../../news/push-news';
import { recordUpdateFailure } from '../../campaigns/record-update-failure';
import { deviceProfile } from '../../live/device-profile';
import { issueDeviceToken, readDeviceToken } from '../../auth/device-token';
import { redeemInstallToken } from '../../install-tokens/redeem-install-token';
import { chooseProtocolVersion, CLOSE, describeVersions, DEVICE_CONNECT_PATH, MAX_FRAME_BYTES, parseFrame, PROTOCOL_VERSIONS, ZDeviceFrame, ZHello, ZUnknownDeviceFrame, type TCommand, type TCommandResult, type TDeviceFrame, type THello } from '../../live/protocol';
import { DeviceLimitError, ensureRegisteredDevice } from '../../live/register-device';
import { signInTokenDevice } from '../../live/sign-in-token-device';
import { DeviceUnreachableError, relay, type ConnInfo, type LobbyInfo, type LocalConnection } from '../../live/relay';

const HELLO_TIMEOUT_MS = 10_000;

// One web process holds tens of thousands of idle device sockets, so what a socket keeps is kept small:
// its state lives in the fields of DeviceSocket and of one connection object, the listeners are the same
// four functions for every socket, and nothing that is only needed at sign-in (the upgrade request, the
// hello, the records written to Redis) stays referenced afterwards.

/** A device's websocket (ws creates this class for the device endpoint). */
class DeviceSocket extends WebSocket {
  /** Answered the last ping (or is new). */
  halleyAlive = true;
  /** Until the hello arrives: where the device connected from, and the hello time-out. */
  halleyOpening: { ip: string; host: string; timer: NodeJS.Timeout } | undefined = undefined;
  /** From authentication on: the device or lobby connection this socket carries. */
  halleyConn: DeviceConnection | LobbyConnection | undefined = undefined;
}

const sockets = new Set<DeviceSocket>();
/** Sockets with a connection whose close has not been handled yet, and clean-ups still running (for stopDeviceSockets). */
let held = 0;
const cleanups = new Set<Promise<void>>();
let onDrained: (() => void) | undefined;
let heartbeatTimer: NodeJS.Timeout | undefined;

function heartbeatSeconds(): number {
  return env().HALLEY_LIVE_HEARTBEAT_SECONDS;
}

/** The heartbeat ticks every 100 ms and each tick pings the next slice of the sockets, so the pings (and the
 * pongs coming back) of tens of thousands of devices are spread over the interval in small pieces instead
 * of one burst that stalls every request in flight at that moment. */
const HEARTBEAT_TICK_MS = 100;
let heartbeatTicks = 1;
/** The walk of the current pass over the sockets, and how many ticks of the pass have gone by. */
let heartbeatCursor: Iterator<DeviceSocket> | undefined;
let heartbeatTick = 0;

/** One timer for all sockets. A pass of `heartbeatTicks` ticks lasts one heartbeat interval and visits each
 * socket once: a socket that did not answer its previous ping is dropped, so a vanished device is offline
 * within about two intervals. */
function startHeartbeat(): void {
  heartbeatTicks = Math.max(1, Math.round((heartbeatSeconds() * 1000) / HEARTBEAT_TICK_MS));
  heartbeatTimer ??= setInterval(heartbeatSlice, (heartbeatSeconds() * 1000) / heartbeatTicks);
  heartbeatTimer.unref();
}

function heartbeatSlice(): void {
  // A Set iterator stays valid while sockets come and go: removed ones are skipped, new ones visited (or
  // left to the next pass once the walk is over). It also keeps the Set's previous table, closed sockets
  // included, until it moves on, so it is dropped at the end of each walk.
  if (heartbeatTick === 0) heartbeatCursor = sockets.values();
  heartbeatTick += 1;
  const last = heartbeatTick >= heartbeatTicks;
  if (last) heartbeatTick = 0;
  for (let quota = last ? Infinity : Math.ceil(sockets.size / heartbeatTicks); quota > 0 && heartbeatCursor; quota--) {
    const next = heartbeatCursor.next();
    if (next.done) {
      heartbeatCursor = undefined;
      break;
    }
    const ws = next.value;
    if (!ws.halleyAlive) {
      ws.terminate();
      continue;
    }
    ws.halleyAlive = false;
    ws.ping();
  }
  if (last) heartbeatCursor = undefined;
}

function fail(ws: WebSocket, code: number, message: string): void {
  if (ws.readyState === ws.OPEN) {
    ws.send(JSON.stringify({ t: 'error', message }));
    ws.close(code, message.slice(0, 120));
  }
}

function emitDeviceEvent(actor: Actor, tenantId: string, type: number, resourceId: string, data: unknown): Promise<void> {
  return recordConnectionEvent(actor, { tenantId, type, resourceId, data });
}

type PendingCommand = { resolve: (r: TCommandResult) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

/** What the relay holds for a socket of this process: commands to it, with ids and time-outs. */
abstract class HeldConnection implements LocalConnection {
  /** Commands in flight; created with the first command (most devices are idle). */
  private pending: Map<string, PendingCommand> | undefined = undefined;

  constructor(
    readonly ws: DeviceSocket,
    readonly connectionId: string,
  ) {}

  send(cmd: TCommand, timeoutMs: number): Promise<TCommandResult> {
    if (this.ws.readyState !== this.ws.OPEN) return Promise.reject(new DeviceUnreachableError('not connected'));
    const id = randomUUID();
    const pending = (this.pending ??= new Map());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new DeviceUnreachableError('timed out'));
      }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
      this.ws.send(JSON.stringify({ t: 'cmd', id, cmd }));
    });
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  protected answer(id: string, result: TCommandResult): void {
    const p = this.pending?.get(id);
    if (!p) return; // late answer after a time-out
    this.pending!.delete(id);
    clearTimeout(p.timer);
    p.resolve(result);
  }

  protected rejectPending(): void {
    if (!this.pending) return;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new DeviceUnreachableError('disconnected'));
    }
    this.pending.clear();
  }

  /** A frame from the device. */
  abstract receive(data: Buffer, isBinary: boolean): void;
  /** After the socket closed: removes the connection from the relay and records the disconnect; never rejects. */
  abstract closed(): Promise<void>;
}

/** An authenticated device: bound to tenant/account/device at sign-in (it is the DeviceBinding its reports use). */
class DeviceConnection extends HeldConnection implements DeviceBinding {
  readonly tenantId: string;
  readonly accountId: string;
  readonly username: string;
  readonly deviceId: string;
  /** Reports not handled yet (they are handled one at a time, in the order they arrive). */
  private reports: Promise<void> | undefined = undefined;

  constructor(
    ws: DeviceSocket,
    connectionId: string,
    binding: DeviceBinding,
    readonly ip: string,
    readonly version: string,
    /** The protocol version chosen at the hello. */
    readonly protocol: number,
  ) {
    super(ws, connectionId);
    this.tenantId = binding.tenantId;
    this.accountId = binding.accountId;
    this.username = binding.username;
    this.deviceId = binding.deviceId;
  }

  /** The data of SEVT_DEVICE_LIVE_CONNECT / DISCONNECT. */
  eventData(): Record<string, string> {
    return { Username: this.username, DeviceID: this.deviceId, ConnectionID: this.connectionId, IPAddress: this.ip, ReportedVersion: this.version };
  }

  receive(data: Buffer, isBinary: boolean): void {
    const text = isBinary ? null : data.toString('utf8');
    const frame = text === null ? null : parseFrame(ZDeviceFrame, text);
    if (!frame) {
      const unknown = text === null ? null : parseFrame(ZUnknownDeviceFrame, text);
      if (!unknown) return fail(this.ws, CLOSE.protocolError, 'Malformed frame');
      return this.ignoreUnknown(unknown);
    }
    if (frame.t === 'res') return this.answer(frame.id, { ok: frame.ok, message: frame.message, data: frame.data });
    const queued = (this.reports ?? Promise.resolve()).then(() => this.report(frame));
    this.reports = queued;
    void queued.then(() => {
      if (this.reports === queued) this.reports = undefined;
    });
  }

  /**
   * A frame type from a newer agent: the connection stays. A report (it has a `seq`) is acknowledged as not
   * done, so the agent drops it instead of sending it again after every reconnect; anything else is ignored.
   */
  private ignoreUnknown(frame: { t: string; seq?: number }): void {
    log.debug({ device: this.deviceId, type: frame.t, version: this.version }, 'ignored a device frame of a type this server does not know');
    if (frame.seq === undefined) return;
    this.ws.send(JSON.stringify({ t: 'ack', seq: frame.seq, ok: false, message: `This server (protocol ${this.protocol}) does not know '${frame.t}' frames; ignored` }));
  }

  private async report(frame: Exclude<TDeviceFrame, { t: 'res' }>): Promise<void> {
    if (this.ws.readyState !== this.ws.OPEN) return;
    try {
      await handleReport(this.ws, this, frame);
    } catch (err) {
      if (err instanceof ClaimError) return fail(this.ws, CLOSE.protocolError, `Refused: ${err.message}`);
      // Not acknowledged: the device sends it again after reconnecting.
      log.error({ err, device: this.deviceId }, 'storing a device report failed');
      this.ws.close(1011, 'Internal error');
    }
  }

  async closed(): Promise<void> {
    this.rejectPending();
    try {
      await this.reports;
      await relay().removeConnection(this);
      await emitDeviceEvent(deviceActor(this), this.tenantId, SEVT.SEVT_DEVICE_LIVE_DISCONNECT, this.deviceId, this.eventData());
    } catch (err) {
      log.warn({ err }, 'device clean-up failed');
    }
  }
}

/** An unregistered device waiting in the registration lobby (few at a time: it keeps its whole record). */
class LobbyConnection extends HeldConnection {
  constructor(
    ws: DeviceSocket,
    readonly info: LobbyInfo,
  ) {
    super(ws, info.connectionId);
  }

  receive(data: Buffer, isBinary: boolean): void {
    const frame = isBinary ? null : parseFrame(ZDeviceFrame, data.toString('utf8'));
    if (!frame || frame.t !== 'res') return fail(this.ws, CLOSE.protocolError, 'Only command results are accepted in the registration lobby');
    this.answer(frame.id, { ok: frame.ok, message: frame.message, data: frame.data });
  }

  async closed(): Promise<void> {
    this.rejectPending();
    try {
      await relay().removeLobby(this.info);
      await emitDeviceEvent({ kind: 'anonymous' }, this.info.tenantId, SEVT.SEVT_DEVICE_LOBBY_DISCONNECT, this.info.deviceId, { DeviceID: this.info.deviceId });
    } catch (err) {
      log.warn({ err }, 'lobby clean-up failed');
    }
  }
}

// The listeners of every device socket (`this` is the socket).

function onMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
  const ws = this as DeviceSocket;
  if (ws.halleyConn) return ws.halleyConn.receive(data, isBinary);
  const opening = ws.halleyOpening;
  if (!opening) return; // frames sent before the device is welcomed are not read
  ws.halleyOpening = undefined;
  clearTimeout(opening.timer);
  const hello = isBinary ? null : parseFrame(ZHello, data.toString('utf8'));
  openConnection(ws, hello, opening.ip, opening.host).catch((err) => {
    log.error({ err }, 'device connection failed');
    ws.terminate();
  });
}

function onPong(this: WebSocket): void {
  (this as DeviceSocket).halleyAlive = true;
}

function onClose(this: WebSocket): void {
  const ws = this as DeviceSocket;
  sockets.delete(ws);
  if (ws.halleyOpening) {
    clearTimeout(ws.halleyOpening.timer);
    ws.halleyOpening = undefined;
  }
  const conn = ws.halleyConn;
  if (!conn) return;
  held -= 1;
  const done: Promise<void> = conn.closed().then(() => {
    cleanups.delete(done);
    checkDrained();
  });
  cleanups.add(done);
}

function onError(): void {
  // e.g. a frame over MAX_FRAME_BYTES: ws closes the socket with 1009 by itself
}

function helloTimedOut(ws: DeviceSocket): void {
  ws.halleyOpening = undefined;
  ws.terminate();
}

function checkDrained(): void {
  if (onDrained && held === 0 && cleanups.size === 0) onDrained();
}

/** Attaches a connection to its socket unless the socket closed meanwhile (then nothing was registered). */
function attach(ws: DeviceSocket, conn: DeviceConnection | LobbyConnection): boolean {
  if (ws.readyState === ws.CLOSED) return false;
  ws.halleyConn = conn;
  held += 1;
  return true;
}

async function authenticateDevice(hello: THello, ip: string, host: string): Promise<{ binding: DeviceBinding; token?: string; vaultPassword?: string } | { error: string }> {
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
      const binding = await ensureRegisteredDevice({ id: actor.accountId, tenantId: actor.tenantId, username: actor.username }, device, host ? `http://${host}` : '');
      return { binding, token: issueDeviceToken(binding.accountId, binding.deviceId) };
    } catch (err) {
      if (err instanceof DeviceLimitError) return { error: err.message };
      throw err;
    }
  }
  if (auth.kind === 'token') {
    const claim = readDeviceToken(auth.token);
    if (!claim || claim.deviceId !== device.deviceId) return { error: 'Invalid device token' };
    const binding = await signInTokenDevice(claim, auth.username, device);
    return binding ? { binding } : { error: 'Invalid device token' };
  }
  if (auth.kind === 'install-token') {
    const redeemed = await redeemInstallToken({ token: auth.token, deviceId: device.deviceId });
    if (!redeemed) return { error: 'Invalid install token' };
    // tenancy: system — install-token sign-in: the account comes from the token just spent
    const account = await db().account.findUnique({ where: { id: redeemed.accountId }, select: { id: true, username: true, tenantId: true } });
    if (!account) return { error: 'Invalid install token' };
    try {
      const binding = await ensureRegisteredDevice(account, device, host ? `http://${host}` : '');
      return { binding, token: issueDeviceToken(binding.accountId, binding.deviceId), vaultPassword: redeemed.vaultPassword };
    } catch (err) {
      if (err instanceof DeviceLimitError) return { error: err.message };
      throw err;
    }
  }
  return { error: 'lobby' };
}

async function openLobby(ws: DeviceSocket, hello: THello, version: number, ip: string, host: string): Promise<void> {
  const info: LobbyInfo = {
    connectionId: randomUUID(),
    node: relay().nodeId,
    // The tenant whose Hosts contain the host the device dialled, else the top level.
    tenantId: await tenantIdForHost(host),
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
  const conn = new LobbyConnection(ws, info);
  if (!attach(ws, conn)) return;
  await relay().addLobby(info, conn);
  ws.send(JSON.stringify({ t: 'lobby', v: version, connectionId: info.connectionId }));
  await emitDeviceEvent({ kind: 'anonymous' }, info.tenantId, SEVT.SEVT_DEVICE_LOBBY_CONNECT, info.deviceId, { DeviceID: info.deviceId, FriendlyName: info.friendlyName, IPAddress: ip });
}

async function handleReport(ws: WebSocket, binding: DeviceBinding, frame: Exclude<TDeviceFrame, { t: 'res' }>): Promise<void> {
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
    case 'update.failed':
      await recordUpdateFailure({ binding, failure: { version: frame.version, stage: frame.stage, reason: frame.reason } });
      break;
    case 'profile.get':
      ws.send(JSON.stringify({ t: 'ack', seq: frame.seq, ok: true, message: '', data: { profile: await deviceProfile(binding) } }));
      return;
  }
  ws.send(JSON.stringify({ t: 'ack', seq: frame.seq, ok: true, message: '' }));
}

async function openConnection(ws: DeviceSocket, hello: THello | null, ip: string, host: string): Promise<void> {
  if (hello === null) return fail(ws, CLOSE.protocolError, 'The first frame must be a valid hello');
  const version = chooseProtocolVersion(hello);
  if (version === null) {
    const offered = describeVersions([hello.v, ...(hello.versions ?? [])]);
    return fail(ws, CLOSE.unsupportedVersion, `No common protocol version: this device speaks ${offered}, this server speaks ${describeVersions(PROTOCOL_VERSIONS)}`);
  }

  const auth = await authenticateDevice(hello, ip, host);
  if ('error' in auth) {
    if (auth.error === 'lobby') return openLobby(ws, hello, version, ip, host);
    return fail(ws, CLOSE.unauthorized, auth.error);
  }
  const { binding } = auth;
  if (hello.probe) {
    ws.send(JSON.stringify({ t: 'welcome', v: version, connectionId: 'probe', username: binding.username, deviceId: binding.deviceId, heartbeatSeconds: heartbeatSeconds(), serverTime: Math.floor(Date.now() / 1000) }));
    return void ws.close(1000, 'Probe done');
  }
  const connectedAtMs = Date.now();
  const conn = new DeviceConnection(ws, randomUUID(), binding, ip, hello.device.version, version);
  if (!attach(ws, conn)) return;
  // The full record lives in Redis (list-active reads it from there); the socket keeps only the ids.
  const info: ConnInfo = {
    connectionId: conn.connectionId,
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
  const replaced = await relay().addConnection(info, conn);
  if (ws.readyState !== ws.OPEN) return; // closed while registering: the close handler cleans up
  if (replaced) await relay().command(replaced, { type: 'drop-connection' }, 5000).catch(() => undefined);
  ws.send(JSON.stringify({ t: 'welcome', v: version, connectionId: conn.connectionId, username: binding.username, deviceId: binding.deviceId, token: auth.token, vaultPassword: auth.vaultPassword, heartbeatSeconds: heartbeatSeconds(), serverTime: Math.floor(Date.now() / 1000) }));
  await emitDeviceEvent(deviceActor(binding), binding.tenantId, SEVT.SEVT_DEVICE_LIVE_CONNECT, binding.deviceId, conn.eventData());
  void noteDeviceConnected(binding, hello.device.version, connectedAtMs);
  void sendNewsOnConnect(binding.tenantId, hello.device.version, conn);
  for (const cmd of await relay().takeQueued(binding.accountId, binding.deviceId)) {
    const result = await conn.send(cmd, 30_000).catch((err: Error) => ({ ok: false, message: err.message }));
    log.info({ device: binding.deviceId, cmd: cmd.type, ok: result.ok }, 'delivered a queued command');
  }
}

function accept(client: WebSocket, req: IncomingMessage): void {
  const ws = client as DeviceSocket;
  ws.halleyOpening = { ip: normaliseAddress(req.socket.remoteAddress ?? ''), host: String(req.headers.host ?? ''), timer: setTimeout(helloTimedOut, HELLO_TIMEOUT_MS, ws) };
  sockets.add(ws);
  ws.on('message', onMessage);
  ws.on('pong', onPong);
  ws.on('close', onClose);
  ws.on('error', onError);
}

export function registerDeviceSocket(): void {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES, clientTracking: false, WebSocket: DeviceSocket });
  relay().onSweep(async (conns, lobby) => {
    await Promise.all([
      ...conns.map((c) => emitDeviceEvent(deviceActor(c), c.tenantId, SEVT.SEVT_DEVICE_LIVE_DISCONNECT, c.deviceId, { Username: c.username, DeviceID: c.deviceId, ConnectionID: c.connectionId })),
      ...lobby.map((l) => emitDeviceEvent({ kind: 'anonymous' }, l.tenantId, SEVT.SEVT_DEVICE_LOBBY_DISCONNECT, l.deviceId, { DeviceID: l.deviceId })),
    ]);
  });
  void relay()
    .start()
    .catch((err) => log.error({ err }, 'live relay could not start'));
  startHeartbeat();
  registerUpgrade(DEVICE_CONNECT_PATH, (req: IncomingMessage, socket: Duplex, head: Buffer) => wss.handleUpgrade(req, socket, head, accept));
}

/** At shutdown: close every device socket (they reconnect with backoff to another node or the restarted
 * one), wait for their clean-up, then stop the relay. */
export async function stopDeviceSockets(timeoutMs = 4000): Promise<void> {
  if (heartbeatTimer) clearInterval(heartbeatTimer);
  for (const ws of sockets) ws.close(1012, 'Server restarting');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    new Promise<void>((resolve) => {
      onDrained = resolve;
      checkDrained();
    }),
    new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
  ]);
  clearTimeout(timer);
  await relay().stop();
}
