// The device side of Halley's live connection (lib/live/protocol.ts): dial, say hello, answer commands,
// send reports until they are acknowledged, and reconnect with exponential backoff and full jitter so
// thousands of devices that lost the same server do not come back in one wave.
import WebSocket from 'ws';
import {
  CLOSE,
  DEVICE_CONNECT_PATH,
  MAX_FRAME_BYTES,
  describeVersions,
  helloVersions,
  parseFrame,
  PROTOCOL_VERSION,
  PROTOCOL_VERSIONS,
  ZServerFrame,
  ZUnknownCommandFrame,
  type TCommand,
  type TCommandResult,
  type TDeviceFrame,
  type TDeviceInfo,
  type TWelcome,
} from '../lib/live/protocol';

export type AgentAuth = { kind: 'password'; username: string; password: string; totp?: string } | { kind: 'token'; username: string; token: string } | { kind: 'install-token'; token: string } | { kind: 'lobby' };

/** A report without its sequence number (the client numbers them). */
type Report = TDeviceFrame extends infer F ? (F extends { seq: number } ? Omit<F, 'seq'> : never) : never;

type LiveClientOptions = {
  url: string;
  auth: AgentAuth;
  device: TDeviceInfo;
  onCommand: (cmd: TCommand, client: LiveClient) => Promise<TCommandResult>;
  onWelcome?: (welcome: TWelcome, client: LiveClient) => void;
  /** A new token (after a password sign-in, or a registration from the lobby). */
  onToken?: (username: string, token: string, vaultPassword?: string) => void;
  /** The client stopped for good (kill-process, force-login, uninstall, refused credentials). */
  onStopped?: (reason: string) => void;
  /** update-login-url moved the device to another server address. */
  onMoved?: (url: string) => void;
  log?: (msg: string) => void;
  backoff?: { baseMs: number; maxMs: number };
  /** The protocol versions this client speaks (default: PROTOCOL_VERSIONS); the server picks one at the hello. */
  protocolVersions?: readonly number[];
};

type Outstanding = { frame: TDeviceFrame; resolve: (data: Record<string, unknown> | undefined) => void; reject: (err: Error) => void };

/** ws(s)://host/api/v1/devices/connect from an http(s):// server address. */
export function connectUrl(serverUrl: string): string {
  const u = new URL(serverUrl);
  u.protocol = u.protocol === 'https:' || u.protocol === 'wss:' ? 'wss:' : 'ws:';
  u.pathname = DEVICE_CONNECT_PATH;
  u.search = '';
  return u.toString();
}

/** Full jitter: a random delay in [0, min(max, base * 2^attempt)]. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30)));
}

export class LiveClient {
  url: string;
  auth: AgentAuth;
  connectionId = '';
  connected = false;
  /** The protocol version the server chose for the current connection (0 before the first welcome). */
  protocolVersion = 0;
  private ws?: WebSocket;
  private stopped = false;
  private attempt = 0;
  private seq = 0;
  private outbox = new Map<number, Outstanding>();
  private timer?: NodeJS.Timeout;
  private nextDelayMs?: number;
  /** The server refused the hello that listed several versions (it predates negotiation): send the plain one. */
  private plainHello = false;
  /** The socket the server last welcomed (or put in the lobby). */
  private greetedBy?: WebSocket;

  constructor(readonly opts: LiveClientOptions) {
    this.url = opts.url;
    this.auth = opts.auth;
  }

  private get versions(): readonly number[] {
    return this.opts.protocolVersions ?? PROTOCOL_VERSIONS;
  }

  private helloVersions(): { v: number; versions?: number[] } {
    const fields = helloVersions(this.versions);
    return this.plainHello ? { v: fields.v } : fields;
  }

  private log(msg: string) {
    this.opts.log?.(msg);
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Stops for good: no reconnect. Outstanding reports stay queued (a restart would resend them). */
  stop(reason = 'stopped'): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close(1000, reason.slice(0, 100));
    this.connected = false;
    this.opts.onStopped?.(reason);
  }

  /** Closes the socket; the client reconnects after `delayMs` (plus jitter from the backoff). */
  reconnect(delayMs?: number): void {
    this.nextDelayMs = delayMs;
    this.ws?.close(1000, 'reconnecting');
  }

  /** Sends a report; resolves when the server acknowledged it (after a reconnect if need be). */
  report(frame: Report): Promise<Record<string, unknown> | undefined> {
    const seq = ++this.seq;
    const full = { ...frame, seq } as TDeviceFrame;
    return new Promise((resolve, reject) => {
      this.outbox.set(seq, { frame: full, resolve, reject });
      if (this.connected) this.ws?.send(JSON.stringify(full));
    });
  }

  /** Reports not acknowledged yet. */
  get pendingReports(): number {
    return this.outbox.size;
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(connectUrl(this.url), { perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES, handshakeTimeout: 15_000 });
    this.ws = ws;
    let closeCode = 0;
    ws.on('open', () => {
      ws.send(JSON.stringify({ t: 'hello', ...this.helloVersions(), auth: this.auth, device: this.opts.device }));
    });
    ws.on('message', (data: Buffer) => void this.onFrame(ws, data.toString('utf8')));
    ws.on('error', (err) => this.log(`connection error: ${err.message}`));
    ws.on('close', (code, reason) => {
      closeCode = code;
      // A server from before negotiation refuses a hello with `versions` as malformed (1008 before any welcome).
      if (code === CLOSE.protocolError && this.greetedBy !== ws && !this.plainHello && this.helloVersions().versions) {
        this.plainHello = true;
        this.log('the server refused the hello listing several protocol versions; offering the oldest one alone');
      }
      this.connected = false;
      if (this.ws !== ws) return;
      this.ws = undefined;
      if (this.stopped) return;
      if (code === CLOSE.stop) return this.stop(`server: ${reason.toString() || 'stop'}`);
      if (code === CLOSE.unauthorized) return this.stop(`refused: ${reason.toString()}`);
      // No protocol version in common: only an upgrade of the server (or of this agent) helps, so it asks
      // again seldom (half to all of the longest backoff) instead of stopping for good.
      const maxMs = this.opts.backoff?.maxMs ?? 60_000;
      const delay =
        code === CLOSE.unsupportedVersion
          ? maxMs / 2 + backoffDelay(0, maxMs / 2, maxMs / 2)
          : this.nextDelayMs !== undefined
            ? this.nextDelayMs + backoffDelay(0, 1000, 1000)
            : this.backoff();
      this.nextDelayMs = undefined;
      this.log(`disconnected (${closeCode}${reason.length ? ` ${reason.toString()}` : ''}); reconnecting in ${delay} ms`);
      this.timer = setTimeout(() => this.connect(), delay);
    });
  }

  private backoff(): number {
    const { baseMs, maxMs } = this.opts.backoff ?? { baseMs: 1000, maxMs: 60_000 };
    return backoffDelay(this.attempt++, baseMs, maxMs);
  }

  private async onFrame(ws: WebSocket, text: string): Promise<void> {
    const frame = parseFrame(ZServerFrame, text);
    if (!frame) {
      // A command from a newer server: answered at once (the server would otherwise wait for its time-out).
      const unknown = parseFrame(ZUnknownCommandFrame, text);
      if (unknown && ws.readyState === ws.OPEN) {
        ws.send(JSON.stringify({ t: 'res', id: unknown.id, ok: false, message: `This agent (protocol ${this.protocolVersion || PROTOCOL_VERSION}) does not support the command '${unknown.cmd.type}'` }));
      }
      return this.log(`ignored a frame this agent does not understand: ${text.slice(0, 80)}`);
    }
    switch (frame.t) {
      case 'welcome': {
        if (!this.versions.includes(frame.v)) {
          this.log(`the server chose protocol version ${frame.v}, which this agent does not speak (${describeVersions(this.versions)})`);
          return void ws.close(CLOSE.protocolError, 'Unsupported protocol version chosen');
        }
        this.protocolVersion = frame.v;
        this.greetedBy = ws;
        this.connected = true;
        this.attempt = 0;
        this.connectionId = frame.connectionId;
        if (frame.token && (this.auth.kind === 'password' || this.auth.kind === 'install-token')) {
          this.auth = { kind: 'token', username: frame.username, token: frame.token };
          this.opts.onToken?.(frame.username, frame.token, frame.vaultPassword);
        }
        // Everything not acknowledged before the last disconnect, in order.
        for (const [, o] of [...this.outbox].sort((a, b) => a[0] - b[0])) ws.send(JSON.stringify(o.frame));
        this.opts.onWelcome?.(frame, this);
        return;
      }
      case 'lobby':
        this.protocolVersion = frame.v;
        this.greetedBy = ws;
        this.attempt = 0;
        this.connectionId = frame.connectionId;
        this.log('waiting in the registration lobby');
        return;
      case 'ack': {
        const o = this.outbox.get(frame.seq);
        if (!o) return;
        this.outbox.delete(frame.seq);
        if (frame.ok) o.resolve(frame.data);
        else o.reject(new Error(frame.message));
        return;
      }
      case 'error':
        this.log(`server error: ${frame.message}`);
        return;
      case 'cmd': {
        const result = await this.runCommand(frame.cmd).catch((err: Error): TCommandResult => ({ ok: false, message: err.message }));
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'res', id: frame.id, ok: result.ok, message: result.message.slice(0, 4000), ...(result.data ? { data: result.data } : {}) }));
        this.afterCommand(frame.cmd, result);
        return;
      }
    }
  }

  private async runCommand(cmd: TCommand): Promise<TCommandResult> {
    switch (cmd.type) {
      case 'register':
        this.auth = { kind: 'token', username: cmd.username, token: cmd.token };
        this.opts.onToken?.(cmd.username, cmd.token);
        return { ok: true, message: 'Registered' };
      case 'drop-connection':
        return { ok: true, message: 'Reconnecting' };
      case 'kill-process':
        return { ok: true, message: 'Stopping' };
      case 'force-login':
        return { ok: true, message: 'Signed out' };
      case 'update-login-url':
        if (!cmd.force) {
          const probe = await probeServer(cmd.newUrl, this.auth, this.opts.device);
          if (!probe.ok) return { ok: false, message: `The new address did not accept this device: ${probe.message}` };
        }
        return { ok: true, message: `Moving to ${cmd.newUrl}` };
      default:
        return this.opts.onCommand(cmd, this);
    }
  }

  /** Connection-level effects, after the answer went out. */
  private afterCommand(cmd: TCommand, result: TCommandResult): void {
    if (!result.ok) return;
    if (cmd.type === 'register') this.reconnect(0);
    else if (cmd.type === 'drop-connection') this.reconnect(0);
    else if (cmd.type === 'kill-process') this.stop('kill-process');
    else if (cmd.type === 'force-login') {
      this.auth = { kind: 'lobby' };
      this.stop('force-login: sign in again');
    } else if (cmd.type === 'uninstall') this.stop('uninstalled');
    else if (cmd.type === 'update-login-url') {
      this.url = cmd.newUrl;
      this.opts.onMoved?.(cmd.newUrl);
      this.reconnect(0);
    }
  }
}

/** Checks that `serverUrl` accepts these credentials, without taking over the live connection. */
function probeServer(serverUrl: string, auth: AgentAuth, device: TDeviceInfo, timeoutMs = 10_000): Promise<{ ok: boolean; message: string }> {
  return new Promise((resolve) => {
    let ws: WebSocket;
    try {
      ws = new WebSocket(connectUrl(serverUrl), { perMessageDeflate: false, handshakeTimeout: timeoutMs });
    } catch (err) {
      return resolve({ ok: false, message: (err as Error).message });
    }
    const timer = setTimeout(() => done(false, 'timed out'), timeoutMs);
    function done(ok: boolean, message: string) {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      resolve({ ok, message });
    }
    ws.on('open', () => ws.send(JSON.stringify({ t: 'hello', ...helloVersions(), auth, device, probe: true })));
    ws.on('message', (data: Buffer) => {
      const frame = parseFrame(ZServerFrame, data.toString('utf8'));
      if (frame?.t === 'welcome') done(true, 'OK');
      else if (frame?.t === 'error') done(false, frame.message);
      else done(false, 'unexpected answer');
    });
    ws.on('error', (err) => done(false, err.message));
    ws.on('close', () => done(false, 'closed'));
  });
}
