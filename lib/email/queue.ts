// The email queue (BullMQ) as seen by producers: the web process (options saved, test sends), the
// workers (report runs enqueue their sends) and whoever reports finished jobs (onJobCompleted).
import type { JobsOptions, Queue } from 'bullmq';
import { producerQueue } from '../queue/producer-queue';

export const EMAIL_QUEUE = 'halley-email';
/** Jobs in flight per workers process: report runs mostly wait on PostgreSQL and SMTP round trips. */
export const EMAIL_CONCURRENCY = 16;

export const EmailJob = {
  JOB_COMPLETED: 'email-job-completed',
  SEND: 'email-send',
  SCHEDULED_REPORT: 'email-scheduled-report',
  RECONCILE: 'email-reconcile',
  FOLLOW_OUTBOX: 'email-follow-outbox',
} as const;

/**
 * Six attempts in all: the report run's own, then a send job starting 2 s later and backing off
 * exponentially (2, 4, 8, 16 s) before the delivery is marked failed.
 */
export const SEND_ATTEMPTS = 6;
export const SEND_BACKOFF_MS = 2000;

const queue = producerQueue(EMAIL_QUEUE);

export function emailQueue(): Promise<Queue> {
  return queue.get();
}

export async function closeEmailQueue(): Promise<void> {
  await queue.close();
}

/** BullMQ job ids may not contain ':'. */
export const jobIdFor = (...parts: string[]) => parts.join('.').replace(/:/g, '.');

export const SEND_OPTIONS: JobsOptions = {
  attempts: SEND_ATTEMPTS,
  backoff: { type: 'exponential', delay: SEND_BACKOFF_MS },
  removeOnComplete: 1000,
  removeOnFail: 5000,
};

/**
 * Send jobs for deliveries. `firstAttemptDone`: the report job already tried once (deliverReport), so the
 * job starts after the first backoff step and has one attempt less.
 */
export async function enqueueSends(tenantId: string, deliveryIds: string[], opts: { firstAttemptDone?: boolean } = {}): Promise<void> {
  if (!deliveryIds.length) return;
  const q = await emailQueue();
  const extra = opts.firstAttemptDone ? { attempts: SEND_ATTEMPTS - 1, delay: SEND_BACKOFF_MS } : {};
  await q.addBulk(deliveryIds.map((id) => ({ name: EmailJob.SEND, data: { tenantId, deliveryId: id }, opts: { ...SEND_OPTIONS, ...extra, jobId: jobIdFor('send', id) } })));
}

/**
 * The hook for whoever records finished jobs (the live-connection code, imports): call it after the Job
 * row with its EndTime is committed. It only enqueues; the workers render and send the immediate reports
 * of that job. Calling it twice for one job is harmless (one email per report, recipient and job).
 * Jobs that are reported through the Event outbox as SEVT_JOB_COMPLETED are picked up without it.
 */
export async function onJobCompleted(jobId: string, tenantId?: string): Promise<void> {
  const q = await emailQueue();
  await q.add(EmailJob.JOB_COMPLETED, { jobId, tenantId: tenantId ?? '' }, { jobId: jobIdFor('job-completed', jobId), attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 });
}
