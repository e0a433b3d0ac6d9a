// tenancy-file: system — the workers record what a device's connection means for the server-wide campaign
// A device connected while a campaign is current (one of the devices of a notice, handle-devices-connected.ts,
// which judges the reconnects after an update request of the whole notice at once and passes the others here):
// - after an update request: CONFIRMED when it came back with the target version, FAILED with another;
// - a device the campaign has not judged yet (new, or NOT_SEEN / INELIGIBLE before): judged now with the
//   version it reports;
// - a released PENDING device: sent the update now, unless it is running a job (ForceUpgradeRunning aside).
import { UpdateStatus } from '../comet/constants';
import { compareVersions } from '../client-builds/client-version';
import { db } from '../db/client';
import { Prisma } from '../generated/prisma/client';
import { apiMessage } from '../i18n/api-messages';
import { SqlParams } from '../job-search/compile-search-clause';
import { relay } from '../live/relay';
import { parseCampaignOptions } from './campaign-options';
import { enqueueDrive, type TConnectedDevice } from './campaign-queue';
import { advanceCampaignWaves } from './advance-campaign-waves';
import { busyDevices } from './drive-campaign';
import { deviceMessage, wrongVersion } from './device-message';
import { compileDeviceFilter, initialStatus } from './device-eligibility';
import { sendCampaignUpdate } from './send-campaign-update';

const S = UpdateStatus;

export const CAMPAIGN_FIELDS = { id: true, state: true, current: true, options: true, targetVersion: true, selfAddress: true, canaryPercent: true, batchSize: true, currentWave: true } as const;
export type TNoticeCampaign = Prisma.CampaignGetPayload<{ select: typeof CAMPAIGN_FIELDS }>;

/** One device of a notice, for the campaign the notice resolved to (running or paused). */
export async function handleDeviceConnected(campaign: TNoticeCampaign, device: TConnectedDevice): Promise<string> {
  const ev = { ...device, campaignId: campaign.id };
  const options = parseCampaignOptions(campaign.options);
  const key = { campaignId_accountId_deviceId: { campaignId: ev.campaignId, accountId: ev.accountId, deviceId: ev.deviceId } };
  let row = await db().campaignDevice.findUnique({ where: key, select: { id: true, status: true, wave: true, requestTime: true } });
  const now = Date.now();

  if (row && (row.status === S.UPDATESTATUS_REQUEST_MADE || row.status === S.UPDATESTATUS_UPDATE_FAILED) && ev.connectedAt > Number(row.requestTime)) {
    const same = compareVersions(ev.version, campaign.targetVersion) === 0;
    if (same || row.status === S.UPDATESTATUS_REQUEST_MADE) {
      await db().campaignDevice.updateMany({
        where: { id: row.id, status: row.status },
        data: same
          ? { status: S.UPDATESTATUS_UPDATE_CONFIRMED, version: ev.version, resultTime: BigInt(now), message: '', messageKey: Prisma.DbNull }
          : { status: S.UPDATESTATUS_UPDATE_FAILED, version: ev.version, resultTime: BigInt(now), ...deviceMessage(wrongVersion(ev.version, campaign.targetVersion)) },
      });
    }
    // The wave this device finished may release the next one: the workers send it at once.
    if (campaign.state === 'running' && (await advanceCampaignWaves(ev.campaignId)) === 'released') await enqueueDrive(ev.campaignId);
    return same ? 'confirmed' : 'failed';
  }

  if (!row || row.status === S.UPDATESTATUS_NOT_SEEN || row.status === S.UPDATESTATUS_INELIGIBLE) {
    const params = new SqlParams();
    const filter = compileDeviceFilter(options, params);
    const accountParam = params.add(ev.accountId, 'text');
    const deviceParam = params.add(ev.deviceId, 'text');
    const [d] = await db().$queryRawUnsafe<Array<{ friendlyName: string; match: boolean }>>(
      `SELECT d."friendlyName", (${filter.sql}) AS "match" FROM "Device" AS d JOIN "Account" AS a ON a."id" = d."accountId" WHERE d."accountId" = ${accountParam} AND d."deviceId" = ${deviceParam}`,
      ...params.values,
    );
    if (!d) return 'device not registered';
    const status = initialStatus(ev.version, d.match === true, options, campaign.targetVersion);
    const staged = campaign.canaryPercent > 0 || campaign.batchSize > 0;
    const wave = status === S.UPDATESTATUS_PENDING && !staged ? Math.max(1, campaign.currentWave) : 0;
    row = await db().campaignDevice.upsert({
      where: key,
      create: { campaignId: ev.campaignId, tenantId: ev.tenantId, accountId: ev.accountId, deviceId: ev.deviceId, username: ev.username, friendlyName: d.friendlyName, status, wave, version: ev.version },
      update: { status, wave, version: ev.version, friendlyName: d.friendlyName },
      select: { id: true, status: true, wave: true, requestTime: true },
    });
  } else if (row.status === S.UPDATESTATUS_PENDING) {
    await db().campaignDevice.update({ where: { id: row.id }, data: { version: ev.version } });
  }

  if (row.status !== S.UPDATESTATUS_PENDING || campaign.state !== 'running') return `status ${row.status}`;
  if (row.wave === 0) {
    if ((await advanceCampaignWaves(ev.campaignId)) === 'released') await enqueueDrive(ev.campaignId);
    return 'waiting for its wave';
  }
  if (!options.ForceUpgradeRunning && (await busyDevices([{ accountId: ev.accountId, deviceId: ev.deviceId }])).size > 0) {
    await db().campaignDevice.updateMany({ where: { id: row.id, status: S.UPDATESTATUS_PENDING }, data: deviceMessage(apiMessage('campaignDeviceWaitingForJob')) });
    return 'busy';
  }
  const conn = await relay().connectionOfDevice(ev.accountId, ev.deviceId);
  if (!conn) return 'offline again';
  return sendCampaignUpdate(row, conn, campaign);
}
