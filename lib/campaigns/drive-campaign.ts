// tenancy-file: system — the workers drive the server-wide campaign (no actor)
// One pass over a running campaign: release the next wave when the current one is finished, then send the
// update to every released PENDING device that is connected (on any web node: the relay routes the
// command) and not running a job (unless ForceUpgradeRunning). Devices that are offline or busy stay
// PENDING: a connection (handle-device-connected.ts) or the next tick picks them up.
import { JobStatus, UpdateStatus } from '../comet/constants';
import { compareVersions } from '../client-builds/client-version';
import { db, dbPool } from '../db/client';
import { Prisma } from '../generated/prisma/client';
import { apiMessage } from '../i18n/api-messages';
import { relay, type ConnInfo } from '../live/relay';
import type { TUpdateCampaignOptions } from './campaign-options';
import { advanceCampaignWaves } from './advance-campaign-waves';
import { enqueueDrive } from './campaign-queue';
import { waitForCampaignStart } from './campaign-start-lock';
import { sendCampaignUpdates } from './send-campaign-update';
import { deviceMessage, wrongVersion } from './device-message';

const RUNNING_MIN = JobStatus.JOB_STATUS_RUNNING__MIN;
const RUNNING_MAX = JobStatus.JOB_STATUS_RUNNING__MAX;
/** A reconnect notice normally arrives within a second or two; after this the timer looks for itself. */
const RECONCILE_AFTER_MS = 10_000;

/**
 * accountId/deviceId of every device with a job in a RUNNING_* status (of `keys` only, when given). A running
 * job has no end time yet: the (endTime, id) index finds the unfinished jobs without reading the finished ones,
 * so this is one short index range whatever the size of the job history or of `keys`.
 */
export async function busyDevices(keys?: Array<{ accountId: string; deviceId: string }>): Promise<Set<string>> {
  const rows = await db().job.findMany({ where: { endTime: 0n, status: { gte: RUNNING_MIN, lte: RUNNING_MAX } }, select: { accountId: true, deviceId: true }, distinct: ['accountId', 'deviceId'] });
  const busy = new Set(rows.map((r) => `${r.accountId}/${r.deviceId}`));
  if (!keys) return busy;
  const wanted = new Set(keys.map((k) => `${k.accountId}/${k.deviceId}`));
  return new Set([...busy].filter((k) => wanted.has(k)));
}

type TRequestedRow = { id: string; accountId: string; deviceId: string; requestTime: string; version: string };

/** The campaign's devices asked longer than RECONCILE_AFTER_MS ago that are still REQUEST_MADE. */
async function staleRequests(campaignId: string): Promise<TRequestedRow[]> {
  const { rows } = await dbPool().query<TRequestedRow>(
    `SELECT "id", "accountId", "deviceId", "requestTime"::text AS "requestTime", "version" FROM "CampaignDevice"
      WHERE "campaignId" = $1 AND "status" = $2 AND "requestTime" < $3`,
    [campaignId, UpdateStatus.UPDATESTATUS_REQUEST_MADE, Date.now() - RECONCILE_AFTER_MS],
  );
  return rows;
}

/**
 * Devices asked to update whose reconnect notice never reached the workers (Redis restarted, a worker
 * died mid-job): judged from the connection they hold now, if it was opened after the request.
 */
async function reconcileRequested(campaignId: string, target: string, requested: TRequestedRow[], online: Map<string, ConnInfo>): Promise<void> {
  let judged = 0;
  for (const r of requested) {
    const conn = online.get(`${r.accountId}/${r.deviceId}`);
    if (!conn) continue;
    const same = compareVersions(conn.version, target) === 0;
    // A connection advertising the target, when the device had another version at the request, is surely the
    // reconnect after the update, however soon it came. Otherwise: connectedAt has whole seconds, so only a
    // connection from a later second than the request is surely a reconnect (a device that reconnected within
    // the same second with its old version is judged on its next connection).
    const updatedSinceRequest = same && compareVersions(r.version, target) !== 0;
    if (!updatedSinceRequest && conn.connectedAt * 1000 < Number(r.requestTime) + 1000) continue;
    const now = BigInt(Date.now());
    const { count } = await db().campaignDevice.updateMany({
      where: { id: r.id, status: UpdateStatus.UPDATESTATUS_REQUEST_MADE },
      data: same
        ? { status: UpdateStatus.UPDATESTATUS_UPDATE_CONFIRMED, version: conn.version, resultTime: now, message: '', messageKey: Prisma.DbNull }
        : { status: UpdateStatus.UPDATESTATUS_UPDATE_FAILED, version: conn.version, resultTime: now, ...deviceMessage(wrongVersion(conn.version, target)) },
    });
    judged += count;
  }
  if (judged > 0) await advanceCampaignWaves(campaignId);
}

type TDriveResult = { state: string; sent: number; busy: number; offline: number; refused: number; unreachable: number };

/**
 * `starting`: the drive the start request asked for before it wrote the campaign's rows (start-campaign.ts): it lists
 * the connections and the devices running a job while the rows are written. Any other drive (the timer, a released
 * wave, a resume) reads the campaign's rows first and lists the connections only when a device is waiting to be sent
 * or judged: a campaign stays current after it completed, and its timer then costs a few index reads every tick
 * instead of a listing of the whole fleet.
 */
export async function driveCampaign(campaignId: string, opts: { starting?: boolean } = {}): Promise<TDriveResult> {
  const result: TDriveResult = { state: 'idle', sent: 0, busy: 0, offline: 0, refused: 0, unreachable: 0 };
  const early = opts.starting ? { connections: relay().listConnections(), running: busyDevices() } : undefined;
  // Settled here too, so that a pass that ends before it needs them does not leave a rejection unhandled.
  early?.connections.catch(() => undefined);
  early?.running.catch(() => undefined);
  // The campaign and its rows once its start is written (campaign-start-lock.ts).
  await waitForCampaignStart(campaignId);
  // Release as many waves as are ready (a wave whose devices all finished releases the next at once).
  for (let i = 0; i < 100 && (await advanceCampaignWaves(campaignId)) === 'released'; i++);
  const [campaign, pending, requested] = await Promise.all([
    db().campaign.findUnique({ where: { id: campaignId }, select: { state: true, current: true, options: true, targetVersion: true, selfAddress: true } }),
    dbPool().query<{ id: string; accountId: string; deviceId: string }>(
      `SELECT "id", "accountId", "deviceId" FROM "CampaignDevice" WHERE "campaignId" = $1 AND "status" = $2 AND "wave" > 0`,
      [campaignId, UpdateStatus.UPDATESTATUS_PENDING],
    ),
    staleRequests(campaignId),
  ]);
  if (!campaign || campaign.current !== true || (campaign.state !== 'running' && campaign.state !== 'paused')) return { ...result, state: campaign?.state ?? 'missing' };
  result.state = campaign.state;
  const force = (campaign.options as TUpdateCampaignOptions).ForceUpgradeRunning === true;
  const toSend = campaign.state === 'running' ? pending.rows : [];
  if (toSend.length === 0 && requested.length === 0) return result;
  const connections = await (early?.connections ?? relay().listConnections());

  const online = new Map<string, ConnInfo>();
  for (const c of connections) online.set(`${c.accountId}/${c.deviceId}`, c);
  // A paused campaign sends nothing new, but still learns how the devices it asked came back.
  if (requested.length > 0) await reconcileRequested(campaignId, campaign.targetVersion, requested, online);
  if (toSend.length === 0) return result;
  const reachable = toSend.filter((p) => online.has(`${p.accountId}/${p.deviceId}`));
  result.offline = toSend.length - reachable.length;
  const busy = force ? new Set<string>() : await (early?.running ?? busyDevices());
  const targets = reachable.filter((p) => !busy.has(`${p.accountId}/${p.deviceId}`));
  result.busy = reachable.length - targets.length;
  if (result.busy > 0) {
    await db().campaignDevice.updateMany({
      where: { id: { in: reachable.filter((p) => busy.has(`${p.accountId}/${p.deviceId}`)).map((p) => p.id) }, status: UpdateStatus.UPDATESTATUS_PENDING },
      data: deviceMessage(apiMessage('campaignDeviceWaitingForJob')),
    });
  }
  const count = await sendCampaignUpdates(
    targets.map((p) => ({ id: p.id, conn: online.get(`${p.accountId}/${p.deviceId}`)! })),
    campaign,
  );
  result.sent = count.sent;
  result.refused = count.refused;
  result.unreachable = count.unreachable;
  if (count.refused > 0) await advanceCampaignWaves(campaignId);
  return result;
}

/** The timer's job: a drive of the current campaign, if one is active (queued, so it never runs beside another drive). */
export async function tickCampaigns(): Promise<{ campaignId: string } | null> {
  const current = await db().campaign.findFirst({ where: { current: true, state: { in: ['running', 'paused'] } }, select: { id: true } });
  if (!current) return null;
  await enqueueDrive(current.id);
  return { campaignId: current.id };
}
