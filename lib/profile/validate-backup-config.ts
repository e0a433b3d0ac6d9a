// Validation of a profile's backup configuration (Storage Vaults, Protected Items, Backup Rules and their
// schedules) beyond the wire types (lib/comet/validate checks those). Pure, so the API (set-user-profile*)
// and the console's server actions share it: the API reports the first issues as one message, the
// console shows each next to its field in the UI language (messages "backupConfig.errors.<code>").
//
// Two levels: `error` is refused by the API for every changed entry (a value out of its range, an
// unknown enum, a reference to nothing); `incomplete` (a required field or credential left empty) is
// refused by the console's forms only, since Comet clients may legitimately store drafts.
import { DESTINATIONTYPE, RetentionMode, RetentionRangeType, SCHEDULE, SCHEDULE_FREQUENCY } from '../comet/constants';

const SCHEDULE_MAX_RANDOM_DELAY_SECS = SCHEDULE.SCHEDULE_MAX_RANDOM_DELAY_SECS;
import { isObject, type JsonObject } from './json-value';
import { isHttpUrl } from '../validation/http-url';
import { isS3BucketName } from '../validation/s3-bucket-name';
import { isHostPort } from '../validation/url-parts';

type TConfigSection = 'Destinations' | 'Sources' | 'BackupRules';

export type TConfigIssue = {
  section: TConfigSection;
  id: string;
  /** Field path inside the entry, e.g. ['S3BucketName'] or ['Schedules', 0, 'SecondsPast']. */
  field: Array<string | number>;
  code: string;
  level: 'error' | 'incomplete';
  /** Values for the message ({min}, {max}, ...). */
  values?: Record<string, string | number>;
};

/** Secret fields that hold a sealed value, per vault id (paths joined with "."). */
export type TSealedFields = Record<string, string[]>;

const DESTINATION_TYPES = new Set<number>(Object.values(DESTINATIONTYPE).filter((v) => v !== DESTINATIONTYPE.DESTINATIONTYPE___INVALID && v !== DESTINATIONTYPE.DESTINATIONTYPE_ERROR && v !== DESTINATIONTYPE.DESTINATIONTYPE_ALL && v !== DESTINATIONTYPE.DESTINATIONTYPE_LATEST));
const FREQUENCIES = new Set<number>(Object.values(SCHEDULE_FREQUENCY));
const RANGE_TYPES = new Set<number>(Object.entries(RetentionRangeType).filter(([k]) => !k.includes('__')).map(([, v]) => v));
const RETENTION_MODES = new Set<number>(Object.values(RetentionMode));
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const obj = (v: unknown): JsonObject => (isObject(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0);

class Collector {
  readonly issues: TConfigIssue[] = [];
  constructor(
    private readonly section: TConfigSection,
    private readonly id: string,
  ) {}
  add(field: Array<string | number>, code: string, level: TConfigIssue['level'] = 'error', values?: TConfigIssue['values']): void {
    this.issues.push({ section: this.section, id: this.id, field, code, level, ...(values ? { values } : {}) });
  }
}



type SecretCheck = (field: string) => boolean;

function requireText(c: Collector, v: JsonObject, path: string[], code = 'required'): void {
  let cur: unknown = v;
  for (const k of path) cur = obj(cur)[k];
  if (str(cur).trim() === '') c.add(path, code, 'incomplete');
}

function requireSecret(c: Collector, v: JsonObject, path: string[], isSealed: SecretCheck): void {
  let cur: unknown = v;
  for (const k of path) cur = obj(cur)[k];
  if (str(cur) === '' && !isSealed(path.join('.'))) c.add(path, 'secretRequired', 'incomplete');
}

function validateRetention(c: Collector, field: Array<string | number>, policy: unknown): void {
  if (policy === undefined || policy === null) return;
  const p = obj(policy);
  const mode = num(p.Mode);
  const ranges = Array.isArray(p.Ranges) ? p.Ranges : [];
  if (mode === 0 && ranges.length === 0) return; // the zero value Go writes for "no policy set"
  if (!RETENTION_MODES.has(mode)) c.add([...field, 'Mode'], 'retentionMode');
  if (mode === RetentionMode.RETENTIONMODE_DELETE_EXCEPT && ranges.length === 0) c.add([...field, 'Ranges'], 'retentionRangesRequired');
  ranges.forEach((r, i) => {
    const range = obj(r);
    if (!RANGE_TYPES.has(num(range.Type))) c.add([...field, 'Ranges', i, 'Type'], 'retentionRangeType');
    for (const k of ['Jobs', 'Days', 'Weeks', 'Months', 'Years']) if (num(range[k]) < 0) c.add([...field, 'Ranges', i, k], 'notNegative');
  });
}

/** Issues of one Storage Vault (DestinationConfig). */
function validateVault(id: string, vault: unknown, isSealed: SecretCheck = () => false): TConfigIssue[] {
  const c = new Collector('Destinations', id);
  const v = obj(vault);
  const type = num(v.DestinationType);
  if (str(v.Description).trim() === '') c.add(['Description'], 'required', 'incomplete');
  if (!DESTINATION_TYPES.has(type)) c.add(['DestinationType'], 'destinationType');
  if (num(v.StorageLimitBytes) < 0) c.add(['StorageLimitBytes'], 'notNegative');
  if (v.StorageLimitEnabled === true && num(v.StorageLimitBytes) <= 0) c.add(['StorageLimitBytes'], 'limitRequired', 'incomplete');
  validateRetention(c, ['DefaultRetention'], v.DefaultRetention);
  switch (type) {
    case DESTINATIONTYPE.DESTINATIONTYPE_S3: {
      const server = str(v.S3Server);
      if (server !== '' && !isHostPort(server)) c.add(['S3Server'], 'hostPort');
      requireText(c, v, ['S3Server']);
      requireText(c, v, ['S3BucketName']);
      if (str(v.S3BucketName) !== '' && !isS3BucketName(str(v.S3BucketName))) c.add(['S3BucketName'], 'bucketName');
      requireText(c, v, ['S3AccessKey']);
      requireSecret(c, v, ['S3SecretKey'], isSealed);
      const lockMode = num(v.S3ObjectLockMode);
      if (![0, 1, 2].includes(lockMode)) c.add(['S3ObjectLockMode'], 'objectLockMode');
      if (num(v.S3ObjectLockDays) < 0) c.add(['S3ObjectLockDays'], 'notNegative');
      if (lockMode === 1 && num(v.S3ObjectLockDays) < 1) c.add(['S3ObjectLockDays'], 'objectLockDays', 'incomplete');
      break;
    }
    case DESTINATIONTYPE.DESTINATIONTYPE_COMET: {
      const server = str(v.CometServer);
      if (server !== '' && !isHttpUrl(server)) c.add(['CometServer'], 'httpUrl');
      requireText(c, v, ['CometServer']);
      requireText(c, v, ['CometBucket']);
      requireSecret(c, v, ['CometBucketKey'], isSealed);
      break;
    }
    case DESTINATIONTYPE.DESTINATIONTYPE_LOCALCOPY:
      requireText(c, v, ['LocalcopyPath']);
      break;
    case DESTINATIONTYPE.DESTINATIONTYPE_SFTP: {
      const server = str(v.SFTPServer);
      if (server !== '' && !isHostPort(server)) c.add(['SFTPServer'], 'hostPort');
      requireText(c, v, ['SFTPServer']);
      requireText(c, v, ['SFTPUsername']);
      const mode = num(v.SFTPAuthMode);
      if (![0, 1, 2].includes(mode)) c.add(['SFTPAuthMode'], 'sftpAuthMode');
      if (mode === 1) requireSecret(c, v, ['SFTPPassword'], isSealed);
      if (mode === 2) requireSecret(c, v, ['SFTPPrivateKey'], isSealed);
      break;
    }
    case DESTINATIONTYPE.DESTINATIONTYPE_FTP: {
      const server = str(v.FTPServer);
      if (server !== '' && !isHostPort(server)) c.add(['FTPServer'], 'hostPort');
      requireText(c, v, ['FTPServer']);
      const port = num(v.FTPPort);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) c.add(['FTPPort'], 'range', 'error', { min: 0, max: 65_535 });
      if (![0, 1, 2].includes(num(v.FTPSMode))) c.add(['FTPSMode'], 'range', 'error', { min: 0, max: 2 });
      if (num(v.FTPMaxConnections) < 0) c.add(['FTPMaxConnections'], 'notNegative');
      break;
    }
    case DESTINATIONTYPE.DESTINATIONTYPE_B2:
      requireText(c, v, ['B2', 'AccountID']);
      requireText(c, v, ['B2', 'Bucket']);
      requireSecret(c, v, ['B2', 'Key'], isSealed);
      break;
    case DESTINATIONTYPE.DESTINATIONTYPE_AZUREBLOB:
      requireText(c, v, ['AZBAccountName']);
      requireText(c, v, ['AZBContainer']);
      requireSecret(c, v, ['AZBAccountKey'], isSealed);
      break;
    case DESTINATIONTYPE.DESTINATIONTYPE_WEBDAV: {
      const server = str(obj(v.WebDav).DavServer);
      if (server !== '' && !isHttpUrl(server)) c.add(['WebDav', 'DavServer'], 'httpUrl');
      requireText(c, v, ['WebDav', 'DavServer']);
      break;
    }
    case DESTINATIONTYPE.DESTINATIONTYPE_SMB: {
      // host or host:port (the agent connects to 445 unless a port is given).
      const server = str(obj(v.SMB).SMBServer);
      if (server !== '' && !isHostPort(server)) c.add(['SMB', 'SMBServer'], 'hostPort');
      requireText(c, v, ['SMB', 'SMBServer']);
      requireText(c, v, ['SMB', 'SMBShare']);
      break;
    }
  }
  return c.issues;
}

/** Issues of one Protected Item (SourceConfig); `vaultIds` and `deviceIds` are the profile's. */
function validateItem(id: string, item: unknown, ctx: { vaultIds: ReadonlySet<string>; deviceIds: ReadonlySet<string> }): TConfigIssue[] {
  const c = new Collector('Sources', id);
  const s = obj(item);
  if (str(s.Engine).trim() === '') c.add(['Engine'], 'required');
  if (str(s.Description).trim() === '') c.add(['Description'], 'required', 'incomplete');
  const owner = str(s.OwnerDevice);
  if (owner !== '' && !ctx.deviceIds.has(owner)) c.add(['OwnerDevice'], 'unknownDevice', 'incomplete');
  if (str(s.Engine) === 'engine1/file') {
    const props = obj(s.EngineProps);
    const includes = Object.keys(props).filter((k) => /^INCLUDE\d*$/.test(k) && str(props[k]).trim() !== '');
    if (includes.length === 0) c.add(['EngineProps', 'INCLUDE0'], 'includeRequired', 'incomplete');
  }
  const overrides = obj(s.OverrideDestinationRetention);
  for (const vaultId of Object.keys(overrides)) {
    if (!ctx.vaultIds.has(vaultId)) c.add(['OverrideDestinationRetention', vaultId], 'unknownVault');
    validateRetention(c, ['OverrideDestinationRetention', vaultId], overrides[vaultId]);
  }
  return c.issues;
}

/** Issues of one schedule (ScheduleConfig) at Schedules[index]. */
function validateSchedule(c: Collector, index: number, schedule: unknown): void {
  const s = obj(schedule);
  const at = (k: string): Array<string | number> => ['Schedules', index, k];
  const freq = num(s.FrequencyType);
  const secs = num(s.SecondsPast);
  if (!FREQUENCIES.has(freq)) {
    c.add(at('FrequencyType'), 'frequency');
    return;
  }
  if (secs < 0) c.add(at('SecondsPast'), 'notNegative');
  switch (freq) {
    case SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_HOURLY:
      if (secs >= 3600) c.add(at('SecondsPast'), 'range', 'error', { min: 0, max: 3599 });
      break;
    case SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_PERIODIC:
      if (secs < 60) c.add(at('SecondsPast'), 'periodMinimum', 'error', { min: 60 });
      break;
    case SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_DAILY:
    case SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_WEEKLY:
    case SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_MONTHLY:
    case SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_YEARLY:
      if (secs >= 86_400) c.add(at('SecondsPast'), 'range', 'error', { min: 0, max: 86_399 });
      break;
  }
  if (freq === SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_MONTHLY || freq === SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_YEARLY) {
    const day = num(s.SelectedDay);
    if (day < 1 || day > 31) c.add(at('SelectedDay'), 'range', 'error', { min: 1, max: 31 });
  }
  if (freq === SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_YEARLY) {
    const month = num(s.SelectedMonth);
    if (month < 1 || month > 12) c.add(at('SelectedMonth'), 'range', 'error', { min: 1, max: 12 });
  }
  if (s.RestrictRuntime === true) {
    for (const k of ['FromTime', 'ToTime'] as const) {
      const t = obj(s[k]);
      if (num(t.Hour) < 0 || num(t.Hour) > 23) c.add([...at(k), 'Hour'], 'range', 'error', { min: 0, max: 23 });
      if (num(t.Minutes) < 0 || num(t.Minutes) > 59) c.add([...at(k), 'Minutes'], 'range', 'error', { min: 0, max: 59 });
    }
  }
  const days = obj(s.DaysSelect);
  if ((s.RestrictDays === true || freq === SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_WEEKLY) && !DAY_NAMES.some((d) => days[d] === true)) {
    c.add(at('DaysSelect'), 'daysRequired', 'incomplete');
  }
  const delay = num(s.RandomDelaySecs);
  if (delay < 0 || delay > SCHEDULE_MAX_RANDOM_DELAY_SECS) c.add(at('RandomDelaySecs'), 'range', 'error', { min: 0, max: SCHEDULE_MAX_RANDOM_DELAY_SECS });
}

/** Issues of one Backup Rule (BackupRuleConfig) and its schedules. */
export function validateRule(id: string, rule: unknown, ctx: { vaultIds: ReadonlySet<string>; itemIds: ReadonlySet<string> }): TConfigIssue[] {
  const c = new Collector('BackupRules', id);
  const r = obj(rule);
  if (str(r.Description).trim() === '') c.add(['Description'], 'required', 'incomplete');
  if (!ctx.itemIds.has(str(r.Source))) c.add(['Source'], 'unknownItem');
  if (!ctx.vaultIds.has(str(r.Destination))) c.add(['Destination'], 'unknownVault');
  const schedules = Array.isArray(r.Schedules) ? r.Schedules : [];
  schedules.forEach((s, i) => validateSchedule(c, i, s));
  const triggers = obj(r.EventTriggers);
  if (num(triggers.LastJobFailDoRetryCount) < 0) c.add(['EventTriggers', 'LastJobFailDoRetryCount'], 'notNegative');
  return c.issues;
}

/**
 * Issues of the vaults, items and rules of `profile` that differ from `stored` (all of them when
 * `stored` is null), so that an old entry Halley would now refuse does not block unrelated edits.
 */
export function validateBackupConfig(profile: JsonObject, stored: JsonObject | null, sealed: TSealedFields = {}): TConfigIssue[] {
  const vaults = obj(profile.Destinations);
  const items = obj(profile.Sources);
  const rules = obj(profile.BackupRules);
  const vaultIds = new Set(Object.keys(vaults));
  const itemIds = new Set(Object.keys(items));
  const deviceIds = new Set(Object.keys(obj(profile.Devices)));
  const changed = (section: TConfigSection, id: string, value: unknown): boolean => {
    if (!stored) return true;
    const before = obj(stored[section])[id];
    return before === undefined || stableJson(strip(before)) !== stableJson(strip(value));
  };
  const issues: TConfigIssue[] = [];
  for (const id of Object.keys(vaults)) {
    if (changed('Destinations', id, vaults[id])) issues.push(...validateVault(id, vaults[id], (f) => sealed[id]?.includes(f) === true));
  }
  for (const id of Object.keys(items)) if (changed('Sources', id, items[id])) issues.push(...validateItem(id, items[id], { vaultIds, deviceIds }));
  for (const id of Object.keys(rules)) if (changed('BackupRules', id, rules[id])) issues.push(...validateRule(id, rules[id], { vaultIds, itemIds }));
  return issues;
}

/** Comparison view: statistics and timestamps do not make an entry "changed". */
function strip(v: unknown): unknown {
  if (!isObject(v)) return v;
  const { Statistics: _s, ModifyTime: _m, ...rest } = v;
  return rest;
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(typeof v === 'bigint' ? Number(v) : v) ?? 'null';
}

const MESSAGES: Record<string, string> = {
  required: 'is required',
  secretRequired: 'is required (no value is stored yet)',
  destinationType: 'is not a known DESTINATIONTYPE_ value',
  notNegative: 'must not be negative',
  limitRequired: 'must be more than 0 when the storage limit is on',
  hostPort: 'must be a host name or address with an optional :port, without scheme or path',
  httpUrl: 'must be an http:// or https:// URL',
  bucketName: 'must be 3-63 lower-case letters, digits, dots or hyphens',
  objectLockMode: 'must be 0 (legacy), 1 (on) or 2 (off)',
  objectLockDays: 'must be at least 1 when object lock is on',
  sftpAuthMode: 'must be 0 (native), 1 (password) or 2 (private key)',
  unknownDevice: 'names a device the user does not have',
  unknownVault: 'names a Storage Vault the profile does not have',
  unknownItem: 'names a Protected Item the profile does not have',
  includeRequired: 'needs at least one folder or file to back up',
  retentionMode: 'must be RETENTIONMODE_KEEP_EVERYTHING (801) or RETENTIONMODE_DELETE_EXCEPT (802)',
  retentionRangesRequired: 'needs at least one range to keep when deleting everything else',
  retentionRangeType: 'is not a known RETENTIONRANGE_ value',
  frequency: 'is not a known SCHEDULE_FREQUENCY_ value',
  range: 'must be between {min} and {max}',
  periodMinimum: 'must be at least {min} seconds',
  daysRequired: 'needs at least one day of the week',
};

/** An English message for the API ("ProfileData.Destinations.<id>.S3BucketName is required"). */
export function issueMessage(issue: TConfigIssue): string {
  const text = (MESSAGES[issue.code] ?? 'is not valid').replace(/\{(\w+)\}/g, (_, k: string) => String(issue.values?.[k] ?? ''));
  return `ProfileData.${issue.section}.${issue.id}.${issue.field.join('.')} ${text}`;
}
