// The one mapper between Comet's BackupJobDetail and the Job row: searched fields are columns, the rest
// (Progress, DestinationSizeStart/End objects, Tags, Total*Count, fields Halley does not know) is kept in
// `data`, so a job round-trips unchanged. Output goes through shapeWire for Go's exact encoding.
import { shapeWire, type JsonObject } from '../profile/mapper';

/** Columns read for a BackupJobDetail, in SELECT order (shared by Halley and bench/baseline.ts). */
export const JOB_WIRE_COLUMNS = [
  'id', 'tenantId', 'username', 'classification', 'status', 'startTime', 'endTime', 'retryCount', 'sourceGuid',
  'destinationGuid', 'deviceId', 'snapshotId', 'backupRuleGuid', 'clientVersion', 'totalDirectories', 'totalFiles',
  'totalSize', 'totalChunks', 'uploadSize', 'downloadSize', 'cancellationId', 'destinationSizeStart',
  'destinationSizeEnd', 'data',
] as const;

type IntLike = bigint | number | string;

/** A Job row as read by Prisma ($queryRaw: bigint) or pg (number or string). */
export type JobWireRow = {
  id: string;
  username: string;
  classification: number;
  status: number;
  startTime: IntLike;
  endTime: IntLike;
  retryCount: IntLike;
  sourceGuid: string;
  destinationGuid: string;
  deviceId: string;
  snapshotId: string;
  backupRuleGuid: string;
  clientVersion: string;
  totalDirectories: IntLike;
  totalFiles: IntLike;
  totalSize: IntLike;
  totalChunks: IntLike;
  uploadSize: IntLike;
  downloadSize: IntLike;
  cancellationId: string;
  destinationSizeStart: IntLike;
  destinationSizeEnd: IntLike;
  data: unknown;
};

const num = (v: IntLike): number => (typeof v === 'number' ? v : Number(v));

function sizeMeasurement(stored: unknown, size: IntLike): unknown {
  if (stored && typeof stored === 'object') return stored;
  return num(size) !== 0 ? { Size: num(size), MeasureStarted: 0, MeasureCompleted: 0 } : undefined;
}

/** Job row -> BackupJobDetail JSON, exactly as Comet encodes it. */
export function jobRowToWire(row: JobWireRow): JsonObject {
  const data = (row.data && typeof row.data === 'object' ? row.data : {}) as JsonObject;
  return shapeWire('BackupJobDetail', {
    ...data,
    GUID: row.id,
    Username: row.username,
    Classification: row.classification,
    Status: row.status,
    StartTime: num(row.startTime),
    EndTime: num(row.endTime),
    RetryCount: num(row.retryCount),
    SourceGUID: row.sourceGuid,
    DestinationGUID: row.destinationGuid,
    DeviceID: row.deviceId,
    SnapshotID: row.snapshotId,
    BackupRuleGUID: row.backupRuleGuid,
    ClientVersion: row.clientVersion,
    TotalDirectories: num(row.totalDirectories),
    TotalFiles: num(row.totalFiles),
    TotalSize: num(row.totalSize),
    TotalChunks: num(row.totalChunks),
    UploadSize: num(row.uploadSize),
    DownloadSize: num(row.downloadSize),
    CancellationID: row.cancellationId,
    DestinationSizeStart: sizeMeasurement(data.DestinationSizeStart, row.destinationSizeStart),
    DestinationSizeEnd: sizeMeasurement(data.DestinationSizeEnd, row.destinationSizeEnd),
  }) as JsonObject;
}

/** Columns of a Job row (without tenant/account, which the caller derives from the device's account). */
type JobColumns = Omit<JobWireRow, 'data' | 'startTime' | 'endTime' | 'retryCount' | 'totalDirectories' | 'totalFiles' | 'totalSize' | 'totalChunks' | 'uploadSize' | 'downloadSize' | 'destinationSizeStart' | 'destinationSizeEnd'> & {
  startTime: bigint;
  endTime: bigint;
  retryCount: bigint;
  totalDirectories: bigint;
  totalFiles: bigint;
  totalSize: bigint;
  totalChunks: bigint;
  uploadSize: bigint;
  downloadSize: bigint;
  destinationSizeStart: bigint;
  destinationSizeEnd: bigint;
  data: JsonObject;
};

const COLUMN_FIELDS = new Set([
  'GUID', 'Username', 'Classification', 'Status', 'StartTime', 'EndTime', 'RetryCount', 'SourceGUID', 'DestinationGUID',
  'DeviceID', 'SnapshotID', 'BackupRuleGUID', 'ClientVersion', 'TotalDirectories', 'TotalFiles', 'TotalSize', 'TotalChunks',
  'UploadSize', 'DownloadSize', 'CancellationID',
]);

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const big = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? BigInt(Math.trunc(v)) : typeof v === 'bigint' ? v : 0n);
const sizeOf = (m: unknown) => (m && typeof m === 'object' ? big((m as JsonObject).Size) : 0n);

/** BackupJobDetail JSON -> Job columns (the writer for agents, imports and test seeding). */
export function wireToJobColumns(detail: JsonObject): JobColumns {
  const data: JsonObject = {};
  for (const [k, v] of Object.entries(detail)) if (!COLUMN_FIELDS.has(k)) data[k] = v;
  return {
    id: str(detail.GUID),
    username: str(detail.Username),
    classification: Number(detail.Classification ?? 0),
    status: Number(detail.Status ?? 0),
    startTime: big(detail.StartTime),
    endTime: big(detail.EndTime),
    retryCount: big(detail.RetryCount),
    sourceGuid: str(detail.SourceGUID),
    destinationGuid: str(detail.DestinationGUID),
    deviceId: str(detail.DeviceID),
    snapshotId: str(detail.SnapshotID),
    backupRuleGuid: str(detail.BackupRuleGUID),
    clientVersion: str(detail.ClientVersion),
    totalDirectories: big(detail.TotalDirectories),
    totalFiles: big(detail.TotalFiles),
    totalSize: big(detail.TotalSize),
    totalChunks: big(detail.TotalChunks),
    uploadSize: big(detail.UploadSize),
    downloadSize: big(detail.DownloadSize),
    cancellationId: str(detail.CancellationID),
    destinationSizeStart: sizeOf(detail.DestinationSizeStart),
    destinationSizeEnd: sizeOf(detail.DestinationSizeEnd),
    data,
  };
}
