// Halley's device protocol (Comet's own is not public): versioned JSON text frames over a websocket at
// DEVICE_CONNECT_PATH. Shared by the server (lib/adapters/ws/device-socket.ts) and the reference agent (agent/),
// so both sides validate every frame with the same zod schemas.
//
// 1. The device sends `hello` first: how it authenticates (account password, the device token it was
//    issued, or `lobby` for an unregistered device), what it is (ID, version, platform) and which protocol
//    versions it speaks (`v`, plus `versions` when it speaks more than one; see chooseProtocolVersion).
// 2. The server answers `welcome` (bound to tenant/account/device from then on; nothing in a later frame
//    can change that) or `lobby` (waiting for an admin to register it), either with the protocol version
//    chosen for the connection in `v`, or `error` and closes (CLOSE.unsupportedVersion: no common version).
// 3. Commands: server -> `cmd` {id, cmd}; device -> `res` {id, ok, message, data}. Time-outs on the server.
// 4. Reports: device -> `job.start` / `job.progress` / `job.log` / `job.end` / `profile.get`, each with a
//    `seq`; the server answers `ack` {seq} after the report is stored (or `res` for requests), so a
//    device keeps unacknowledged reports and sends them again after a reconnect. Reports are idempotent.
// Heartbeats are websocket pings from the server; permessage-deflate is off.
import { z } from 'zod';

/** The newest protocol version this code (server and agent) speaks. */
export const PROTOCOL_VERSION = 1;
/**
 * Every protocol version this code speaks. A version is added when a frame or command changes meaning (new
 * types and optional fields need none: an unknown type is answered and ignored, below); an old one stays here
 * as long as agents that speak only it are still about.
 */
export const PROTOCOL_VERSIONS: readonly number[] = [PROTOCOL_VERSION];
export const DEVICE_CONNECT_PATH = '/api/v1/devices/connect';
/** Largest frame either side accepts; the server closes the socket with 1009 past it. */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** Close codes the agent interprets. */
export const CLOSE = {
  /** Malformed or forbidden frame: a bug or an attack; the agent reconnects with backoff. */
  protocolError: 1008,
  tooBig: 1009,
  /** drop-connection: reconnect now (with jitter). */
  reconnect: 4000,
  /** kill-process / force-login / uninstall / revoked: do not reconnect. */
  stop: 4001,
  /** Wrong credentials or token: do not retry with the same credentials. */
  unauthorized: 4003,
  /** Replaced by a newer connection of the same device. */
  replaced: 4009,
  /** No protocol version both sides speak (the reason names both lists): retrying soon will not help. */
  unsupportedVersion: 4010,
} as const;

const id = z.string().min(1).max(128);
const str = (max = 1024) => z.string().max(max);
const int = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const ZOsInfo = z
  .object({ version: str(128), distribution: str(128), build: str(128), os: str(64), arch: str(64) })
  .partial()
  .strict();

export const ZDeviceInfo = z
  .object({
    deviceId: id,
    friendlyName: str(255),
    version: str(64),
    platform: str(64),
    platformVersion: ZOsInfo.default({}),
    timezone: str(64).default(''),
    allowsFilenames: z.boolean().default(true),
  })
  .strict();

export const ZAuth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('password'), username: str(255), password: str(1024), totp: str(64).optional() }).strict(),
  z.object({ kind: z.literal('token'), username: str(255), token: str(512) }).strict(),
  z.object({ kind: z.literal('lobby') }).strict(),
  // A one-time install token (admin/create-install-token): an unattended first sign-in, answered with a device token
  z.object({ kind: z.literal('install-token'), token: str(512) }).strict(),
]);

const protocolVersion = z.number().int().min(1).max(1_000_000);

/**
 * `v`: a protocol version the device speaks (a device that speaks one: that one). `versions` (optional, additive):
 * every version it speaks; the server welcomes it with the newest version both sides speak.
 * `probe`: only check that these credentials work here (update-login-url); the socket is not registered.
 */
export const ZHello = z
  .object({ t: z.literal('hello'), v: z.number().int(), versions: z.array(protocolVersion).min(1).max(32).optional(), auth: ZAuth, device: ZDeviceInfo, probe: z.boolean().optional() })
  .strict();

/**
 * The version a connection speaks: the newest one offered by the hello (`v` and `versions`) that `supported`
 * has too, or null when there is none (the server then closes with CLOSE.unsupportedVersion).
 */
export function chooseProtocolVersion(hello: { v: number; versions?: readonly number[] }, supported: readonly number[] = PROTOCOL_VERSIONS): number | null {
  let chosen: number | null = null;
  for (const v of [hello.v, ...(hello.versions ?? [])]) if (supported.includes(v) && (chosen === null || v > chosen)) chosen = v;
  return chosen;
}

/**
 * The hello's version fields for a device that speaks `versions`: one version is `v` alone (the hello of every
 * agent before negotiation, which servers before it accept); several are `v` (the oldest) and `versions`.
 */
export function helloVersions(versions: readonly number[] = PROTOCOL_VERSIONS): { v: number; versions?: number[] } {
  const sorted = [...new Set(versions)].sort((a, b) => a - b);
  return sorted.length === 1 ? { v: sorted[0] } : { v: sorted[0], versions: sorted };
}

/** Versions as people read them ("1", "2-4", "1, 3"). */
export function describeVersions(versions: readonly number[]): string {
  const sorted = [...new Set(versions)].sort((a, b) => a - b);
  const contiguous = sorted.length > 1 && sorted[sorted.length - 1] - sorted[0] === sorted.length - 1;
  return contiguous ? `${sorted[0]}-${sorted[sorted.length - 1]}` : sorted.join(', ');
}

export const ZSeverity = z.enum(['D', 'I', 'W', 'E']);
export const ZLogEntry = z.object({ Time: int, Severity: ZSeverity, Message: str(8192) }).strict();
export const ZProgress = z
  .object({ Counter: int, SentTime: int, RecievedTime: int, BytesDone: int, ItemsDone: int, ItemsTotal: int })
  .partial()
  .strict();
export const ZSize = z.object({ Size: int, MeasureStarted: int, MeasureCompleted: int }).partial().strict();

/** The statistics a device reports; the server adds GUID, Username, DeviceID and the timestamps it knows. */
export const ZJobStats = z
  .object({
    TotalDirectories: int,
    TotalFiles: int,
    TotalSize: int,
    TotalChunks: int,
    UploadSize: int,
    DownloadSize: int,
    SnapshotID: str(255),
    Progress: ZProgress,
    DestinationSizeStart: ZSize,
    DestinationSizeEnd: ZSize,
  })
  .partial()
  .strict();

const jobId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/);
const seq = z.number().int().min(0);

export const ZJobStart = z
  .object({
    t: z.literal('job.start'),
    seq,
    jobId,
    classification: z.number().int().min(4000).max(4999),
    startTime: int,
    sourceGuid: str(128).default(''),
    destinationGuid: str(128).default(''),
    backupRuleGuid: str(128).default(''),
    clientVersion: str(64).default(''),
    tags: str(1024).default(''),
    stats: ZJobStats.default({}),
  })
  .strict();
export const ZJobProgress = z.object({ t: z.literal('job.progress'), seq, jobId, stats: ZJobStats }).strict();
/** `from` is the index of the first entry within the job's log, so a resent batch is stored once. */
export const ZJobLog = z.object({ t: z.literal('job.log'), seq, jobId, from: z.number().int().min(0), entries: z.array(ZLogEntry).max(1000) }).strict();
export const ZJobEnd = z
  .object({ t: z.literal('job.end'), seq, jobId, status: z.number().int().min(5000).max(7999), endTime: int, stats: ZJobStats.default({}) })
  .strict();
export const ZProfileGet = z.object({ t: z.literal('profile.get'), seq }).strict();
/** The device's update to `version` failed, and at which step (agent/self-update.ts; lib/campaigns/record-update-failure.ts). */
export const ZUpdateFailed = z
  .object({ t: z.literal('update.failed'), seq, version: str(64), stage: z.enum(['download', 'verify', 'start', 'rollback']), reason: str(2000) })
  .strict();
export const ZResult = z
  .object({ t: z.literal('res'), id, ok: z.boolean(), message: str(4096).default(''), data: z.record(z.string(), z.unknown()).optional() })
  .strict();

/** Frames a device may send after `hello`. A type not listed is answered and ignored (ZUnknownDeviceFrame); a listed type that does not match closes the connection. */
export const ZDeviceFrame = z.discriminatedUnion('t', [ZJobStart, ZJobProgress, ZJobLog, ZJobEnd, ZProfileGet, ZUpdateFailed, ZResult]);

// Commands (server -> device). `jobId` is chosen by the server so the dispatcher can answer with it.
export const ZCommand = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run-backup'), jobId, backupRule: str(128) }).strict(),
  z.object({ type: z.literal('run-backup-custom'), jobId, source: str(128), destination: str(128), options: z.record(z.string(), z.unknown()).default({}) }).strict(),
  z
    .object({ type: z.literal('run-restore'), jobId, path: str(4096), source: str(128), destination: str(128), snapshot: str(255).default(''), paths: z.array(str(4096)).default([]) })
    .strict(),
  z.object({ type: z.literal('apply-retention'), jobId, destination: str(128) }).strict(),
  z.object({ type: z.literal('cancel-job'), jobId }).strict(),
  z.object({ type: z.literal('drop-connection') }).strict(),
  z.object({ type: z.literal('kill-process') }).strict(),
  z.object({ type: z.literal('force-login') }).strict(),
  /** `version`: the version the server wants the device to run (campaigns send it; the agent verifies its download against it). */
  z.object({ type: z.literal('update-software'), selfAddress: str(2048), version: str(64).optional() }).strict(),
  z.object({ type: z.literal('update-login-url'), newUrl: str(2048), force: z.boolean() }).strict(),
  z.object({ type: z.literal('refetch-profile') }).strict(),
  z.object({ type: z.literal('uninstall'), removeConfig: z.boolean() }).strict(),
  z.object({ type: z.literal('ping-destination'), location: z.record(z.string(), z.unknown()) }).strict(),
  // Issue 15 (lib/dispatcher): questions answered in `res.data` (browse, list and search snapshots, engine
  // browses; `op` is the Comet command's path under dispatcher/), vault maintenance jobs, custom restores.
  z.object({ type: z.literal('request'), op: z.string().regex(/^[a-z0-9/-]{1,64}$/), args: z.record(z.string(), z.unknown()).default({}) }).strict(),
  z
    .object({
      type: z.literal('vault-job'),
      op: z.enum(['delete-snapshots', 'deepverify', 'reindex', 'unlock']),
      jobId,
      destination: str(128),
      snapshots: z.array(str(255)).max(10_000).default([]),
      allowUnsafe: z.boolean().default(false),
    })
    .strict(),
  z
    .object({
      type: z.literal('run-restore-custom'),
      jobId,
      source: str(128),
      destination: str(128),
      snapshot: str(255).default(''),
      paths: z.array(str(4096)).max(10_000).default([]),
      options: z.record(z.string(), z.unknown()).default({}),
    })
    .strict(),
  z.object({ type: z.literal('update-login-password'), password: str(1024) }).strict(),
  /**
   * Issue 18 (lib/news/push-news.ts): the organization's news items, newest first. `replace`: the whole current
   * list (sent after the welcome; what is not in it was removed); otherwise new items and `removed` ids.
   */
  z
    .object({
      type: z.literal('news'),
      replace: z.boolean().default(false),
      entries: z.array(z.object({ id: str(128), dateTime: int, text: z.string().max(20_000) }).strict()).max(500).default([]),
      removed: z.array(str(128)).max(500).default([]),
    })
    .strict(),
  z.object({ type: z.literal('import-apply'), jobId, importSourceId: str(255) }).strict(),
  /** Lobby only: an admin registered the device to an account; it reconnects with this token. */
  z.object({ type: z.literal('register'), username: str(255), token: str(512) }).strict(),
]);

export const ZWelcome = z
  .object({
    t: z.literal('welcome'),
    v: z.number().int(),
    connectionId: id,
    username: str(255),
    deviceId: id,
    /** Issued when the device authenticated with a password; use it for later connections. */
    token: str(512).optional(),
    /** After an install-token sign-in: the account password the token was made with, which unlocks the vault keys. */
    vaultPassword: str(1024).optional(),
    heartbeatSeconds: z.number().int(),
    serverTime: int,
  })
  .strict();
export const ZLobbyWelcome = z.object({ t: z.literal('lobby'), v: z.number().int(), connectionId: id }).strict();
export const ZCmdFrame = z.object({ t: z.literal('cmd'), id, cmd: ZCommand }).strict();
export const ZAck = z.object({ t: z.literal('ack'), seq, ok: z.boolean().default(true), message: str(4096).default(''), data: z.record(z.string(), z.unknown()).optional() }).strict();
export const ZError = z.object({ t: z.literal('error'), message: str(4096) }).strict();

/** Frames the server sends. */
export const ZServerFrame = z.discriminatedUnion('t', [ZWelcome, ZLobbyWelcome, ZCmdFrame, ZAck, ZError]);

// Forward compatibility: a newer peer may send a frame type or command this side does not know yet. It is
// answered (a report's `seq` is acknowledged with ok=false, a command's `res` is ok=false) and the connection
// stays, so a newer agent keeps working against an older server and the other way round. A KNOWN type with
// invalid fields is still a protocol error that closes the connection: that is a bug or an attack, not a
// version difference.
const typeName = z.string().min(1).max(64);
const DEVICE_FRAME_TYPES: ReadonlySet<string> = new Set(ZDeviceFrame.options.map((o) => o.shape.t.value));
const COMMAND_TYPES: ReadonlySet<string> = new Set(ZCommand.options.map((o) => o.shape.type.value));

/** A device frame of a type this server does not know (the rest of the frame is not read). */
export const ZUnknownDeviceFrame = z.object({ t: typeName.refine((t) => !DEVICE_FRAME_TYPES.has(t)), seq: seq.optional() });
/** A `cmd` whose command type this agent does not know (the rest of the command is not read). */
export const ZUnknownCommandFrame = z.object({ t: z.literal('cmd'), id, cmd: z.object({ type: typeName.refine((t) => !COMMAND_TYPES.has(t)) }) });

export type THello = z.infer<typeof ZHello>;
export type TDeviceInfo = z.infer<typeof ZDeviceInfo>;
export type TDeviceFrame = z.infer<typeof ZDeviceFrame>;
export type TCommand = z.infer<typeof ZCommand>;
export type TServerFrame = z.infer<typeof ZServerFrame>;
export type TJobStats = z.infer<typeof ZJobStats>;
export type TLogEntry = z.infer<typeof ZLogEntry>;
export type TWelcome = z.infer<typeof ZWelcome>;
export type TCommandResult = { ok: boolean; message: string; data?: Record<string, unknown> };

/** Parses one text frame; null when it is not JSON or does not match `schema`. */
export function parseFrame<S extends z.ZodType>(schema: S, text: string): z.infer<S> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
