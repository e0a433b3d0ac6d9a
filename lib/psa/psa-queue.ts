// The PSA queue (BullMQ): one job per push (retried with exponential backoff by BullMQ, the push row keeps
// the history) and the hourly check that creates each integration's daily push.
import type { Queue } from 'bullmq';
import { env } from '../env';
import { producerQueue } from '../queue/producer-queue';

export const PSA_QUEUE = 'halley-psa';

export const PsaJob = {
  PUSH: 'psa-push',
  DAILY: 'psa-daily',
} as const;

const queue = producerQueue(PSA_QUEUE);

const psaQueue = (): Promise<Queue> => queue.get();

/** Closes this process's producer connection (tests and scripts that queue pushes from outside the workers). */
export const closePsaQueue = (): Promise<void> => queue.close();

/** Queues one push (idempotent: the job id is the push's). */
export async function enqueuePsaPush(tenantId: string, pushId: bigint): Promise<void> {
  const e = env();
  const q = await psaQueue();
  await q.add(
    PsaJob.PUSH,
    { tenantId, pushId: String(pushId) },
    { jobId: `psa.${pushId}`, attempts: e.HALLEY_PSA_ATTEMPTS, backoff: { type: 'exponential', delay: e.HALLEY_PSA_RETRY_BASE_MS }, removeOnComplete: 1000, removeOnFail: 1000 },
  );
}
