// Issue 15, the reconnect storm: a web node tells the workers about device connections in notices of many
// devices (lib/campaigns/note-device-connected.ts, written like a group commit), and the workers judge the
// devices of a notice that come back after the update request together (handle-devices-connected.ts): one
// read, at most one CONFIRMED and one FAILED write. This file calls both sides from the test process.
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLIENT_VERSION } from '../../lib/client-builds/client-version';
import { UpdateStatus } from '../../lib/comet/constants';
import { CAMPAIGN_QUEUE, CampaignJob, closeCampaignQueue } from '../../lib/campaigns/campaign-queue';
import { handleDevicesConnected } from '../../lib/campaigns/handle-devices-connected';
import { closeCampaignNotices, noteDeviceConnected } from '../../lib/campaigns/note-device-connected';
import { closeDb, db } from '../../lib/db/client';
import { holdCampaignStart } from '../../lib/campaigns/campaign-start-lock';
import { driveCampaign } from '../../lib/campaigns/drive-campaign';
import { relay } from '../../lib/live/relay';
import { producerConnection } from '../../lib/queue/connection';
import type { CometClient } from '../helpers/comet-client';
import { makeTenant, rootClient, type TenantFixture } from '../helpers/fixtures';
import { sql } from '../helpers/security';

const S = UpdateStatus;
const OLD = '25.9.0';
let root: CometClient;
let t: TenantFixture;
let campaignId: string;

beforeAll(async () => {
  root = await rootClient();
  t = await makeTenant('camp-notice');
  // A campaign over this organization's devices (it has none): the rows below are written by hand.
  const started = await root.ok('/api/v1/admin/update-campaign/start', {
    Options: { Active: true, UpgradeOlder: true, ReinstallCurrentVer: false, DowngradeNewer: false, ForceUpgradeRunning: false, ApplyDeviceFilter: true, DeviceFilter: { ClauseType: '', RuleField: 'OrganizationID', RuleOperator: 'str_eq', RuleValue: t.id } },
  });
  campaignId = started.CampaignID;
});

afterAll(async () => {
  await root?.ok('/api/v1/admin/update-campaign/start', { Options: { Active: false } }).catch(() => undefined);
  await closeCampaignNotices();
  await closeCampaignQueue();
  await relay().stop();
  await closeDb();
});

async function requested(deviceIds: string[], requestTime: number): Promise<void> {
  for (const deviceId of deviceIds) {
    await sql(
      `INSERT INTO "CampaignDevice" ("id", "campaignId", "tenantId", "accountId", "username", "deviceId", "status", "wave", "version", "requestTime", "updatedAt")
       VALUES ($1, $2, $3, 'acct-notice', 'notice-user', $4, $5, 1, $6, $7, now())`,
      [randomUUID(), campaignId, t.id, deviceId, S.UPDATESTATUS_REQUEST_MADE, OLD, requestTime],
    );
  }
}

const statusOf = async (deviceId: string) =>
  (await sql<{ status: number; version: string; message: string }>('SELECT "status", "version", "message" FROM "CampaignDevice" WHERE "campaignId" = $1 AND "deviceId" = $2', [campaignId, deviceId]))[0];

it('judges the devices of one notice that come back after the request together', async () => {
  const ids = ['updated', 'wrong', 'early', 'twice'].map((n) => `${n}-${randomUUID().slice(0, 8)}`);
  const [updated, wrong, early, twice] = ids;
  const requestTime = Date.now() - 60_000;
  await requested(ids, requestTime);
  const device = (deviceId: string, version: string, connectedAt: number) => ({ tenantId: t.id, accountId: 'acct-notice', deviceId, username: 'notice-user', version, connectedAt });
  const outcomes = await handleDevicesConnected({
    campaignId,
    devices: [
      device(updated, CLIENT_VERSION, Date.now()),
      device(wrong, OLD, Date.now()),
      // A connection from before the request, reported late: it says nothing about the update.
      device(early, CLIENT_VERSION, requestTime - 5_000),
      // The same device twice in one notice: its last connection counts.
      device(twice, OLD, Date.now() - 1_000),
      device(twice, CLIENT_VERSION, Date.now()),
    ],
  });
  expect(outcomes).toMatchObject({ confirmed: 2, failed: 1 });
  expect(await statusOf(updated)).toMatchObject({ status: S.UPDATESTATUS_UPDATE_CONFIRMED, version: CLIENT_VERSION, message: '' });
  expect(await statusOf(twice)).toMatchObject({ status: S.UPDATESTATUS_UPDATE_CONFIRMED, version: CLIENT_VERSION });
  expect(await statusOf(wrong)).toMatchObject({ status: S.UPDATESTATUS_UPDATE_FAILED, version: OLD });
  expect((await statusOf(wrong)).message).toContain(CLIENT_VERSION);
  expect(await statusOf(early)).toMatchObject({ status: S.UPDATESTATUS_REQUEST_MADE, version: OLD });

  // Told again (a retried notice): nothing changes, nothing is counted twice.
  const again = await handleDevicesConnected({ campaignId, devices: [device(updated, CLIENT_VERSION, Date.now()), device(wrong, '25.1.0', Date.now())] });
  // The CONFIRMED device is counted as it is (no query of its own), the FAILED one stays FAILED.
  expect(again).toEqual({ confirmed: 0, failed: 1, [`status ${S.UPDATESTATUS_UPDATE_CONFIRMED}`]: 1 });
  expect(await statusOf(wrong)).toMatchObject({ status: S.UPDATESTATUS_UPDATE_FAILED, version: OLD });
});

it('a device of a notice that was not asked yet is judged on its own (here: not registered)', async () => {
  const outcomes = await handleDevicesConnected({ campaignId, devices: [{ tenantId: t.id, accountId: 'acct-notice', deviceId: `new-${randomUUID()}`, username: 'notice-user', version: OLD, connectedAt: Date.now() }] });
  expect(outcomes).toMatchObject({ 'device not registered': 1 });
});

it('connections noted at the same time share notices, and each caller learns the workers were told', async () => {
  const burst = `burst-${randomUUID().slice(0, 8)}`;
  const told = await Promise.all(
    Array.from({ length: 50 }, (_, i) => noteDeviceConnected({ tenantId: t.id, accountId: 'acct-notice', deviceId: `${burst}-${i}`, username: 'notice-user' }, OLD, Date.now())),
  );
  expect(told.every((x) => x === true)).toBe(true);
  // The first connection leaves at once; the 49 noted while it was being queued leave together in the next notice.
  const queue = new Queue(CAMPAIGN_QUEUE, { connection: producerConnection() });
  try {
    const jobs = (await queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'], 0, 2000)).filter(
      (j) => j?.name === CampaignJob.DEVICE_CONNECTED && (j.data.devices as Array<{ deviceId: string }>).some((d) => d.deviceId.startsWith(burst)),
    );
    expect(jobs.map((j) => j.data.devices.length).sort((x, y) => x - y)).toEqual([1, 49]);
    expect(jobs.every((j) => j.data.campaignId === campaignId)).toBe(true);
  } finally {
    await queue.close();
  }
});

it('a drive requested while its campaign\'s start is being written reads the campaign once it is committed', async () => {
  // The start request asks for the first drive before it writes one row per device (start-campaign.ts), so that the
  // drive lists the connections meanwhile; the drive must not read the campaign before it exists.
  const id = randomUUID();
  let settled = false;
  let drive: ReturnType<typeof driveCampaign> | undefined;
  const settledBeforeCommit = await db().$transaction(async (tx) => {
    await holdCampaignStart(tx, id);
    await tx.campaign.create({ data: { id, state: 'running', options: {}, targetVersion: CLIENT_VERSION, startTime: BigInt(Math.floor(Date.now() / 1000)) } });
    drive = driveCampaign(id);
    drive.then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    return settled;
  });
  expect(settledBeforeCommit).toBe(false);
  // Not the current campaign (this file's is): the pass ends at once, having seen it ("missing" had it read too early).
  expect((await drive!).state).toBe('running');
  await sql('DELETE FROM "Campaign" WHERE "id" = $1', [id]);
});
