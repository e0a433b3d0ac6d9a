// Producer side of webhook delivery. A job says "try these deliveries now": one delivery (a retry, a
// redeliver, the next of a resource, a rescued one) or a batch of new deliveries of one webhook from the
// dispatcher (HALLEY_WEBHOOK_BATCH at most; one job and two SQL statements per batch instead of per
// delivery is what makes >1,000 deliveries/s per workers process possible on a small machine).
// Job ids derive from the rows and attempt numbers, so queuing the same attempt twice (dispatcher, rescue
// sweep, redeliver) is a no-op while the job exists. The database row is the truth; jobs lost with Redis
// are queued again by the rescue sweep (lib/webhooks/rescue.ts).
import { Queue } from 'bullmq';
import { producerConnection } from '../queue/connection';
import { log } from '../log';

export const WEBHOOK_QUEUE = 'halley-webhooks';
export const DELIVER_JOB = 'deliver-webhook';

const QUEUE_TIMEOUT_MS = 5_000;

export type DeliveryRef = { id: bigint; attempts: number; nextAttemptAt?: Date; webhookId?: string };

const holder = globalThis as unknown as { __halleyWebhookQueue?: Queue };

function webhookQueue(): Queue {
  holder.__halleyWebhookQueue ??= new Queue(WEBHOOK_QUEUE, { connection: producerConnection() });
  return holder.__halleyWebhookQueue;
}

export async function closeWebhookQueue(): Promise<void> {
  const q = holder.__halleyWebhookQueue;
  holder.__halleyWebhookQueue = undefined;
  await q?.close();
}

function deliveryJobId(refs: DeliveryRef[]): string {
  const [a] = refs;
  return refs.length === 1 ? `d-${a.id}-${a.attempts}` : `b-${a.id}-${refs[refs.length - 1].id}-${refs.length}`;
}

/** Splits refs into jobs: batches of one webhook's deliveries with the same due time, at most `size` each. */
function toJobs(refs: DeliveryRef[], size: number): DeliveryRef[][] {
  const groups = new Map<string, DeliveryRef[]>();
  for (const r of refs) {
    const key = `${r.webhookId ?? r.id}|${r.nextAttemptAt?.getTime() ?? 0}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const jobs: DeliveryRef[][] = [];
  for (const g of groups.values()) for (let i = 0; i < g.length; i += size) jobs.push(g.slice(i, i + size));
  return jobs;
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
export async function enqueueDeliveries(refs: DeliveryRef[], opts: { batch?: number } = {}): Promise<boolean> {
  if (refs.length === 0) return true;
  const now = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    // Bounded: an API call (hello, test, redeliver) or the dispatcher must not wait on an unreachable Redis.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not accept the jobs within ${QUEUE_TIMEOUT_MS} ms`)), QUEUE_TIMEOUT_MS);
    });
    const add = webhookQueue().addBulk(
      toJobs(refs, opts.batch ?? 1).map((job) => ({
        name: DELIVER_JOB,
        data: { deliveries: job.map((r) => ({ id: String(r.id), attempt: r.attempts })) },
        opts: { ...JOB_OPTS, jobId: deliveryJobId(job), delay: job[0].nextAttemptAt ? Math.max(0, job[0].nextAttemptAt.getTime() - now) : 0 },
      })),
    );
    add.catch(() => undefined); // settled later when the timeout won
    await Promise.race([add, timeout]);
    return true;
  } catch (err) {
    log.warn({ err: (err as Error).message, count: refs.length }, 'could not queue webhook deliveries; the rescue sweep will');
    return false;
  } finally {
    clearTimeout(timer);
  }
}
