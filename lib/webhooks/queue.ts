// Producer side of webhook delivery. A job says "try these deliveries now": one delivery (a retry, a
// redeliver, the next of a resource, a rescued one) or a batch of new deliveries of one webhook from the
// dispatcher or of the next deliveries of finished resources (HALLEY_WEBHOOK_BATCH at most; one job and two SQL
// statements per batch instead of per delivery is what makes thousands of deliveries/s per workers process possible).
// Job ids derive from the rows and attempt numbers, so queuing the same attempt twice (dispatcher, rescue
// sweep, redeliver) is a no-op while the job exists. The database row is the truth; jobs lost with Redis
// are queued again by the rescue sweep (lib/webhooks/rescue.ts).
import { createHash } from 'node:crypto';
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

/** From the rows and attempt numbers: the same batch queued twice is one job, two different batches never share an id. */
function deliveryJobId(refs: DeliveryRef[]): string {
  const [a] = refs;
  if (refs.length === 1) return `d-${a.id}-${a.attempts}`;
  const h = createHash('sha1');
  for (const r of refs) h.update(`${r.id}:${r.attempts},`);
  return `b-${a.id}-${refs.length}-${h.digest('base64url').slice(0, 16)}`;
}

/** Splits refs into jobs: batches of one webhook's deliveries due now or at the same time, at most `size` each. */
function toJobs(refs: DeliveryRef[], size: number, now: number): DeliveryRef[][] {
  const groups = new Map<string, DeliveryRef[]>();
  for (const r of refs) {
    const due = r.nextAttemptAt?.getTime() ?? 0;
    const key = `${r.webhookId ?? r.id}|${due > now ? due : 0}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const jobs: DeliveryRef[][] = [];
  for (const g of groups.values()) for (let i = 0; i < g.length; i += size) jobs.push(g.slice(i, i + size));
  return jobs;
}

/**
 * The webhook of a job's deliveries when the producer knew it (the dispatcher and the next-in-line batches do): the
 * worker then asks for that webhook's slot before it reads the rows, so a job over its webhook's share is postponed
 * without loading its rows (lib/webhooks/deliver.ts). A hint only: the rows still decide.
 */
function webhookOf(job: DeliveryRef[]): { webhookId?: string } {
  const id = job[0].webhookId;
  return id !== undefined && job.every((r) => r.webhookId === id) ? { webhookId: id } : {};
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
 * Queues the deliveries: one job each, or batches of one webhook's (`batch` at most per job). Never throws: when
 * Redis is unreachable the rows stay pending and the rescue sweep queues them later. Returns whether they were queued.
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
      toJobs(refs, opts.batch ?? 1, now).map((job) => ({
        name: DELIVER_JOB,
        data: { deliveries: job.map((r) => ({ id: String(r.id), attempt: r.attempts })), ...webhookOf(job) },
        opts: { ...JOB_OPTS, jobId: deliveryJobId(job), delay: Math.max(0, ...job.map((r) => (r.nextAttemptAt ? r.nextAttemptAt.getTime() - now : 0))) },
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
