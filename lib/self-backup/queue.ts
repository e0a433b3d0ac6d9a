// The self-backup queue (BullMQ) as producers see it: the web process (self-backup/start, organization/export,
// a saved configuration) and the workers (schedulers). One run per workers process at a time: a backup is
// bound by disk and database throughput, not by waiting.
import { Queue } from 'bullmq';
import { producerConnection } from '../queue/connection';

export const SELF_BACKUP_QUEUE = 'halley-self-backup';
/** Rescheduling must not wait behind a long run, so it has a queue of its own. */
export const SELF_BACKUP_CONTROL_QUEUE = 'halley-self-backup-control';

export const SelfBackupJob = {
  /** Runs one SelfBackupRun row (created by whoever enqueues). */
  RUN: 'self-backup-run',
  /** A target's schedule is due: creates the run row, then runs it. */
  SCHEDULED: 'self-backup-scheduled',
  /** Brings the job schedulers in line with the stored targets. */
  RECONCILE: 'self-backup-reconcile',
  /** Runs one OrganizationImport row (admin/halley/organization/import). */
  IMPORT: 'organization-import',
} as const;

const queues = new Map<string, Promise<Queue>>();

export function selfBackupQueue(name: string = SELF_BACKUP_QUEUE): Promise<Queue> {
  let ready = queues.get(name);
  if (!ready) {
    ready = (async () => {
      const q = new Queue(name, { connection: { ...producerConnection(), enableOfflineQueue: true } });
      await q.waitUntilReady();
      return q;
    })();
    ready.catch(() => queues.delete(name));
    queues.set(name, ready);
  }
  return ready;
}

export async function closeSelfBackupQueues(): Promise<void> {
  const all = [...queues.values()];
  queues.clear();
  await Promise.allSettled(all.map(async (q) => (await q).close()));
}

export async function enqueueRun(runId: string): Promise<void> {
  const q = await selfBackupQueue();
  await q.add(SelfBackupJob.RUN, { runId }, { jobId: `run.${runId}`, removeOnComplete: 200, removeOnFail: 500 });
}

/** Asks the workers to re-read the targets now (after a save) instead of within a minute. */
export async function requestReconcile(): Promise<void> {
  const q = await selfBackupQueue(SELF_BACKUP_CONTROL_QUEUE);
  await q.add(SelfBackupJob.RECONCILE, {}, { removeOnComplete: 10, removeOnFail: 50 });
}

export async function enqueueImport(importId: string): Promise<void> {
  const q = await selfBackupQueue();
  await q.add(SelfBackupJob.IMPORT, { importId }, { jobId: `import.${importId}`, removeOnComplete: 200, removeOnFail: 500 });
}
