// Called by the web node that accepted a device connection: when a campaign is current, the workers are
// told (handle-device-connected.ts). A reconnect storm must not cost one database query per device, so the
// current campaign is cached per process, keyed by the campaigns' version counter in Redis: starting or
// stopping a campaign (start-campaign.ts) bumps it on whichever node did it, and every node re-reads the
// campaign at the next connection (one Redis GET per connection instead of a query). Before the counter, "no
// campaign" was cached for up to 2 s, and a device reconnecting in the first 2 s of a new campaign waited for
// the campaign's next tick. CACHE_MS is only a safety net for a bump that never reached Redis.
import type { Redis } from 'ioredis';
import { db } from '../db/client';
import { log } from '../log';
import { createRedis } from '../queue/connection';
import { enqueueDeviceConnected } from './campaign-queue';

const CACHE_MS = 30_000;
const VERSION_KEY = 'halley:campaigns:version';

let redis: Redis | undefined;
let cached: { at: number; version: string | null; value: Promise<{ id: string } | null> } | undefined;

function r(): Redis {
  redis ??= createRedis({ maxRetriesPerRequest: 2 });
  return redis;
}

async function currentCampaign(): Promise<{ id: string } | null> {
  const version = await r().get(VERSION_KEY);
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
    await r().incr(VERSION_KEY);
  } catch (err) {
    log.warn({ err }, 'could not bump the campaigns version: other web nodes notice the change within 30 s (the campaign timer covers the devices meanwhile)');
  }
}

/** Never throws: a lost notice is made up for by the campaign's timer. True when the workers were told. */
export async function noteDeviceConnected(device: { tenantId: string; accountId: string; deviceId: string; username: string }, version: string, connectedAt: number): Promise<boolean> {
  try {
    const campaign = await currentCampaign();
    if (!campaign) return false;
    await enqueueDeviceConnected({ campaignId: campaign.id, ...device, version, connectedAt });
    return true;
  } catch (err) {
    log.warn({ err, device: device.deviceId }, 'could not tell the update campaign about a device connection');
    return false;
  }
}

/** Closes this process's Redis connection (tests, shutdown). */
export async function closeCampaignNotices(): Promise<void> {
  const c = redis;
  redis = undefined;
  cached = undefined;
  await c?.quit().catch(() => c.disconnect());
}
