// tenancy-file: system — a device reports its own failed update; the binding fixes its tenant, account and device
// A device tells the server that an update failed and why (the agent's `update.failed` report, see
// agent/self-update.ts): the package could not be downloaded, did not verify, the new version did not start,
// or it was not confirmed in time and rolled back. An event (HALLEY_EVENT_UPDATE_FAILED, in the device's
// organization) is written whether or not a campaign sent the update; when the current campaign asked this
// device for that version, its row is FAILED at once with the reason (agents without this report are still
// judged by the version they reconnect with, handle-device-connected.ts), and the rollout moves on.
import { UpdateStatus } from '../comet/constants';
import { compareVersions } from '../client-builds/client-version';
import { db } from '../db/client';
import { apiMessage } from '../i18n/api-messages';
import { emitEvent } from '../events/emit';
import { log } from '../log';
import { deviceActor, type DeviceBinding } from '../live/binding';
import type { TDeviceFrame } from '../live/protocol';
import { advanceCampaignWaves } from './advance-campaign-waves';
import { CampaignEventType } from '../events/halley-event-types';
import { enqueueDrive } from './campaign-queue';
import { deviceMessage } from './device-message';

const S = UpdateStatus;

/** What the device reported (the `update.failed` frame of lib/live/protocol.ts). */
type TUpdateFailure = Pick<Extract<TDeviceFrame, { t: 'update.failed' }>, 'version' | 'stage' | 'reason'>;

/** Returns the campaign device row it marked failed, if any. */
export async function recordUpdateFailure({ binding, failure }: { binding: DeviceBinding; failure: TUpdateFailure }): Promise<{ campaignId: string | null }> {
  // The agent's reason is its own words: kept verbatim inside the translated sentence.
  const message = deviceMessage(apiMessage('campaignDeviceUpdateFailed', { version: failure.version.slice(0, 100), stage: failure.stage.slice(0, 100), reason: failure.reason.slice(0, 1000) }));
  const campaignId = await db().$transaction(async (tx) => {
    const campaign = await tx.campaign.findFirst({ where: { current: true, state: { in: ['running', 'paused'] } }, select: { id: true, targetVersion: true } });
    let marked: string | null = null;
    if (campaign && (!failure.version || compareVersions(failure.version, campaign.targetVersion) === 0)) {
      // REQUEST_MADE: the report came first; FAILED: the rolled-back version reconnected first and the
      // version mismatch was recorded: the report's reason replaces that guess.
      const changed = await tx.campaignDevice.updateMany({
        where: { campaignId: campaign.id, accountId: binding.accountId, deviceId: binding.deviceId, status: { in: [S.UPDATESTATUS_REQUEST_MADE, S.UPDATESTATUS_UPDATE_FAILED] } },
        data: { status: S.UPDATESTATUS_UPDATE_FAILED, resultTime: BigInt(Date.now()), ...message },
      });
      if (changed.count > 0) marked = campaign.id;
    }
    await emitEvent(tx, deviceActor(binding), {
      tenantId: binding.tenantId,
      type: CampaignEventType.UPDATE_FAILED,
      resourceId: binding.deviceId,
      data: { DeviceID: binding.deviceId, Username: binding.username, Version: failure.version, Stage: failure.stage, Reason: failure.reason, CampaignID: marked ?? '' },
    });
    return marked;
  });
  if (campaignId) {
    // The wave this device belonged to may be finished (or over its failure threshold) now.
    try {
      if ((await advanceCampaignWaves(campaignId)) === 'released') await enqueueDrive(campaignId);
    } catch (err) {
      log.warn({ err, campaignId }, 'campaign: could not advance after a reported update failure (the timer will)');
    }
  }
  return { campaignId };
}
