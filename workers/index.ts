// The workers process: one BullMQ Worker per queue, dispatching by job name through the registry,
// plus the recurring job schedulers. SIGTERM/SIGINT finish the jobs in hand, then exit.
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { closeDb } from '../lib/db/client';
import { env } from '../lib/env';
import { jobDefinitions, workerSettings } from './job-definitions';
import { closeEmailQueue } from '../lib/email/queue';
import { closeTransports } from '../lib/email/transport';
import { workerConnection } from '@/lib/queue/connection';
import { log } from '../lib/log';
import { collectWorkersMetrics } from '../lib/health/collect-workers';
import { startDraining } from '../lib/health/drain';
import { startWorkersHealthServer } from '../lib/health/workers-health-server';
import { timeJob } from '../lib/metrics/series';
import { inSpan, startTracing, stopTracing } from '../lib/observability/tracing';
import { closeSelfBackupQueues } from '../lib/self-backup/queue';
import { closeWebhookQueue } from '../lib/webhooks/queue';
import { closeCampaignQueue } from '../lib/campaigns/campaign-queue';
import { relay } from '../lib/live/relay';
import { startWebhookRuntime } from '../lib/webhooks/runtime';

/** Schedulers live in Redis: they are upserted again now and then, so a Redis that lost its data gets them back. */
const RESCHEDULE_MS = 60_000;

/** When a scheduler-made job was due: its id is "repeat:<scheduler id>:<due ms>". */
function scheduledAt(job: Job): number | undefined {
  if (!job.repeatJobKey) return undefined;
  const fromId = Number(String(job.id ?? '').split(':').pop());
  if (Number.isFinite(fromId) && fromId > 0) return fromId;
  return job.opts.prevMillis ?? job.timestamp + (job.opts.delay ?? 0);
}

async function main(): Promise<void> {
  env(); // fail fast on bad configuration
  await startTracing('workers');
  const byQueue = new Map<string, typeof jobDefinitions[number][]>();
  for (const def of jobDefinitions) byQueue.set(def.queue, [...(byQueue.get(def.queue) ?? []), def]);

  const workers: Worker[] = [];
  const queues: Queue[] = [];
  const timers: NodeJS.Timeout[] = [];
  for (const [queueName, defs] of byQueue) {
    const byName = new Map(defs.map((d) => [d.name, d]));
    const worker = new Worker(
      queueName,
      async (job: Job, token?: string) => {
        const def = byName.get(job.name);
        // An unknown name is a producer from another version: retrying cannot help, so drop it loudly.
        if (!def) {
          log.error({ queue: queueName, name: job.name, id: job.id }, 'dropping job with unknown name');
          return { dropped: true };
        }
        const payload = def.schema.safeParse(job.data);
        if (!payload.success) {
          log.error({ queue: queueName, name: job.name, id: job.id, issues: payload.error.issues }, 'dropping job with invalid payload');
          return { dropped: true };
        }
        const tenantId = (payload.data as { tenantId?: unknown }).tenantId;
        const attributes = { 'halley.queue': queueName, 'halley.job': job.name, 'halley.job_id': String(job.id ?? ''), 'halley.attempt': job.attemptsMade + 1, ...(typeof tenantId === 'string' && { 'halley.tenant_id': tenantId }) };
        return inSpan(`job ${queueName}/${job.name}`, 'consumer', attributes, () =>
          timeJob(queueName, job.name, () =>
            def.handler(payload.data, {
              id: job.id,
              attemptsMade: job.attemptsMade,
              maxAttempts: job.opts.attempts ?? 1,
              scheduledAt: scheduledAt(job),
              postpone: async (ms) => {
                await job.moveToDelayed(Date.now() + ms, token);
                throw new DelayedError(); // BullMQ's signal: the job was moved, not failed
              },
              promote: () => job.promote(),
            }),
          ),
        );
      },
      { connection: workerConnection(), ...workerSettings(queueName) },
    );
    worker.on('failed', (job, err) => log.warn({ queue: queueName, name: job?.name, id: job?.id, err }, 'job failed'));
    worker.on('error', (err) => log.error({ err, queue: queueName }, 'worker error'));
    workers.push(worker);

    const queue = new Queue(queueName, { connection: workerConnection() });
    queues.push(queue);
    const upsertSchedulers = async () => {
      for (const def of defs) {
        if (def.every) {
          await queue.upsertJobScheduler(def.every.schedulerId, { every: def.every.ms }, { name: def.name, data: {}, opts: { removeOnComplete: 100, removeOnFail: 500 } });
        }
      }
    };
    await upsertSchedulers();
    timers.push(setInterval(() => void upsertSchedulers().catch((err) => log.warn({ err: (err as Error).message, queue: queueName }, 'could not upsert job schedulers')), RESCHEDULE_MS));
  }
  const stopWebhooks = startWebhookRuntime();
  collectWorkersMetrics(queues);
  const healthServer = await startWorkersHealthServer();
  log.info({ queues: [...byQueue.keys()] }, 'workers started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'workers stopping');
    startDraining();
    for (const t of timers) clearInterval(t);
    await stopWebhooks();
    await Promise.allSettled(workers.map((w) => w.close()));
    await Promise.allSettled(queues.map((q) => q.close()));
    await closeWebhookQueue();
    await closeEmailQueue().catch(() => undefined);
    await closeCampaignQueue().catch(() => undefined);
    await relay().stop(); // campaigns send commands through the relay
    await closeSelfBackupQueues();
    closeTransports();
    healthServer?.close();
    await stopTracing();
    await closeDb();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  log.fatal({ err }, 'workers failed to start');
  process.exit(1);
});
