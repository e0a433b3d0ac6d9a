// tenancy-file: system — the workers record what devices' connections mean for the server-wide campaign
// A notice from a web node (note-device-connected.ts): the devices that connected there while a campaign was
// current. The storm a campaign causes is its devices coming back after the update request, so those are judged
// together: the notice's rows are read in one statement and written in at most two (CONFIRMED with the target
// version, FAILED with another), followed by one wave check. A device already judged (CONFIRMED, FAILED, or asked
// after this connection) is only counted: a finished campaign stays current, and every later reconnect storm
// notices it. Only devices the campaign has still to judge or send (no row yet, NOT_SEEN, INELIGIBLE, PENDING) go
// through handleDeviceConnected, a few at a time.
import { UpdateStatus } from '../comet/constants';
import { compareVersions } from '../client-builds/client-version';
import { db, dbPool } from '../db/client';
import { log } from '../log';
import { advanceCampaignWaves } from './advance-campaign-waves';
import { enqueueDrive, type TConnectedDevice, type TDevicesConnected } from './campaign-queue';
import { deviceMessage, wrongVersion } from './device-message';
import { CAMPAIGN_FIELDS, handleDeviceConnected, type TNoticeCampaign } from './handle-device-connected';

const S = UpdateStatus;
/** Devices of a notice judged one by one at the same time. */
const EACH_CONCURRENCY = 8;

type TOutcomes = Record<string, number>;

async function noticeCampaign(campaignId: string): Promise<TNoticeCampaign | null> {
  // The web node names the campaign it saw (cached for a moment); one started since then wins.
  let campaign = await db().campaign.findUnique({ where: { id: campaignId }, select: CAMPAIGN_FIELDS });
  if (!campaign || campaign.current !== true) campaign = await db().campaign.findFirst({ where: { current: true }, select: CAMPAIGN_FIELDS });
  return campaign && (campaign.state === 'running' || campaign.state === 'paused') ? campaign : null;
}

/** The notice's devices judged at once where their row allows it; returns the devices left for handleDeviceConnected. */
async function judgeReconnects(campaign: TNoticeCampaign, devices: TConnectedDevice[], outcomes: TOutcomes): Promise<TConnectedDevice[]> {
  const pool = dbPool();
  const { rows } = await pool.query<{ id: string; accountId: string; deviceId: string; status: number; requestTime: string | number }>(
    `SELECT c."id", c."accountId", c."deviceId", c."status", c."requestTime"
       FROM "CampaignDevice" AS c JOIN unnest($2::text[], $3::text[]) AS v(a, d) ON c."accountId" = v.a AND c."deviceId" = v.d
      WHERE c."campaignId" = $1`,
    [campaign.id, devices.map((d) => d.accountId), devices.map((d) => d.deviceId)],
  );
  const known = new Map(rows.map((r) => [`${r.accountId}/${r.deviceId}`, r]));
  const count = (outcome: string) => (outcomes[outcome] = (outcomes[outcome] ?? 0) + 1);
  const confirmed: Array<{ id: string; status: number; version: string }> = [];
  const failed: Array<{ id: string; version: string; message: string; key: string }> = [];
  const rest: TConnectedDevice[] = [];
  for (const d of devices) {
    const row = known.get(`${d.accountId}/${d.deviceId}`);
    if (!row || row.status === S.UPDATESTATUS_NOT_SEEN || row.status === S.UPDATESTATUS_INELIGIBLE || row.status === S.UPDATESTATUS_PENDING) {
      rest.push(d);
      continue;
    }
    const asked = row.status === S.UPDATESTATUS_REQUEST_MADE || row.status === S.UPDATESTATUS_UPDATE_FAILED;
    // CONFIRMED stays so; a connection from before the request tells nothing about the update (its notice came late).
    if (!asked || d.connectedAt <= Number(row.requestTime)) count(`status ${row.status}`);
    else if (compareVersions(d.version, campaign.targetVersion) === 0) confirmed.push({ id: row.id, status: row.status, version: d.version });
    else if (row.status === S.UPDATESTATUS_REQUEST_MADE) {
      const m = deviceMessage(wrongVersion(d.version, campaign.targetVersion));
      failed.push({ id: row.id, version: d.version, message: m.message, key: JSON.stringify(m.messageKey) });
    } else count('failed'); // FAILED before, back with another wrong version: stays FAILED
  }
  const now = Date.now();
  // Shaped for the planner as writeAnswers in send-campaign-update.ts: the expected status per row, the ids as the table's
  // only restriction (with `c.status = <constant>` it could scan the table and join every such row to every device).
  const [c, f] = await Promise.all([
    confirmed.length
      ? pool.query(
          `UPDATE "CampaignDevice" AS c SET "status" = $4, "version" = v.ver, "resultTime" = $5, "message" = '', "messageKey" = NULL, "updatedAt" = now()
             FROM unnest($1::text[], $2::int4[], $3::text[]) AS v(id, st, ver) WHERE c."id" = ANY($1::text[]) AND c."id" = v.id AND c."status" = v.st`,
          [confirmed.map((r) => r.id), confirmed.map((r) => r.status), confirmed.map((r) => r.version), S.UPDATESTATUS_UPDATE_CONFIRMED, now],
        )
      : null,
    failed.length
      ? pool.query(
          `UPDATE "CampaignDevice" AS c SET "status" = $6, "version" = v.ver, "resultTime" = $7, "message" = v.m, "messageKey" = v.k::jsonb, "updatedAt" = now()
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int4[]) AS v(id, ver, m, k, s) WHERE c."id" = ANY($1::text[]) AND c."id" = v.id AND c."status" = v.s`,
          [failed.map((r) => r.id), failed.map((r) => r.version), failed.map((r) => r.message), failed.map((r) => r.key), failed.map(() => S.UPDATESTATUS_REQUEST_MADE), S.UPDATESTATUS_UPDATE_FAILED, now],
        )
      : null,
  ]);
  outcomes.confirmed = (outcomes.confirmed ?? 0) + (c?.rowCount ?? 0);
  outcomes.failed = (outcomes.failed ?? 0) + (f?.rowCount ?? 0);
  // The wave these devices finished may release the next one: the workers send it at once.
  if (confirmed.length + failed.length > 0 && campaign.state === 'running' && (await advanceCampaignWaves(campaign.id)) === 'released') await enqueueDrive(campaign.id);
  return rest;
}

export async function handleDevicesConnected(notice: TDevicesConnected): Promise<TOutcomes | string> {
  const campaign = await noticeCampaign(notice.campaignId);
  if (!campaign) return 'no active campaign';
  // A device that connected twice within one notice: its last connection is the one that counts.
  const devices = [...new Map(notice.devices.map((d) => [`${d.accountId}/${d.deviceId}`, d])).values()];
  const outcomes: TOutcomes = {};
  const rest = await judgeReconnects(campaign, devices, outcomes);
  let firstError: unknown;
  for (let i = 0; i < rest.length; i += EACH_CONCURRENCY) {
    for (const r of await Promise.allSettled(rest.slice(i, i + EACH_CONCURRENCY).map((d) => handleDeviceConnected(campaign, d)))) {
      if (r.status === 'fulfilled') outcomes[r.value] = (outcomes[r.value] ?? 0) + 1;
      else firstError ??= r.reason;
    }
  }
  // Judging again is harmless (every write is guarded by the status it expects): the job's retry covers the failures.
  if (firstError) {
    log.warn({ err: firstError, outcomes }, 'a device of a campaign notice could not be judged; the notice is retried');
    throw firstError;
  }
  return outcomes;
}
