// Called by the web node that accepted a device connection: when a campaign is current, the workers are
// told (handle-device-connected.ts). The current campaign is read at most every CACHE_MS per process, so a
// reconnect storm costs one query, not one per device; a campaign started meanwhile has sent to every
// device that was connected at its start, so the short delay loses nothing.
import { db } from '../db/client';
import { log } from '../log';
import { enqueueDeviceConnected } from './campaign-queue';

const CACHE_MS = 2000;
let cached: { at: number; value: Promise<{ id: string } | null> } | undefined;

function currentCampaign(): Promise<{ id: string } | null> {
  if (!cached || Date.now() - cached.at > CACHE_MS) {
    const value = db()
      .campaign.findFirst({ where: { current: true, state: { in: ['running', 'paused'] } }, select: { id: true } })
      .catch((err) => {
        cached = undefined;
        throw err;
      });
    cached = { at: Date.now(), value };
  }
  return cached.value;
}

/** Never throws: a lost notice is made up for by the campaign's timer. */
export async function noteDeviceConnected(device: { tenantId: string; accountId: string; deviceId: string; username: string }, version: string, connectedAt: number): Promise<void> {
  try {
    const campaign = await currentCampaign();
    if (!campaign) return;
    await enqueueDeviceConnected({ campaignId: campaign.id, ...device, version, connectedAt });
  } catch (err) {
    log.warn({ err, device: device.deviceId }, 'could not tell the update campaign about a device connection');
  }
}
