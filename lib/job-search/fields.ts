// The whitelist of job search fields: Comet RuleField name -> SQL expression over the `"Job" AS j` row.
// Nothing outside this map ever reaches SQL text; values always travel as bind parameters.
//
// Names: Comet addresses BackupJobDetail fields as `BackupJobDetail.<Field>` (its own integrations send
// e.g. `BackupJobDetail.Username` / `BackupJobDetail.StartTime`). The comet-wire contract does not name
// the relative fields, so `BackupJobDetail.TimeSinceJobStart` / `TimeSinceJobEnd` are Halley's spelling
// of Comet's "time since job start/end". `Halley.*` fields are Halley additions (names of the device,
// protected item and vault, the organization, the user's group, status groups).
import { TOP_LEVEL_TENANT_ID } from '../tenancy/actor';

type FieldKind = 'string' | 'int' | 'bool';

export type SearchField = {
  kind: FieldKind;
  /** SQL expression (trusted, from this file only). */
  sql: string;
  /** Relative field: seconds between now and this int column; compiled to a range on the column. */
  sinceColumn?: string;
  /** Turns a wire value into what the column stores (e.g. '' -> the top-level tenant id). */
  mapValue?: (value: string) => string;
  description: string;
};

const col = (name: string) => `j."${name}"`;
const dataText = (key: string) => `coalesce(j."data"->>'${key}', '')`;
// jsonb numbers only: anything else counts as 0, so a stray value can't make the cast fail.
const dataInt = (key: string) => `(CASE WHEN jsonb_typeof(j."data"->'${key}') = 'number' THEN (j."data"->>'${key}')::numeric::bigint ELSE 0 END)`;
const related = (table: string, column: string, keyColumn: string, jobColumn: string) =>
  `coalesce((SELECT r."${column}" FROM "${table}" AS r WHERE r."accountId" = j."accountId" AND r."${keyColumn}" = j."${jobColumn}" LIMIT 1), '')`;

export const SEARCH_FIELDS: Readonly<Record<string, SearchField>> = Object.freeze({
  'BackupJobDetail.GUID': { kind: 'string', sql: col('id'), description: 'job ID' },
  'BackupJobDetail.Username': { kind: 'string', sql: col('username'), description: 'account username' },
  'BackupJobDetail.Classification': { kind: 'int', sql: col('classification'), description: 'JOB_CLASSIFICATION_* (4001 backup, 4002 restore, ...)' },
  'BackupJobDetail.Status': { kind: 'int', sql: col('status'), description: 'JOB_STATUS_* (5000 success, 6xxx running, 7xxx failed)' },
  'BackupJobDetail.StartTime': { kind: 'int', sql: col('startTime'), description: 'Unix seconds' },
  'BackupJobDetail.EndTime': { kind: 'int', sql: col('endTime'), description: 'Unix seconds (0 while running)' },
  'BackupJobDetail.RetryCount': { kind: 'int', sql: col('retryCount'), description: 'retries' },
  'BackupJobDetail.SourceGUID': { kind: 'string', sql: col('sourceGuid'), description: 'protected item ID' },
  'BackupJobDetail.DestinationGUID': { kind: 'string', sql: col('destinationGuid'), description: 'storage vault ID' },
  'BackupJobDetail.DeviceID': { kind: 'string', sql: col('deviceId'), description: 'device ID' },
  'BackupJobDetail.SnapshotID': { kind: 'string', sql: col('snapshotId'), description: 'snapshot ID' },
  'BackupJobDetail.BackupRuleGUID': { kind: 'string', sql: col('backupRuleGuid'), description: 'backup rule ID' },
  'BackupJobDetail.ClientVersion': { kind: 'string', sql: col('clientVersion'), description: 'agent version' },
  'BackupJobDetail.TotalDirectories': { kind: 'int', sql: col('totalDirectories'), description: 'directories' },
  'BackupJobDetail.TotalFiles': { kind: 'int', sql: col('totalFiles'), description: 'files' },
  'BackupJobDetail.TotalSize': { kind: 'int', sql: col('totalSize'), description: 'bytes' },
  'BackupJobDetail.TotalChunks': { kind: 'int', sql: col('totalChunks'), description: 'chunks' },
  'BackupJobDetail.UploadSize': { kind: 'int', sql: col('uploadSize'), description: 'bytes uploaded' },
  'BackupJobDetail.DownloadSize': { kind: 'int', sql: col('downloadSize'), description: 'bytes downloaded' },
  'BackupJobDetail.TotalVmCount': { kind: 'int', sql: dataInt('TotalVmCount'), description: 'virtual machines' },
  'BackupJobDetail.TotalMailsCount': { kind: 'int', sql: dataInt('TotalMailsCount'), description: 'mailboxes' },
  'BackupJobDetail.TotalSitesCount': { kind: 'int', sql: dataInt('TotalSitesCount'), description: 'sites' },
  'BackupJobDetail.TotalAccountsCount': { kind: 'int', sql: dataInt('TotalAccountsCount'), description: 'accounts' },
  'BackupJobDetail.TotalLicensedMailsCount': { kind: 'int', sql: dataInt('TotalLicensedMailsCount'), description: 'licensed mailboxes' },
  'BackupJobDetail.TotalUnlicensedMailsCount': { kind: 'int', sql: dataInt('TotalUnlicensedMailsCount'), description: 'unlicensed mailboxes' },
  'BackupJobDetail.ConflictingJobID': { kind: 'string', sql: dataText('ConflictingJobID'), description: 'job this one conflicted with' },
  'BackupJobDetail.CancellationID': { kind: 'string', sql: col('cancellationId'), description: 'cancellation ID' },
  'BackupJobDetail.Tags': { kind: 'string', sql: dataText('Tags'), description: 'job tags' },
  'BackupJobDetail.DestinationSizeStart.Size': { kind: 'int', sql: col('destinationSizeStart'), description: 'storage vault size at job start, bytes' },
  'BackupJobDetail.DestinationSizeEnd.Size': { kind: 'int', sql: col('destinationSizeEnd'), description: 'storage vault size at job end, bytes' },
  'BackupJobDetail.TimeSinceJobStart': { kind: 'int', sql: col('startTime'), sinceColumn: col('startTime'), description: 'seconds since the job started (now - StartTime)' },
  'BackupJobDetail.TimeSinceJobEnd': { kind: 'int', sql: col('endTime'), sinceColumn: col('endTime'), description: 'seconds since the job ended (now - EndTime; EndTime is 0 while running)' },
  'Halley.DeviceName': { kind: 'string', sql: related('Device', 'friendlyName', 'deviceId', 'deviceId'), description: "the device's friendly name" },
  'Halley.ProtectedItemName': { kind: 'string', sql: related('ProtectedItem', 'description', 'itemId', 'sourceGuid'), description: "the protected item's description" },
  'Halley.StorageVaultName': { kind: 'string', sql: related('StorageVault', 'description', 'vaultId', 'destinationGuid'), description: "the storage vault's description" },
  'Halley.OrganizationID': {
    kind: 'string',
    sql: col('tenantId'),
    mapValue: (v) => (v === '' ? TOP_LEVEL_TENANT_ID : v),
    description: 'organization (tenant) ID, "" for the top level',
  },
  // The user's group now (Comet UserProfileConfig.GroupID), not at the time of the job; "" for users in no group.
  'Halley.UserGroupID': {
    kind: 'string',
    // tenancy: derived — the job row's own account (j.accountId), within the job's tenant
    sql: `coalesce((SELECT a."groupId" FROM "Account" AS a WHERE a."id" = j."accountId" AND a."tenantId" = j."tenantId"), '')`,
    description: "the user's group ID (admin/user-groups), \"\" for none",
  },
  'Halley.IsRunning': { kind: 'bool', sql: `(j."status" BETWEEN 6000 AND 6999)`, description: 'status is JOB_STATUS_RUNNING_*' },
  'Halley.IsSuccess': { kind: 'bool', sql: `(j."status" BETWEEN 5000 AND 5999)`, description: 'status is JOB_STATUS_STOP_SUCCESS' },
  'Halley.IsFailed': { kind: 'bool', sql: `(j."status" BETWEEN 7000 AND 7999)`, description: 'status is JOB_STATUS_FAILED_*' },
});

export function searchField(name: string): SearchField | undefined {
  return Object.prototype.hasOwnProperty.call(SEARCH_FIELDS, name) ? SEARCH_FIELDS[name] : undefined;
}
