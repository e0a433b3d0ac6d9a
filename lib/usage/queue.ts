// The usage queue (BullMQ) as producers see it: the workers' scheduler and the back-fill endpoint.
import type { Queue } from 'bullmq';
import { producerQueue } from '../queue/producer-queue';

export const USAGE_QUEUE = 'halley-usage';

export const UsageJob = {
  /** Recurring: today's snapshot of every organization, and yesterday's final one after midnight. */
  DAILY: 'usage-daily-snapshots',
  /** One organization's missing (or, forced, all) days in a range. */
  BACKFILL: 'usage-backfill',
  /** Recurring: today's snapshot again for organizations whose jobs finished after it (refresh-after-jobs.ts). */
  REFRESH: 'usage-refresh-after-jobs',
  /** Recurring: monthly partitions older than the retention dropped (drop-expired-partitions.ts). */
  RETENTION: 'usage-partition-retention',
} as const;

const queue = producerQueue(USAGE_QUEUE);

export const usageQueue = (): Promise<Queue> => queue.get();
