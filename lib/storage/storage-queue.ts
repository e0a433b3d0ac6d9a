// The storage queue (BullMQ) as seen by producers: bucket size measurements asked for by
// bucket-properties (the web process) and by the hourly sweep (the workers).
import type { Queue } from 'bullmq';
import { producerQueue } from '../queue/producer-queue';

export const STORAGE_QUEUE = 'halley-storage';
export const MEASURE_BUCKET_JOB = 'storage-measure-bucket';

const queue = producerQueue(STORAGE_QUEUE);

const storageQueue = (): Promise<Queue> => queue.get();

/** Asks for a measurement of one bucket; while one is waiting, asking again adds nothing. */
export async function enqueueBucketMeasurement(tenantId: string, bucketId: string): Promise<void> {
  const queue = await storageQueue();
  await queue.add(MEASURE_BUCKET_JOB, { tenantId, bucketId }, { jobId: `measure.${bucketId}`, removeOnComplete: true, removeOnFail: 100, attempts: 3, backoff: { type: 'exponential', delay: 1000 } });
}
