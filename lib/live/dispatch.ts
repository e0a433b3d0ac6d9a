// The dispatcher: admins act on live devices (Comet's admin/dispatcher/*, admin/installation/*,
// admin/job/cancel|abandon). Every target is looked up within the caller's tenant scope; a connection,
// lobby device or job of another tenant is answered exactly like a missing one.
import { randomUUID } from 'node:crypto';
import { passwordSignInAllowed, totpEnabled } from '../auth/second-factor';
import { verifyTotpCode } from '../auth/totp';
import { verifyPassword } from '../credentials/password';
import { JobStatus, StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { AppError, AuthError, BadRequestError, NotFoundError } from '../errors';
import { emitEvent } from '../events/emit';
import { jobNotFound } from '../backup-jobs/get-job';
import { jobRowToWire, JOB_WIRE_COLUMNS } from '../backup-jobs/job-row';
import { TOP_LEVEL_TENANT_ID, type AdminActor, type UserActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { userNotFound } from '../users/find-account';
import { issueDeviceToken } from './device-token';
import type { TCommand, TCommandResult } from './protocol';
import { ensureRegisteredDevice } from './register-device';
import { DeviceUnreachableError, relay, type ConnInfo, type LobbyInfo } from './relay';

/** How long a device has to answer a command (it answers as soon as it has started the work). */
export const COMMAND_TIMEOUT_MS = 30_000;

/** Who may act on live devices: admins (their tenant's, or every one at the top level) and end users (their own). */
export type DispatchActor = AdminActor | UserActor;

const visible = (actor: AdminActor, tenantId: string) => actor.isTopLevel || tenantId === actor.tenantId;

/** An end user's own devices are those bound to their account (in their tenant). */
function canCommand(actor: DispatchActor, target: { tenantId: string; accountId: string }): boolean {
  if (actor.kind === 'user') return target.accountId === actor.accountId && target.tenantId === actor.tenantId;
  return visible(actor, target.tenantId);
}

export function connectionNotFound(id: string): NotFoundError {
  return new NotFoundError(`Live connection '${id.slice(0, 100)}' was not found`);
}

/** Comet LiveUserConnection. */
export function liveConnectionDto(c: ConnInfo): Record<string, unknown> {
  return {
    Username: c.username,
    DeviceID: c.deviceId,
    ReportedVersion: c.version,
    ReportedPlatform: c.platform,
    ReportedPlatformVersion: { version: '', distribution: '', build: '', os: '', arch: '', ...c.platformVersion },
    DeviceTimeZone: c.timezone,
    IPAddress: c.ip,
    ConnectionTime: c.connectedAt,
    AllowsFilenames: c.allowsFilenames,
  };
}

function lobbyDto(l: LobbyInfo): Record<string, unknown> {
  return {
    DeviceID: l.deviceId,
    OrganizationID: l.tenantId === TOP_LEVEL_TENANT_ID ? '' : l.tenantId,
    FriendlyName: l.friendlyName,
    ReportedVersion: l.version,
    ReportedPlatform: l.platform,
    ReportedPlatformVersion: { version: '', distribution: '', build: '', os: '', arch: '', ...l.platformVersion },
    DeviceTimeZone: l.timezone,
    IPAddress: l.ip,
    Host: l.host,
    ConnectionTime: l.connectedAt,
  };
}

/** Admin/UserWebDispatcherListActive: LiveUserConnectionMap keyed by connection id (an end user: their own devices). */
export async function listActiveConnections({ actor, usernameFilter }: { actor: DispatchActor; usernameFilter?: string }): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const conns = (await relay().listConnections()).filter((c) => canCommand(actor, c) && (!usernameFilter || c.username === usernameFilter));
  conns.sort((a, b) => a.username.localeCompare(b.username) || a.deviceId.localeCompare(b.deviceId));
  for (const c of conns) out[c.connectionId] = liveConnectionDto(c);
  return out;
}

/** AdminInstallationListActive: RegistrationLobbyConnectionMap keyed by lobby connection id. */
export async function listLobbyConnections({ actor }: { actor: AdminActor }): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const l of await relay().listLobby()) if (visible(actor, l.tenantId)) out[l.connectionId] = lobbyDto(l);
  return out;
}

function resultOrThrow(result: TCommandResult): TCommandResult {
  if (!result.ok) throw new AppError(500, result.message || 'The device reported an error');
  return result;
}

async function send(conn: { connectionId: string; node: string }, cmd: TCommand, timeoutMs = COMMAND_TIMEOUT_MS): Promise<TCommandResult> {
  try {
    return resultOrThrow(await relay().command(conn, cmd, timeoutMs));
  } catch (err) {
    if (err instanceof DeviceUnreachableError) throw new AppError(503, `The device did not answer (${err.message})`);
    throw err;
  }
}

export type DispatchOutcome = { Status: number; Message: string; JobID?: string };

/**
 * Sends one command to a live connection. With `queueIfOffline` (Halley extension) a TargetID that is
 * not a live connection is read as a registered device's ID, and the command waits for its next connection.
 */
export async function dispatchCommand(opts: {
  actor: DispatchActor;
  targetId: string;
  /** Checks against the device's account (the rule, item or vault exists) before anything is sent. */
  build: (target: { accountId: string }) => Promise<TCommand>;
  queueIfOffline?: boolean;
}): Promise<DispatchOutcome> {
  const conn = await relay().commandTarget(opts.targetId);
  if (conn && canCommand(opts.actor, conn)) {
    const cmd = await opts.build(conn);
    const result = await send(conn, cmd);
    return { Status: 200, Message: result.message || 'OK', ...('jobId' in cmd ? { JobID: cmd.jobId } : {}) };
  }
  if (!opts.queueIfOffline || opts.actor.kind !== 'admin') throw connectionNotFound(opts.targetId);
  const devices = await db().device.findMany({ where: { deviceId: opts.targetId, ...tenantWhere(opts.actor) }, select: { accountId: true }, take: 2 });
  if (devices.length === 0) throw connectionNotFound(opts.targetId);
  if (devices.length > 1) throw new BadRequestError(`Device ID '${opts.targetId.slice(0, 100)}' is registered in more than one account: use a live connection ID`);
  const live = await relay().connectionOfDevice(devices[0].accountId, opts.targetId);
  const cmd = await opts.build(devices[0]);
  if (live) {
    const result = await send(live, cmd);
    return { Status: 200, Message: result.message || 'OK', ...('jobId' in cmd ? { JobID: cmd.jobId } : {}) };
  }
  await relay().enqueue(devices[0].accountId, opts.targetId, cmd);
  return { Status: 200, Message: 'Queued: delivered when the device connects', ...('jobId' in cmd ? { JobID: cmd.jobId } : {}) };
}

export async function requireRule(accountId: string, ruleId: string): Promise<void> {
  if (!(await db().backupRule.findUnique({ where: { accountId_ruleId: { accountId, ruleId } }, select: { id: true } }))) {
    throw new NotFoundError(`Backup rule '${ruleId.slice(0, 100)}' was not found`);
  }
}

export async function requireItem(accountId: string, itemId: string): Promise<void> {
  if (!(await db().protectedItem.findUnique({ where: { accountId_itemId: { accountId, itemId } }, select: { id: true } }))) {
    throw new NotFoundError(`Protected item '${itemId.slice(0, 100)}' was not found`);
  }
}

export async function requireVault(accountId: string, vaultId: string): Promise<void> {
  if (!(await db().storageVault.findUnique({ where: { accountId_vaultId: { accountId, vaultId } }, select: { id: true } }))) {
    throw new NotFoundError(`Storage vault '${vaultId.slice(0, 100)}' was not found`);
  }
}

export const newJobId = (): string => randomUUID();

// ---------------------------------------------------------------------------------------------
// Jobs

const WIRE_SELECT = Object.fromEntries(JOB_WIRE_COLUMNS.map((c) => [c, true])) as Record<(typeof JOB_WIRE_COLUMNS)[number], true>;
const RUNNING = { gte: 6000, lte: 6999 };

/** The jobs an actor may reach: an admin's of the named user (in their scope), an end user's of their own account. */
function jobScope(actor: DispatchActor, username: string) {
  return actor.kind === 'user' ? { accountId: actor.accountId, tenantId: actor.tenantId } : { username, ...tenantWhere(actor) };
}

async function findUserJob(actor: DispatchActor, username: string, jobId: string) {
  const job = await db().job.findFirst({ where: { id: jobId, ...jobScope(actor, username) }, select: { accountId: true, deviceId: true, status: true, tenantId: true } });
  if (!job) throw jobNotFound(jobId);
  return job;
}

/**
 * AdminJobCancel / UserWebJobCancel: asks the device running the job to cancel it; the device reports
 * the end. `username` is the admin's TargetUser (an end user reaches only their own jobs).
 */
export async function cancelJob({ actor, username = '', jobId }: { actor: DispatchActor; username?: string; jobId: string }): Promise<DispatchOutcome> {
  const job = await findUserJob(actor, username, jobId);
  if (job.status < 6000 || job.status > 6999) throw new BadRequestError(`Job '${jobId.slice(0, 100)}' is not running`);
  const conn = job.accountId ? await relay().connectionOfDevice(job.accountId, job.deviceId) : null;
  if (!conn) throw new AppError(503, 'The device running this job is not connected');
  await send(conn, { type: 'cancel-job', jobId });
  return { Status: 200, Message: 'OK' };
}

/** AdminJobAbandon: a job stuck "running" (its device is gone) is marked abandoned; nothing is sent. */
export async function abandonJob({ actor, username, jobId }: { actor: AdminActor; username: string; jobId: string }): Promise<DispatchOutcome> {
  return db().$transaction(async (tx) => {
    const now = BigInt(Math.floor(Date.now() / 1000));
    const changed = await tx.job.updateMany({ where: { id: jobId, username, status: RUNNING, ...tenantWhere(actor) }, data: { status: JobStatus.JOB_STATUS_FAILED_ABANDONED, endTime: now } });
    if (changed.count === 0) {
      await findUserJob(actor, username, jobId); // 404 when missing or foreign
      throw new BadRequestError(`Job '${jobId.slice(0, 100)}' is not running`);
    }
    const row = await tx.job.findUniqueOrThrow({ where: { id: jobId }, select: { ...WIRE_SELECT, tenantId: true } });
    await emitEvent(tx, actor, { tenantId: row.tenantId, type: SEVT.SEVT_JOB_COMPLETED, resourceId: jobId, data: jobRowToWire(row) });
    return { Status: 200, Message: 'OK' };
  });
}

// ---------------------------------------------------------------------------------------------
// Registration lobby

async function findLobbyDevice(actor: AdminActor, deviceId: string): Promise<LobbyInfo> {
  const found = (await relay().listLobby()).find((l) => l.deviceId === deviceId && visible(actor, l.tenantId));
  if (!found) throw new NotFoundError(`Device '${deviceId.slice(0, 100)}' is not waiting in the registration lobby`);
  return found;
}

/** AdminInstallationDispatchRegisterDevice: registers a lobby device to a user, checked with the user's password. */
export async function registerLobbyDevice(opts: { actor: AdminActor; deviceId: string; username: string; password: string; totpCode?: string }): Promise<string> {
  const account = await db().account.findFirst({
    where: { username: opts.username, ...tenantWhere(opts.actor) },
    select: { id: true, tenantId: true, username: true, passwordHash: true, allowPasswordLogin: true, allowPasswordAndTotpLogin: true, totpSecret: true },
  });
  if (!account) throw userNotFound(opts.username);
  const state = { ...account, allowPasswordAndWebAuthnLogin: false };
  if (!passwordSignInAllowed(state) || !(await verifyPassword(account.passwordHash, opts.password))) throw new AuthError('Incorrect password for that user');
  // A user who signs in with a TOTP code needs it here too (TargetTOTPCode), as the device would.
  if (totpEnabled(state)) {
    if (!opts.totpCode) throw new AuthError('This user signs in with a TOTP code: give TargetTOTPCode');
    if (!(await verifyTotpCode(account.totpSecret!, opts.totpCode))) throw new AuthError('Incorrect TOTP code for that user');
  }
  const lobby = await findLobbyDevice(opts.actor, opts.deviceId);
  const binding = await ensureRegisteredDevice(account, {
    deviceId: lobby.deviceId,
    friendlyName: lobby.friendlyName,
    version: lobby.version,
    platform: lobby.platform,
    platformVersion: lobby.platformVersion,
    timezone: lobby.timezone,
    allowsFilenames: true,
  });
  await send(lobby, { type: 'register', username: account.username, token: issueDeviceToken(binding.accountId, binding.deviceId) });
  return 'OK';
}

export async function dropLobbyConnection({ actor, deviceId }: { actor: AdminActor; deviceId: string }): Promise<DispatchOutcome> {
  const lobby = await findLobbyDevice(actor, deviceId);
  await send(lobby, { type: 'drop-connection' });
  return { Status: 200, Message: 'OK' };
}

// ---------------------------------------------------------------------------------------------
// Login URLs

/** The address a tenant's devices should use: its first host name, or the address this request came to. */
export async function defaultLoginUrl(tenantId: string, requestHost: string | undefined): Promise<string> {
  const tenant = tenantId === TOP_LEVEL_TENANT_ID ? null : await db().tenant.findUnique({ where: { id: tenantId }, select: { hosts: true } });
  const host = tenant?.hosts[0];
  if (host) return host.includes('://') ? host : `https://${host}/`;
  return requestHost ? `http://${requestHost}/` : '';
}

/**
 * After a user moved to another tenant: live devices are told the new address (update-login-url, then
 * dropped so they reconnect bound to the new tenant); the ones not connected are returned.
 */
export async function repointTransferredDevices(opts: { accountId: string; tenantId: string; devices: Array<{ DeviceID: string; FriendlyName: string }>; requestHost?: string }): Promise<Array<{ DeviceID: string; FriendlyName: string }>> {
  const url = await defaultLoginUrl(opts.tenantId, opts.requestHost);
  const offline: Array<{ DeviceID: string; FriendlyName: string }> = [];
  for (const d of opts.devices) {
    const conn = await relay().connectionOfDevice(opts.accountId, d.DeviceID);
    if (!conn) {
      offline.push(d);
      continue;
    }
    // A device that accepted the new address reconnects by itself; otherwise it is dropped so that it
    // reconnects bound to the new tenant. Only a device that answered neither counts as not told.
    const moved = url ? await relay().command(conn, { type: 'update-login-url', newUrl: url, force: false }, COMMAND_TIMEOUT_MS).catch(() => null) : null;
    const dropped = moved?.ok ? null : await relay().command(conn, { type: 'drop-connection' }, 5000).catch(() => null);
    if (!moved?.ok && !dropped?.ok) offline.push(d);
  }
  return offline;
}

// ---------------------------------------------------------------------------------------------
// Registered devices with their live state (Halley extension, for the console's devices page)

export type DeviceState = {
  Username: string;
  DeviceID: string;
  FriendlyName: string;
  ClientVersion: string;
  OrganizationID: string;
  Online: boolean;
  ConnectionID: string;
  ReportedPlatform: string;
  IPAddress: string;
  ConnectionTime: number;
};

export type DeviceStatusFilter = '' | 'online' | 'offline';

/**
 * Registered devices the admin may see, online ones with their connection: at most `limit`, by username,
 * optionally only those whose name, ID or username contains `query` (any case) and only online or offline ones.
 */
export async function listDeviceStates({ actor, limit = 1000, query = '', status = '' }: { actor: AdminActor; limit?: number; query?: string; status?: DeviceStatusFilter }): Promise<DeviceState[]> {
  const connections = (await relay().listConnections()).filter((c) => visible(actor, c.tenantId));
  const live = new Map(connections.map((c) => [`${c.accountId}/${c.deviceId}`, c]));
  const contains = { contains: query, mode: 'insensitive' as const };
  const rows = await db().device.findMany({
    where: {
      ...tenantWhere(actor),
      ...(query ? { OR: [{ friendlyName: contains }, { deviceId: contains }, { account: { username: contains } }] } : {}),
      // Online: only the accounts and device IDs that have a connection (the exact pairs are matched below).
      ...(status === 'online' ? { accountId: { in: [...new Set(connections.map((c) => c.accountId))] }, deviceId: { in: [...new Set(connections.map((c) => c.deviceId))] } } : {}),
    },
    select: { deviceId: true, friendlyName: true, clientVersion: true, tenantId: true, accountId: true, account: { select: { username: true } } },
    orderBy: [{ account: { username: 'asc' } }, { position: 'asc' }],
    // Offline: enough rows that `limit` remain after the online ones are left out.
    take: status === 'offline' ? limit + live.size : status === 'online' ? undefined : limit,
  });
  const picked = status ? rows.filter((d) => live.has(`${d.accountId}/${d.deviceId}`) === (status === 'online')).slice(0, limit) : rows;
  return picked.map((d) => {
    const c = live.get(`${d.accountId}/${d.deviceId}`);
    return {
      Username: d.account.username,
      DeviceID: d.deviceId,
      FriendlyName: d.friendlyName,
      ClientVersion: c?.version ?? d.clientVersion ?? '',
      OrganizationID: d.tenantId === TOP_LEVEL_TENANT_ID ? '' : d.tenantId,
      Online: Boolean(c),
      ConnectionID: c?.connectionId ?? '',
      ReportedPlatform: c?.platform ?? '',
      IPAddress: c?.ip ?? '',
      ConnectionTime: c?.connectedAt ?? 0,
    };
  });
}

/** How many registered devices the admin may see, and how many of them are connected. */
export async function countDevices({ actor }: { actor: AdminActor }): Promise<{ Total: number; Online: number }> {
  const [total, connections] = await Promise.all([db().device.count({ where: tenantWhere(actor) }), relay().listConnections()]);
  return { Total: total, Online: connections.filter((c) => visible(actor, c.tenantId)).length };
}
