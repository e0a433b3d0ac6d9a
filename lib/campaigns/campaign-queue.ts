// The campaign queue (BullMQ) as seen by producers: the web process (start, resume, device connections)
// and the workers themselves.
import type { Queue } from 'bullmq';
import { producerQueue } from '../queue/producer-queue';

export const CAMPAIGN_QUEUE = 'halley-campaigns';
/** Jobs in flight per workers process (device connections come in bursts). */
export const CAMPAIGN_CONCURRENCY = 32;

export const CampaignJob = {
  /** Release waves and send the update to every released, connected, free device. */
  DRIVE: 'campaign-drive',
  /** Devices connected while a campaign is current (one job per web node and flush). */
  DEVICE_CONNECTED: 'campaign-device-connected',
  /** The timer: drive the current campaign now and then (devices that became free, waves that timed out). */
  TICK: 'campaign-tick',
} as const;

const queue = producerQueue(CAMPAIGN_QUEUE);

function campaignQueue(): Promise<Queue> {
  return queue.get();
}

export async function closeCampaignQueue(): Promise<void> {
  await queue.close();
}

/**
 * Asks the workers to drive a campaign now (`starting`: the start request's drive, see driveCampaign). One drive of a
 * campaign runs at a time (on any workers process), and at most one waits behind it: a request while a drive runs is
 * kept and runs when it ends (what the running pass read may be out of date), further ones meanwhile are that same
 * waiting drive. Two passes at once would each claim and send with their own in-flight bound, against each other.
 */
export async function enqueueDrive(campaignId: string, opts: { starting?: boolean } = {}): Promise<void> {
  await (await campaignQueue()).add(
    CampaignJob.DRIVE,
    { campaignId, ...(opts.starting ? { starting: true } : {}) },
    { deduplication: { id: `drive.${campaignId}`, keepLastIfActive: true }, removeOnComplete: 100, removeOnFail: 500 },
  );
}

/** A device that connected while a campaign was current, as the web node saw it. */
export type TConnectedDevice = {
  tenantId: string;
  accountId: string;
  deviceId: string;
  username: string;
  version: string;
  /** When the connection was accepted (ms), to tell a reconnect after an update request from one before it. */
  connectedAt: number;
};

/** One notice per web node and flush: the devices that connected meanwhile (a reconnect storm is a few jobs, not one per device). */
export type TDevicesConnected = { campaignId: string; devices: TConnectedDevice[] };

/** Most devices one notice carries (the web node's flush, note-device-connected.ts). */
export const MAX_NOTICE_DEVICES = 500;

export async function enqueueDevicesConnected(payload: TDevicesConnected): Promise<void> {
  await (await campaignQueue()).add(CampaignJob.DEVICE_CONNECTED, payload, { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: 1000 });
}
