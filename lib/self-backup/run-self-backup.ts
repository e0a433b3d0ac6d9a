// The workers' side of a self-backup: runs one SelfBackupRun row. Idempotent: a finished row is left as it
// is; a row found "running" (its worker was killed and BullMQ handed the job on) starts over, after the
// killed attempt's temporary file is removed. The archive is only ever published whole (locations/).
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { Prisma } from '../generated/prisma/client';
import { env } from '../env';
import { apiMessage, type ApiMessage } from '../i18n/api-messages';
import { failureCause } from '../i18n/failure-cause';
import { storedMessage } from '../i18n/stored-message';
import { emitEvent } from '../events/emit';
import { log } from '../log';
import { unsealJson } from '../secrets';
import { TOP_LEVEL_TENANT_ID, type AnonymousActor } from '../tenancy/actor';
import { openLocation } from './locations/open-location';
import { notifyFailure } from './notify-failure';
import { selfBackupQueue } from './queue';
import { archivesToDelete } from './retention';
import type { SelfBackupTarget } from './stored-options';
import { writeArchive } from './write-archive';

const SYSTEM: AnonymousActor = { kind: 'anonymous' };
/** A "running" row whose heartbeat is older than this belongs to a worker that is gone. */
export const staleAfterMs = () => env().HALLEY_SELF_BACKUP_STALE_SECONDS * 1000;
const heartbeatMs = () => Math.floor(staleAfterMs() / 3);

const ARCHIVE_PREFIX = 'halley-self-backup-';
const EXPORT_PREFIX = 'halley-export-';

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/**
 * The archive name of a run: ordered by time, naming the target (or the exported organization), and ending in
 * the start of the run's id so that two runs of one target in the same second never share a name (the second
 * would have replaced the first's archive).
 */
function archiveName(kind: string, target: SelfBackupTarget, at: Date, runId: string): string {
  const unique = `${stamp(at)}-${runId.replace(/[^A-Za-z0-9]/g, '').slice(0, 8)}`;
  if (kind === 'export') return `${EXPORT_PREFIX}${String(target.RestrictToSingleOrgID ?? '').replace(/[^A-Za-z0-9-]/g, '') || 'all'}-${unique}.zip`;
  return `${ARCHIVE_PREFIX}t${Number(target.Index ?? 0)}-${unique}.zip`;
}

/** BullMQ states in which a run's job will still be (re)started: its worker will start the run over. */
const HANDED_ON = new Set(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);

/**
 * Marks "running" rows whose worker stopped heart-beating as failed (interrupted), except those whose run job
 * BullMQ still holds: a killed worker's job is handed on once its lock expires, and the worker that takes it
 * starts the run over (a restarted workers process must not judge the run before BullMQ hands it back).
 */
export async function failStaleRuns(exceptId?: string): Promise<number> {
  const stale = await db().selfBackupRun.findMany({
    where: { status: 'running', heartbeatAt: { lt: new Date(Date.now() - staleAfterMs()) }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (stale.length === 0) return 0;
  const interrupted = apiMessage('selfBackupInterrupted');
  const q = await selfBackupQueue();
  const ids: string[] = [];
  for (const r of stale) if (!HANDED_ON.has(await q.getJobState(`run.${r.id}`))) ids.push(r.id);
  if (ids.length === 0) return 0;
  const { count } = await db().selfBackupRun.updateMany({
    where: { id: { in: ids }, status: 'running', heartbeatAt: { lt: new Date(Date.now() - staleAfterMs()) } },
    data: { status: 'failed', endedAt: new Date(), error: interrupted.text, errorMessage: storedMessage([interrupted]) ?? Prisma.DbNull },
  });
  return count;
}

export async function runSelfBackup({ runId, halleyVersion }: { runId: string; halleyVersion: string }): Promise<{ status: string; size?: number }> {
  const run = await db().selfBackupRun.findUnique({ where: { id: runId } });
  if (!run) return { status: 'missing' };
  if (run.status === 'success' || run.status === 'failed') return { status: run.status };
  const target = unsealJson<SelfBackupTarget>(run.sealedTarget);
  await failStaleRuns(runId);
  const startedAt = new Date();
  await db().selfBackupRun.update({ where: { id: runId }, data: { status: 'running', startedAt, heartbeatAt: startedAt, error: '', errorMessage: Prisma.DbNull, endedAt: null } });

  /** Ends the run as failed; `reason` is stored as a catalogue message (read in the reader's language), its English in `error`. */
  const fail = async (reason: ApiMessage) => {
    const message = reason.text;
    const row = await db().$transaction(async (tx) => {
      const r = await tx.selfBackupRun.update({ where: { id: runId }, data: { status: 'failed', endedAt: new Date(), error: message.slice(0, 2000), errorMessage: storedMessage([reason]) ?? Prisma.DbNull } });
      await emitEvent(tx, SYSTEM, {
        tenantId: TOP_LEVEL_TENANT_ID,
        type: SEVT.SEVT_SERVER_UPDATED,
        resourceId: runId,
        data: { SelfBackupRun: { ID: runId, Kind: r.kind, TargetIndex: r.targetIndex, Success: false, Error: r.error } },
      });
      return r;
    });
    log.error({ runId, kind: row.kind, target: row.targetIndex, err: message }, 'self-backup failed');
    await notifyFailure(row);
    return { status: 'failed' };
  };

  if (!target?.Location || !target.EncryptionKey) return fail(apiMessage('selfBackupTargetIncomplete'));
  let location;
  try {
    location = openLocation(target.Location);
    await location.check();
    // Temporary files of runs that are not running any more (killed workers), this run's earlier attempt included.
    const active = await db().selfBackupRun.findMany({
      where: { status: 'running', id: { not: runId }, heartbeatAt: { gte: new Date(Date.now() - staleAfterMs()) } },
      select: { id: true },
    });
    await location.removeOrphans(new Set(active.map((a) => a.id)));
  } catch (err) {
    return fail(apiMessage('selfBackupLocationUnwritable', { reason: failureCause(err) }));
  }

  const name = archiveName(run.kind, target, startedAt, runId);
  let lastBeat = Date.now();
  const pending = await location.create(name, runId).catch((err: Error) => err);
  if (pending instanceof Error) return fail(apiMessage('selfBackupArchiveUncreatable', { reason: failureCause(pending) }));
  try {
    const manifest = await writeArchive(pending.stream, {
      databaseUrl: env().DATABASE_URL,
      secretKeyHex: env().HALLEY_SECRET_KEY,
      dataDir: env().HALLEY_DATA_DIR,
      halleyVersion,
      password: target.EncryptionKey,
      compression: Number(target.Compression ?? 4),
      excludeJobs: target.ExcludeJobsDB === true,
      includeLogs: target.IncludeServerLogs === true,
      restrictToOrgId: String(target.RestrictToSingleOrgID ?? ''),
      run: { id: runId, fileName: name },
      onProgress: ({ rows }) => {
        if (Date.now() - lastBeat < heartbeatMs()) return;
        lastBeat = Date.now();
        void db().selfBackupRun.update({ where: { id: runId }, data: { heartbeatAt: new Date(), rowCount: BigInt(rows) } }).catch(() => undefined);
      },
    });
    const { size } = await pending.commit();
    const rowCount = manifest.tables.reduce((n, t) => n + t.rows, 0);
    // Retention before the run reads as finished, so whoever sees "success" sees the pruned location.
    if (run.kind === 'target') {
      const prefix = `${ARCHIVE_PREFIX}t${run.targetIndex}-`;
      const listed = await location.list(prefix).catch(() => []);
      // The archive just written is the newest, whatever time the location gives it: stores round modification
      // times to the second, and two runs within one second would otherwise tie and keep the older by name.
      const newest = Math.max(Date.now(), ...listed.map((a) => a.modifiedMs)) + 1;
      const archives = listed.map((a) => (a.name === name ? { ...a, modifiedMs: newest } : a));
      const old = archivesToDelete(archives, target.RetentionPolicy).filter((n) => n !== name);
      for (const o of old) await location.remove(o).catch((err) => log.warn({ err: (err as Error).message, old: o }, 'could not remove an old self-backup'));
    }
    await db().$transaction(async (tx) => {
      await tx.selfBackupRun.update({ where: { id: runId }, data: { status: 'success', endedAt: new Date(), fileName: name, sizeBytes: BigInt(size), rowCount: BigInt(rowCount), heartbeatAt: new Date() } });
      await emitEvent(tx, SYSTEM, {
        tenantId: TOP_LEVEL_TENANT_ID,
        type: SEVT.SEVT_SERVER_UPDATED,
        resourceId: runId,
        data: { SelfBackupRun: { ID: runId, Kind: run.kind, TargetIndex: run.targetIndex, Success: true, FileName: name, Size: size } },
      });
    });
    log.info({ runId, kind: run.kind, target: run.targetIndex, name, size, rows: rowCount }, 'self-backup written');
    return { status: 'success', size };
  } catch (err) {
    await pending.abort().catch(() => undefined);
    return fail(failureCause(err));
  }
}
