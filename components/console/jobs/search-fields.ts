// How the query builder presents each search field: a readable name (messages jobs.fields.*), the kind of
// value picker, the operators that make sense for it and the default one. Covers the job search fields
// (lib/job-search/fields.ts) and an update campaign's device filter fields (lib/campaigns/device-filter-fields.ts).
// The raw wire names appear only with "advanced options" switched on.

export type FieldUi = 'status' | 'classification' | 'time' | 'since' | 'bytes' | 'count' | 'text' | 'id' | 'bool' | 'tenant' | 'group' | 'os';

type FieldSpec = { ui: FieldUi; label: string; common?: boolean };

export const FIELD_SPECS: Record<string, FieldSpec> = {
  // Job search: the most used first (the order of the "common" group).
  'BackupJobDetail.Status': { ui: 'status', label: 'status', common: true },
  'BackupJobDetail.Classification': { ui: 'classification', label: 'classification', common: true },
  'Halley.IsFailed': { ui: 'bool', label: 'isFailed', common: true },
  'Halley.IsSuccess': { ui: 'bool', label: 'isSuccess', common: true },
  'Halley.IsRunning': { ui: 'bool', label: 'isRunning', common: true },
  'BackupJobDetail.TimeSinceJobStart': { ui: 'since', label: 'timeSinceStart', common: true },
  'BackupJobDetail.TimeSinceJobEnd': { ui: 'since', label: 'timeSinceEnd', common: true },
  'BackupJobDetail.StartTime': { ui: 'time', label: 'startTime', common: true },
  'BackupJobDetail.EndTime': { ui: 'time', label: 'endTime', common: true },
  'BackupJobDetail.Username': { ui: 'text', label: 'username', common: true },
  'Halley.UserGroupID': { ui: 'group', label: 'userGroup', common: true },
  'Halley.DeviceName': { ui: 'text', label: 'deviceName', common: true },
  'Halley.ProtectedItemName': { ui: 'text', label: 'itemName', common: true },
  'Halley.StorageVaultName': { ui: 'text', label: 'vaultName', common: true },
  'Halley.OrganizationID': { ui: 'tenant', label: 'organization', common: true },
  'BackupJobDetail.TotalSize': { ui: 'bytes', label: 'totalSize', common: true },
  'BackupJobDetail.UploadSize': { ui: 'bytes', label: 'uploadSize', common: true },
  'BackupJobDetail.DownloadSize': { ui: 'bytes', label: 'downloadSize', common: true },
  'BackupJobDetail.TotalFiles': { ui: 'count', label: 'totalFiles', common: true },
  'BackupJobDetail.ClientVersion': { ui: 'text', label: 'clientVersion', common: true },
  'BackupJobDetail.GUID': { ui: 'id', label: 'jobId' },
  'BackupJobDetail.RetryCount': { ui: 'count', label: 'retryCount' },
  'BackupJobDetail.SourceGUID': { ui: 'id', label: 'itemId' },
  'BackupJobDetail.DestinationGUID': { ui: 'id', label: 'vaultId' },
  'BackupJobDetail.DeviceID': { ui: 'id', label: 'deviceId' },
  'BackupJobDetail.SnapshotID': { ui: 'id', label: 'snapshotId' },
  'BackupJobDetail.BackupRuleGUID': { ui: 'id', label: 'backupRuleId' },
  'BackupJobDetail.TotalDirectories': { ui: 'count', label: 'totalDirectories' },
  'BackupJobDetail.TotalChunks': { ui: 'count', label: 'totalChunks' },
  'BackupJobDetail.TotalVmCount': { ui: 'count', label: 'vmCount' },
  'BackupJobDetail.TotalMailsCount': { ui: 'count', label: 'mailboxCount' },
  'BackupJobDetail.TotalSitesCount': { ui: 'count', label: 'siteCount' },
  'BackupJobDetail.TotalAccountsCount': { ui: 'count', label: 'accountCount' },
  'BackupJobDetail.TotalLicensedMailsCount': { ui: 'count', label: 'licensedMailboxCount' },
  'BackupJobDetail.TotalUnlicensedMailsCount': { ui: 'count', label: 'unlicensedMailboxCount' },
  'BackupJobDetail.ConflictingJobID': { ui: 'id', label: 'conflictingJobId' },
  'BackupJobDetail.CancellationID': { ui: 'id', label: 'cancellationId' },
  'BackupJobDetail.Tags': { ui: 'text', label: 'tags' },
  'BackupJobDetail.DestinationSizeStart.Size': { ui: 'bytes', label: 'vaultSizeStart' },
  'BackupJobDetail.DestinationSizeEnd.Size': { ui: 'bytes', label: 'vaultSize' },
  // Device filter of an update campaign.
  PlatformOS: { ui: 'os', label: 'platformOs', common: true },
  Username: { ui: 'text', label: 'username', common: true },
  GroupID: { ui: 'group', label: 'userGroup', common: true },
  OrganizationID: { ui: 'tenant', label: 'organization', common: true },
  FriendlyName: { ui: 'text', label: 'deviceName', common: true },
  ClientVersion: { ui: 'text', label: 'clientVersion', common: true },
  PlatformDistribution: { ui: 'text', label: 'platformDistribution', common: true },
  PlatformArch: { ui: 'text', label: 'platformArch' },
  PlatformVersion: { ui: 'text', label: 'platformVersion' },
  AccountName: { ui: 'text', label: 'accountName' },
  PolicyID: { ui: 'id', label: 'policyId' },
  DeviceID: { ui: 'id', label: 'deviceId' },
  Timezone: { ui: 'text', label: 'timeZone' },
};

type FieldKind = 'string' | 'int' | 'bool';

/** The presentation of a field; a field this table doesn't know is shown by kind, under its raw name. */
export function fieldSpec(name: string, kind: FieldKind): FieldSpec | { ui: FieldUi; label?: undefined; common?: undefined } {
  if (Object.hasOwn(FIELD_SPECS, name)) return FIELD_SPECS[name];
  return { ui: kind === 'int' ? 'count' : kind === 'bool' ? 'bool' : 'text' };
}

const TEXT_OPS = ['str_contains_ci', 'str_ncontains_ci', 'str_eq_ci', 'str_neq_ci', 'str_startswith_ci', 'str_endswith_ci'];
const TEXT_ADVANCED = ['str_eq', 'str_neq', 'str_contains', 'str_ncontains', 'str_startswith', 'str_nstartswith', 'str_endswith', 'str_nendswith', 'str_nstartswith_ci', 'str_nendswith_ci', 'str_regexmatch', 'str_nregexmatch'];

/** Operators offered for a kind of field, the default first; `advanced` adds the case-sensitive and regex forms. */
export function operatorsFor(ui: FieldUi, advanced: boolean): string[] {
  switch (ui) {
    case 'status':
    case 'classification':
      return ['int_eq', 'int_neq'];
    case 'bool':
      return ['bool_is', 'bool_nis'];
    case 'time':
      return ['int_gte', 'int_lt'];
    case 'since':
      return ['int_lt', 'int_gt'];
    case 'bytes':
      return ['int_gt', 'int_lt', 'int_gte', 'int_lte', 'int_eq'];
    case 'count':
      return ['int_gt', 'int_gte', 'int_lt', 'int_lte', 'int_eq', 'int_neq'];
    case 'tenant':
    case 'group':
      return advanced ? ['str_eq', 'str_neq', 'str_regexmatch'] : ['str_eq', 'str_neq'];
    case 'os':
      // "windows|linux" in one rule: a pattern is the short way to name several systems.
      return ['str_eq', 'str_neq', 'str_regexmatch'];
    case 'id':
      return advanced ? ['str_eq', 'str_neq', 'str_startswith', 'str_contains', 'str_regexmatch'] : ['str_eq', 'str_neq'];
    case 'text':
      return advanced ? [...TEXT_OPS, ...TEXT_ADVANCED] : TEXT_OPS;
  }
}

/** The message key (jobs.builder.ops.*) naming an operator for a kind of field: "less than" for times since, "before" for dates. */
export function operatorLabelKey(ui: FieldUi, op: string): string {
  if (ui === 'time') return ({ int_gte: 'after', int_gt: 'after', int_lt: 'before', int_lte: 'before' } as Record<string, string>)[op] ?? op;
  if (ui === 'since' || ui === 'bytes' || ui === 'count')
    return ({ int_gt: 'moreThan', int_gte: 'atLeast', int_lt: 'lessThan', int_lte: 'atMost', int_eq: 'exactly', int_neq: 'not' } as Record<string, string>)[op] ?? op;
  if (ui === 'status' || ui === 'classification') return ({ int_eq: 'is', int_neq: 'isNot' } as Record<string, string>)[op] ?? op;
  return op;
}

/** The value a new rule on this field starts with. */
export function defaultValue(ui: FieldUi, now = Math.floor(Date.now() / 1000)): string {
  switch (ui) {
    case 'bool':
      return 'true';
    case 'since':
      return String(7 * 86400);
    case 'time':
      return String(now - 7 * 86400);
    case 'status':
      return '7002';
    case 'classification':
      return '4001';
    case 'os':
      return 'windows';
    default:
      return '';
  }
}

export const OS_CHOICES = ['windows', 'linux', 'darwin', 'freebsd', 'openbsd', 'netbsd', 'solaris', 'android', 'synology'];

export const SINCE_UNITS = [
  { key: 'minutes', seconds: 60 },
  { key: 'hours', seconds: 3600 },
  { key: 'days', seconds: 86400 },
  { key: 'weeks', seconds: 604800 },
] as const;

export const BYTE_UNITS = [
  { key: 'B', factor: 1 },
  { key: 'KiB', factor: 1024 },
  { key: 'MiB', factor: 1024 ** 2 },
  { key: 'GiB', factor: 1024 ** 3 },
  { key: 'TiB', factor: 1024 ** 4 },
] as const;
