// Producer side of webhook delivery: one BullMQ job per delivery attempt, with a job id derived from
// the delivery row and its attempt number, so queuing the same attempt twice (dispatcher, rescue sweep,
// redeliver) is a no-op while the job exists. The database row is the truth; a job only says "try
// delivery N now". Jobs lost with Redis are queued again by the rescue sweep (lib/webhooks/rescue.ts).
import { Queue } from 'bullmq';
import { producerConnection } from '../jobs/connection';
import { log } from '../log';

export const WEBHOOK_QUEUE = 'halley-webhooks';
export const DELIVER_JOB = 'deliver-webhook';

export type DeliveryRef = { id: bigint; attempts: number; nextAttemptAt?: Date };

const holder = globalThis as unknown as { __halleyWebhookQueue?: Queue };

export function webhookQueue(): Queue {
  holder.__halleyWebhookQueue ??= new Queue(WEBHOOK_QUEUE, { connection: producerConnection() });
  return holder.__halleyWebhookQueue;
}

export async function closeWebhookQueue(): Promise<void> {
  const q = holder.__halleyWebhookQueue;
  holder.__halleyWebhookQueue = undefined;
  await q?.close();
}

export function deliveryJobId(ref: DeliveryRef): string {
  return `d-${ref.id}-${ref.attempts}`;
}

const JOB_OPTS = {
  removeOnComplete: true,
  removeOnFail: true,
  // Retries here are for Halley's own failures (database unreachable); a receiver's failure is
  // recorded on the row and retried by a new job (lib/webhooks/deliver.ts).
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
} as const;

/**
 * Queues one job per delivery. Never throws: when Redis is unreachable the rows stay pending and the
 * rescue sweep queues them later. Returns whether the jobs were queued.
 */
export async function enqueueDeliveries(refs: DeliveryRef[]): Promise<boolean> {
  if (refs.length === 0) return true;
  const now = Date.now();
  try {
    await webhookQueue().addBulk(
      refs.map((r) => ({
        name: DELIVER_JOB,
        data: { deliveryId: String(r.id), attempt: r.attempts },
        opts: { ...JOB_OPTS, jobId: deliveryJobId(r), delay: r.nextAttemptAt ? Math.max(0, r.nextAttemptAt.getTime() - now) : 0 },
      })),
    );
    return true;
  } catch (err) {
    log.warn({ err: (err as Error).message, count: refs.length }, 'could not queue webhook deliveries; the rescue sweep will');
    return false;
  }
}
