// tenancy-file: system — the workers send a campaign's update to devices the campaign already selected
// Sends a campaign's update-software command to one device, at most once: the row is claimed (PENDING ->
// REQUEST_MADE) before the command leaves, so concurrent drives or two workers never send it twice. A device
// that cannot be reached goes back to PENDING (tried again when it connects or on the next tick); one that
// refuses the update is FAILED.
import { UpdateStatus } from '../comet/constants';
import { db } from '../db/client';
import { log } from '../log';
import type { TCommand } from '../live/protocol';
import { DeviceUnreachableError, relay } from '../live/relay';

const SEND_TIMEOUT_MS = 30_000;

export type TSendOutcome = 'sent' | 'refused' | 'unreachable' | 'skipped';

export async function sendCampaignUpdate(row: { id: string }, conn: { connectionId: string; node: string }, campaign: { targetVersion: string; selfAddress: string }): Promise<TSendOutcome> {
  const now = Date.now();
  const claimed = await db().campaignDevice.updateMany({
    where: { id: row.id, status: UpdateStatus.UPDATESTATUS_PENDING },
    data: { status: UpdateStatus.UPDATESTATUS_REQUEST_MADE, requestTime: BigInt(now), message: '' },
  });
  if (claimed.count === 0) return 'skipped';
  const cmd: TCommand = { type: 'update-software', selfAddress: campaign.selfAddress, version: campaign.targetVersion };
  try {
    const result = await relay().command(conn, cmd, SEND_TIMEOUT_MS);
    if (result.ok) {
      await db().campaignDevice.updateMany({ where: { id: row.id, status: UpdateStatus.UPDATESTATUS_REQUEST_MADE }, data: { message: result.message.slice(0, 1000) } });
      return 'sent';
    }
    await db().campaignDevice.updateMany({
      where: { id: row.id, status: UpdateStatus.UPDATESTATUS_REQUEST_MADE },
      data: { status: UpdateStatus.UPDATESTATUS_UPDATE_FAILED, resultTime: BigInt(Date.now()), message: `The device refused the update: ${result.message}`.slice(0, 1000) },
    });
    return 'refused';
  } catch (err) {
    if (!(err instanceof DeviceUnreachableError)) log.warn({ err }, 'campaign: sending an update failed');
    await db().campaignDevice.updateMany({
      where: { id: row.id, status: UpdateStatus.UPDATESTATUS_REQUEST_MADE },
      data: { status: UpdateStatus.UPDATESTATUS_PENDING, requestTime: 0n, message: `Not delivered: ${(err as Error).message}`.slice(0, 1000) },
    });
    return 'unreachable';
  }
}
