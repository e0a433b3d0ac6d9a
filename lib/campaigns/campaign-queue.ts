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
  /** A device connected while a campaign is current. */
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

/** Asks the workers to drive a campaign now (one waiting drive per campaign is enough). */
export async function enqueueDrive(campaignId: string): Promise<void> {
  await (await campaignQueue()).add(CampaignJob.DRIVE, { campaignId }, { deduplication: { id: `drive.${campaignId}` }, removeOnComplete: 100, removeOnFail: 500 });
}

export type TDeviceConnected = {
  campaignId: string;
  tenantId: string;
  accountId: string;
  deviceId: string;
  username: string;
  version: string;
  /** When the connection was accepted (ms), to tell a reconnect after an update request from one before it. */
  connectedAt: number;
};

export async function enqueueDeviceConnected(payload: TDeviceConnected): Promise<void> {
  await (await campaignQueue()).add(CampaignJob.DEVICE_CONNECTED, payload, { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: 1000 });
}
