// Job ingestion: what a device reports over its live connection becomes Job + JobLogEntry rows with
// Comet's status and classification codes, JOB_NEW / JOB_COMPLETED events (same transaction), the
// protected item's Statistics and the storage vault's size. Every report is idempotent (a device resends
// what was not acknowledged before a reconnect), and every statement is scoped to the account and
// device the socket is bound to: a job id of another account or device is a ClaimError.
// tenancy-file: system — device job reports: job, account and tenant come from the socket binding fixed at sign-in, never from a frame
import { JobClassification, JobStatus, StreamableEventType as SEVT } from '../comet/constants';
import { db, type Tx } from '../db/client';
import { emitEvent } from '../events/emit';
import type { Prisma } from '../generated/prisma/client';
import { ClaimError, deviceActor, type DeviceBinding } from './binding';
import type { TJobStats, TLogEntry } from './protocol';
import type { JsonObject } from '../profile/mapper';
import { jobRowToWire, wireToJobColumns, JOB_WIRE_COLUMNS } from '../backup-jobs/job-row';

const WIRE_SELECT = Object.fromEntries(JOB_WIRE_COLUMNS.map((c) => [c, true])) as Record<(typeof JOB_WIRE_COLUMNS)[number], true>;
const isRunning = (status: number) => status >= 6000 && status <= 6999;

export type JobStartReport = {
  jobId: string;
  classification: number;
  startTime: number;
  sourceGuid: string;
  destinationGuid: string;
  backupRuleGuid: string;
  clientVersion: string;
  tags: string;
  stats: TJobStats;
};

/** Counter columns and data fields from reported statistics (only what was reported). */
function statsUpdate(stats: TJobStats, data: JsonObject): { columns: Prisma.JobUpdateInput; data: JsonObject } {
  const columns: Prisma.JobUpdateInput = {};
  const big = (v: number | undefined) => (v === undefined ? undefined : BigInt(v));
  if (stats.TotalDirectories !== undefined) columns.totalDirectories = big(stats.TotalDirectories);
  if (stats.TotalFiles !== undefined) columns.totalFiles = big(stats.TotalFiles);
  if (stats.TotalSize !== undefined) columns.totalSize = big(stats.TotalSize);
  if (stats.TotalChunks !== undefined) columns.totalChunks = big(stats.TotalChunks);
  if (stats.UploadSize !== undefined) columns.uploadSize = big(stats.UploadSize);
  if (stats.DownloadSize !== undefined) columns.downloadSize = big(stats.DownloadSize);
  if (stats.SnapshotID !== undefined) columns.snapshotId = stats.SnapshotID;
  const next = { ...data };
  if (stats.Progress) next.Progress = { ...((data.Progress as JsonObject) ?? {}), ...stats.Progress };
  if (stats.DestinationSizeStart) {
    next.DestinationSizeStart = { Size: 0, MeasureStarted: 0, MeasureCompleted: 0, ...stats.DestinationSizeStart };
    columns.destinationSizeStart = BigInt(stats.DestinationSizeStart.Size ?? 0);
  }
  if (stats.DestinationSizeEnd) {
    next.DestinationSizeEnd = { Size: 0, MeasureStarted: 0, MeasureCompleted: 0, ...stats.DestinationSizeEnd };
    columns.destinationSizeEnd = BigInt(stats.DestinationSizeEnd.Size ?? 0);
  }
  return { columns, data: next };
}

/** Locks the job row of this device; null when there is none; ClaimError when it belongs to someone else. */
async function lockOwnJob(tx: Tx, device: DeviceBinding, jobId: string): Promise<{ status: number; data: JsonObject } | null> {
  const rows = await tx.$queryRaw<Array<{ accountId: string | null; deviceId: string; status: number; data: JsonObject }>>`
    SELECT "accountId", "deviceId", status, data FROM "Job" WHERE id = ${jobId} FOR UPDATE`;
  const row = rows[0];
  if (!row) return null;
  if (row.accountId !== device.accountId || row.deviceId !== device.deviceId) throw new ClaimError(`Job ${jobId} belongs to another device`);
  return { status: row.status, data: row.data ?? {} };
}

export async function reportJobStart(device: DeviceBinding, report: JobStartReport): Promise<void> {
  await db().$transaction(async (tx) => {
    if (await lockOwnJob(tx, device, report.jobId)) return; // resent start
    const { DestinationSizeStart, DestinationSizeEnd, Progress, ...counters } = report.stats;
    const detail: JsonObject = {
      GUID: report.jobId,
      Username: device.username,
      Classification: report.classification,
      Status: JobStatus.JOB_STATUS_RUNNING_ACTIVE,
      StartTime: report.startTime,
      EndTime: 0,
      SourceGUID: report.sourceGuid,
      DestinationGUID: report.destinationGuid,
      DeviceID: device.deviceId,
      BackupRuleGUID: report.backupRuleGuid,
      ClientVersion: report.clientVersion,
      Tags: report.tags,
      ...counters,
      ...(Progress ? { Progress } : {}),
      ...(DestinationSizeStart ? { DestinationSizeStart: { Size: 0, MeasureStarted: 0, MeasureCompleted: 0, ...DestinationSizeStart } } : {}),
      ...(DestinationSizeEnd ? { DestinationSizeEnd } : {}),
    };
    const columns = wireToJobColumns(detail);
    try {
      await tx.job.create({ data: { ...columns, data: columns.data as object, tenantId: device.tenantId, accountId: device.accountId } });
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') throw new ClaimError(`Job ${report.jobId} already exists`);
      throw err;
    }
    await emitEvent(tx, deviceActor(device), { tenantId: device.tenantId, type: SEVT.SEVT_JOB_NEW, resourceId: report.jobId, data: jobRowToWire({ ...columns, data: columns.data }) });
  });
}

export async function reportJobProgress(device: DeviceBinding, jobId: string, stats: TJobStats): Promise<void> {
  await db().$transaction(async (tx) => {
    const job = await lockOwnJob(tx, device, jobId);
    if (!job) throw new ClaimError(`Progress for unknown job ${jobId}`);
    if (!isRunning(job.status)) return; // abandoned meanwhile, or a late duplicate
    const update = statsUpdate(stats, job.data);
    await tx.job.update({ where: { id: jobId }, data: { ...update.columns, data: update.data as object } });
  });
}

/** Appends log entries; `from` is the index of the first one, so a resent batch is stored once. */
export async function reportJobLog(device: DeviceBinding, jobId: string, from: number, entries: TLogEntry[]): Promise<void> {
  await db().$transaction(async (tx) => {
    if (!(await lockOwnJob(tx, device, jobId))) throw new ClaimError(`Log for unknown job ${jobId}`);
    const stored = await tx.jobLogEntry.count({ where: { jobId } });
    const fresh = entries.slice(Math.max(0, stored - from));
    if (from > stored || fresh.length === 0) return;
    await tx.jobLogEntry.createMany({ data: fresh.map((e) => ({ jobId, time: BigInt(e.Time), severity: e.Severity, message: e.Message })) });
  });
}

export async function reportJobEnd(device: DeviceBinding, jobId: string, status: number, endTime: number, stats: TJobStats): Promise<void> {
  await db().$transaction(async (tx) => {
    const job = await lockOwnJob(tx, device, jobId);
    if (!job) throw new ClaimError(`End of unknown job ${jobId}`);
    if (!isRunning(job.status)) return; // already ended (resent) or abandoned by an admin
    const update = statsUpdate(stats, job.data);
    const row = await tx.job.update({ where: { id: jobId }, data: { ...update.columns, data: update.data as object, status, endTime: BigInt(endTime) }, select: WIRE_SELECT });
    const detail = jobRowToWire(row);
    await recordStatistics(tx, device.accountId, detail);
    await emitEvent(tx, deviceActor(device), { tenantId: device.tenantId, type: SEVT.SEVT_JOB_COMPLETED, resourceId: jobId, data: detail });
  });
}

/** The protected item's Statistics (last job, last successful job) and the vault's last measured size. */
async function recordStatistics(tx: Tx, accountId: string, detail: JsonObject): Promise<void> {
  const status = Number(detail.Status);
  if (Number(detail.Classification) === JobClassification.JOB_CLASSIFICATION_BACKUP && detail.SourceGUID) {
    const item = await tx.protectedItem.findUnique({ where: { accountId_itemId: { accountId, itemId: String(detail.SourceGUID) } }, select: { id: true, data: true } });
    if (item) {
      const data = (item.data ?? {}) as JsonObject;
      const before = (data.Statistics ?? {}) as JsonObject;
      const success = status >= 5000 && status <= 5999;
      const statistics = { ...before, LastStartTime: detail.StartTime, LastBackupJob: detail, ...(success ? { LastSuccessfulBackupJob: detail } : {}) };
      await tx.protectedItem.update({ where: { id: item.id }, data: { data: { ...data, Statistics: statistics } as object } });
    }
  }
  const end = detail.DestinationSizeEnd as JsonObject | undefined;
  if (detail.DestinationGUID && end && Number(end.MeasureCompleted ?? 0) > 0) {
    const vault = await tx.storageVault.findUnique({ where: { accountId_vaultId: { accountId, vaultId: String(detail.DestinationGUID) } }, select: { id: true, data: true } });
    if (vault) {
      const data = (vault.data ?? {}) as JsonObject;
      const statistics = { ...((data.Statistics ?? {}) as JsonObject), ClientProvidedSize: end };
      await tx.storageVault.update({ where: { id: vault.id }, data: { data: { ...data, Statistics: statistics } as object } });
    }
  }
}
