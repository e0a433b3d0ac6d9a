// The PSA queue (BullMQ): one job per push (retried with exponential backoff by BullMQ, the push row keeps
// the history) and the hourly check that creates each integration's daily push.
import { Queue } from 'bullmq';
import { env } from '../env';
import { producerConnection } from '../queue/connection';

export const PSA_QUEUE = 'halley-psa';

export const PsaJob = {
  PUSH: 'psa-push',
  DAILY: 'psa-daily',
} as const;

let ready: Promise<Queue> | undefined;

function psaQueue(): Promise<Queue> {
  ready ??= (async () => {
    const queue = new Queue(PSA_QUEUE, { connection: { ...producerConnection(), enableOfflineQueue: true } });
    await queue.waitUntilReady();
    return queue;
  })().catch((err) => {
    ready = undefined;
    throw err;
  });
  return ready;
}

/** Closes this process's producer connection (tests and scripts that queue pushes from outside the workers). */
export async function closePsaQueue(): Promise<void> {
  const q = ready;
  ready = undefined;
  if (q) await (await q.catch(() => undefined))?.close();
}

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
