// Called by the web node that accepted a device connection: when a campaign is current, the workers are
// told (handle-device-connected.ts). A reconnect storm must not cost one database query per device, so the
// current campaign is cached per process, keyed by the campaigns' version counter in Redis: starting or
// stopping a campaign (start-campaign.ts) bumps it on whichever node did it, and every node re-reads the
// campaign at the next connection (one Redis GET per connection instead of a query). Before the counter, "no
// campaign" was cached for up to 2 s, and a device reconnecting in the first 2 s of a new campaign waited for
// the campaign's next tick. CACHE_MS is only a safety net for a bump that never reached Redis.
// The notices themselves are written like a group commit (lib/queue/group-commit.ts, as the connection events
// are): one BullMQ job at a time, carrying every device that connected while the previous one
// was being added (at most MAX_NOTICE_DEVICES). A storm of 10,000 reconnections is a few dozen jobs and
// Redis reads, not 10,000 of each, and the workers judge each job's devices together
// (handle-devices-connected.ts).
import { db } from '../db/client';
import { log } from '../log';
import { groupCommit } from '../queue/group-commit';
import { bumpVersion, closeVersionCounters, readVersion } from '../queue/version-counter';
import { enqueueDevicesConnected, MAX_NOTICE_DEVICES, type TConnectedDevice } from './campaign-queue';

const CACHE_MS = 30_000;
const VERSION_KEY = 'halley:campaigns:version';

let cached: { at: number; version: string | null; value: Promise<{ id: string } | null> } | undefined;

async function currentCampaign(): Promise<{ id: string } | null> {
  const version = await readVersion(VERSION_KEY);
  if (!cached || cached.version !== version || Date.now() - cached.at > CACHE_MS) {
    const value = db()
      .campaign.findFirst({ where: { current: true, state: { in: ['running', 'paused'] } }, select: { id: true } })
      .catch((err) => {
        cached = undefined;
        throw err;
      });
    cached = { at: Date.now(), version, value };
  }
  return cached.value;
}

/** A campaign started or stopped (after its transaction committed): every node re-reads the current one. */
export async function noteCampaignChanged(): Promise<void> {
  cached = undefined;
  try {
    await bumpVersion(VERSION_KEY);
  } catch (err) {
    log.warn({ err }, 'could not bump the campaigns version: other web nodes notice the change within 30 s (the campaign timer covers the devices meanwhile)');
  }
}

const notice = groupCommit<TConnectedDevice, boolean>(
  MAX_NOTICE_DEVICES,
  async (devices) => {
    const campaign = await currentCampaign();
    if (!campaign) return false;
    await enqueueDevicesConnected({ campaignId: campaign.id, devices });
    return true;
  },
  (err, devices) => {
    log.warn({ err, devices: devices.length }, 'could not tell the update campaign about device connections');
    return false;
  },
);

/**
 * Tells the workers that a device connected, if a campaign is current. Resolves once the notice carrying it is
 * queued: true when the workers were told. Never rejects: a lost notice is made up for by the campaign's timer.
 */
export function noteDeviceConnected(device: { tenantId: string; accountId: string; deviceId: string; username: string }, version: string, connectedAt: number): Promise<boolean> {
  return notice({ tenantId: device.tenantId, accountId: device.accountId, deviceId: device.deviceId, username: device.username, version, connectedAt });
}

/** Closes this process's Redis connection (tests, shutdown). */
export async function closeCampaignNotices(): Promise<void> {
  cached = undefined;
  await closeVersionCounters();
}
