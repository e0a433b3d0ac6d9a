// Self-backup schedules as BullMQ job schedulers: one per (target, ScheduleConfig), its id carrying a
// digest of the repeat rule so an edited schedule replaces its scheduler. The workers reconcile them every
// minute and right after a save (requestReconcile). A due occurrence creates its run row under an id
// derived from (target, due time), so a retried or duplicated occurrence runs once. After downtime each
// scheduler hands on only its latest missed slot (BullMQ), and a target's slots already covered by a run
// started after they were due are skipped: a missed slot runs once, not once per schedule.
import { createHash } from 'node:crypto';
import { db } from '../db/client';
import { scheduleToRepeat } from '../email/schedule';
import { log } from '../log';
import { createRun } from './create-runs';
import { SELF_BACKUP_QUEUE, SelfBackupJob, selfBackupQueue } from './queue';
import { failStaleRuns, runSelfBackup } from './run-self-backup';
import { readSelfBackupOptions } from './stored-options';

const PREFIX = 'self-backup.';

const digestOf = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 12);

export async function reconcileSelfBackupSchedules(): Promise<{ added: number; removed: number; interrupted: number }> {
  const interrupted = await failStaleRuns();
  const q = await selfBackupQueue(SELF_BACKUP_QUEUE);
  const { Targets } = await readSelfBackupOptions({ fresh: true });
  const desired = Targets.flatMap((t) =>
    (t.Schedule ?? []).flatMap((s, j) => {
      const repeat = scheduleToRepeat(s, String(t.ScheduleTimezone ?? ''));
      if (!repeat) return [];
      const digest = digestOf({ repeat, target: t.Index });
      return [{ id: `${PREFIX}t${Number(t.Index)}.s${j}.${digest}`, repeat, data: { targetIndex: Number(t.Index), digest } }];
    }),
  );
  const existing = (await q.getJobSchedulers(0, -1)).map((s) => s.key).filter((k) => k.startsWith(PREFIX));
  const want = new Set(desired.map((d) => d.id));
  let removed = 0;
  for (const key of existing) {
    if (!want.has(key)) {
      await q.removeJobScheduler(key);
      removed++;
    }
  }
  const have = new Set(existing);
  let added = 0;
  for (const d of desired) {
    if (have.has(d.id)) continue;
    const repeat = 'every' in d.repeat ? { every: d.repeat.every } : { pattern: d.repeat.pattern, tz: d.repeat.tz };
    await q.upsertJobScheduler(d.id, repeat, { name: SelfBackupJob.SCHEDULED, data: d.data, opts: { removeOnComplete: 100, removeOnFail: 500 } });
    added++;
  }
  if (added || removed || interrupted) log.info({ added, removed, interrupted }, 'self-backup schedulers reconciled');
  return { added, removed, interrupted };
}

/** A run id (uuid-shaped) for one occurrence of one target's schedule. */
function occurrenceId(targetIndex: number, dueMs: number): string {
  const h = createHash('sha256').update(`self-backup:${targetIndex}:${dueMs}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export async function runScheduledSelfBackup(
  payload: { targetIndex: number },
  meta: { scheduledAt?: number },
  halleyVersion: string,
): Promise<unknown> {
  const { Targets } = await readSelfBackupOptions({ fresh: true });
  const target = Targets.find((t) => Number(t.Index) === payload.targetIndex);
  if (!target) return { skipped: 'the target no longer exists' };
  const dueMs = meta.scheduledAt ?? Date.now();
  const id = occurrenceId(payload.targetIndex, dueMs);
  const exists = await db().selfBackupRun.count({ where: { id } });
  if (!exists) {
    // Slots missed while the workers were down come due together when they return (one per schedule of the
    // target): the first makes the catch-up run, a slot that a run started since its due time covers is skipped.
    const covered = await db().selfBackupRun.findFirst({
      where: { kind: 'target', targetIndex: payload.targetIndex, startedAt: { gte: new Date(dueMs) } },
      select: { id: true },
    });
    if (covered) return { skipped: `run ${covered.id} started after this slot was due` };
    await db().$transaction((tx) => createRun(tx, { kind: 'target', trigger: 'schedule', target, id }));
  }
  return runSelfBackup({ runId: id, halleyVersion });
}
