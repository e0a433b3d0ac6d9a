// Seeding job history for tests: BackupJobDetail objects written straight into the Job / JobLogEntry
// tables (there is no API that creates jobs; devices report them). The fixture states on its own where each
// field lives (COLUMNS below), instead of calling Halley's mapper (lib/backup-jobs/job-row.ts): a mapper
// bug then shows up as a difference between what was seeded and what the API returns, rather than being
// written and read back by the same code.
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export type JobDetail = Record<string, any>;
export type LogLine = { Time: number; Severity: 'D' | 'I' | 'W' | 'E'; Message: string };

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A complete BackupJobDetail (a finished successful backup an hour ago) with `overrides` applied. */
/**
 * Overrides for a job that measured no vault size. A job that ended today with a measured size makes the workers'
 * usage refresh (lib/usage/refresh-after-jobs.ts) recompute that organization's ledger for today, which replaces
 * ledger rows a test inserted itself.
 */
export const UNMEASURED_VAULT: JobDetail = { DestinationSizeEnd: { Size: 0, MeasureStarted: 0, MeasureCompleted: 0 } };

export function jobDetail(username: string, overrides: JobDetail = {}): JobDetail {
  const start = nowSeconds() - 3600;
  return {
    GUID: randomUUID(),
    Username: username,
    Classification: 4001,
    Status: 5000,
    StartTime: start,
    EndTime: start + 600,
    RetryCount: 0,
    SourceGUID: 'item-files',
    DestinationGUID: 'vault-s3',
    DeviceID: 'dev-1',
    SnapshotID: 'snap-1',
    ClientVersion: '25.9.6',
    TotalDirectories: 12,
    TotalFiles: 340,
    TotalSize: 1_000_000,
    TotalChunks: 20,
    UploadSize: 50_000,
    DownloadSize: 0,
    Progress: { Counter: 3, SentTime: start + 590, RecievedTime: start + 591, BytesDone: 50_000, ItemsDone: 340, ItemsTotal: 340 },
    DestinationSizeStart: { Size: 10_000_000, MeasureStarted: start, MeasureCompleted: start + 1 },
    DestinationSizeEnd: { Size: 10_050_000, MeasureStarted: start + 599, MeasureCompleted: start + 600 },
    ...overrides,
  };
}

async function withClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: seed jobs from integration tests run by npm test');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Inserts jobs for existing accounts (tenant and account are taken from the account named by each
 * job's Username). `logs` maps a job GUID to its log lines.
 */
export async function seedJobs(jobs: JobDetail[], logs: Record<string, LogLine[]> = {}): Promise<void> {
  await withClient(async (c) => {
    const names = [...new Set(jobs.map((j) => j.Username as string))];
    const accounts = new Map<string, { id: string; tenantId: string }>();
    for (const r of (await c.query('SELECT id, "tenantId", username FROM "Account" WHERE username = ANY($1::text[])', [names])).rows) {
      accounts.set(r.username, { id: r.id, tenantId: r.tenantId });
    }
    for (const job of jobs) {
      const account = accounts.get(job.Username);
      if (!account) throw new Error(`seedJobs: no account named ${job.Username}`);
      const row = jobColumns(job);
      await c.query(
        `INSERT INTO "Job" (id, "tenantId", "accountId", username, classification, status, "startTime", "endTime", "retryCount",
           "sourceGuid", "destinationGuid", "deviceId", "snapshotId", "backupRuleGuid", "clientVersion", "totalDirectories",
           "totalFiles", "totalSize", "totalChunks", "uploadSize", "downloadSize", "cancellationId", "destinationSizeStart",
           "destinationSizeEnd", data, "updatedAt")
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,now())`,
        [
          row.id, account.tenantId, account.id, row.username, row.classification, row.status, row.startTime, row.endTime, row.retryCount,
          row.sourceGuid, row.destinationGuid, row.deviceId, row.snapshotId, row.backupRuleGuid, row.clientVersion, row.totalDirectories,
          row.totalFiles, row.totalSize, row.totalChunks, row.uploadSize, row.downloadSize, row.cancellationId, row.destinationSizeStart,
          row.destinationSizeEnd, JSON.stringify(row.data),
        ],
      );
      for (const line of logs[row.id] ?? []) {
        await c.query('INSERT INTO "JobLogEntry" ("jobId", time, severity, message) VALUES ($1, $2, $3, $4)', [row.id, line.Time, line.Severity, line.Message]);
      }
    }
  });
}

/** BackupJobDetail fields kept as columns of "Job" (everything else stays in `data`). */
const COLUMNS = {
  GUID: 'id',
  Username: 'username',
  Classification: 'classification',
  Status: 'status',
  StartTime: 'startTime',
  EndTime: 'endTime',
  RetryCount: 'retryCount',
  SourceGUID: 'sourceGuid',
  DestinationGUID: 'destinationGuid',
  DeviceID: 'deviceId',
  SnapshotID: 'snapshotId',
  BackupRuleGUID: 'backupRuleGuid',
  ClientVersion: 'clientVersion',
  TotalDirectories: 'totalDirectories',
  TotalFiles: 'totalFiles',
  TotalSize: 'totalSize',
  TotalChunks: 'totalChunks',
  UploadSize: 'uploadSize',
  DownloadSize: 'downloadSize',
  CancellationID: 'cancellationId',
} as const;
const TEXT = new Set(['id', 'username', 'sourceGuid', 'destinationGuid', 'deviceId', 'snapshotId', 'backupRuleGuid', 'clientVersion', 'cancellationId']);

function jobColumns(job: JobDetail): Record<string, any> {
  const row: Record<string, any> = {};
  for (const [field, column] of Object.entries(COLUMNS)) row[column] = job[field] ?? (TEXT.has(column) ? '' : 0);
  // The destination sizes are searchable: their Size is copied to a column, the measurement object stays in data.
  row.destinationSizeStart = job.DestinationSizeStart?.Size ?? 0;
  row.destinationSizeEnd = job.DestinationSizeEnd?.Size ?? 0;
  row.data = Object.fromEntries(Object.entries(job).filter(([k]) => !(k in COLUMNS)));
  return row;
}
