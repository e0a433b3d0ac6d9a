// SelfBackupOptions (ServerConfigOptions.SelfBackup) as Halley stores them: one ServerSetting row holding
// the whole value sealed (lib/secrets), because every target carries secrets (the archive password,
// storage credentials). Readers outside this folder get either the full value (the workers running a
// backup) or the wire shape with every secret blanked (anything an admin sees).
import { DESTINATIONTYPE } from '../comet/constants';
import { scheduleToRepeat, type ScheduleConfig } from '../email/schedule';
import { BadRequestError } from '../errors';
import { shapeWire } from '../profile/mapper';
import { isBucketId } from '../storage/bucket-paths';
import { s3EndpointUrl } from '../storage/s3-client';
import { objectApiBase } from './locations/storage-role-location';
import { sealJson, unsealJson } from '../secrets';
import { readServerSetting } from '../settings/server-settings';
import { checkTimeZoneField } from '../validation/check-field';
import { apiMessage, causeOf } from '../i18n/api-messages';
import { failureCause } from '../i18n/failure-cause';
import { isS3BucketName } from '../validation/s3-bucket-name';

export const SELF_BACKUP_SETTING = 'self-backup-options';
const MAX_TARGETS = 20;

export type LocationConfig = Record<string, unknown> & {
  DestinationType?: number;
  LocalcopyPath?: string;
  S3Server?: string;
  S3BucketName?: string;
  S3Subdir?: string;
};

export type SelfBackupTarget = Record<string, unknown> & {
  Schedule?: ScheduleConfig[] | null;
  ScheduleTimezone?: string;
  RetentionPolicy?: { Mode?: number; Ranges?: Array<Record<string, number>> | null };
  Location?: LocationConfig;
  EncryptionKey?: string;
  EncryptionKeyFormat?: number;
  Compression?: number;
  ExcludeJobsDB?: boolean;
  IncludeServerLogs?: boolean;
  RestrictToSingleOrgID?: string;
  Index?: number;
};

export type SelfBackupOptions = Record<string, unknown> & { Targets: SelfBackupTarget[] };

/** Location fields that are credentials: never shown, kept when a save sends them blank. */
const LOCATION_SECRETS = ['S3SecretKey', 'CometBucketKey', 'SFTPPassword', 'SFTPPrivateKey', 'FTPPassword', 'AZBAccountKey', 'LocalcopyWinSMBPassword'];

type Stored = { sealed: string };

/** The stored options with their secrets (workers, the runner). */
export async function readSelfBackupOptions(opts: { fresh?: boolean } = {}): Promise<SelfBackupOptions> {
  const stored = await readServerSetting<Stored | null>(SELF_BACKUP_SETTING, null, opts.fresh ? { maxAgeMs: 0 } : {});
  const value = stored?.sealed ? unsealJson<SelfBackupOptions>(stored.sealed) : null;
  return { ...(value ?? {}), Targets: value?.Targets ?? [] };
}

export function sealOptions(options: SelfBackupOptions): Stored {
  return { sealed: sealJson(options) };
}

/** The wire shape an admin may see: every secret blank. */
export function publicSelfBackupOptions(options: SelfBackupOptions): Record<string, unknown> {
  const targets = options.Targets.map((t) => {
    const location = { ...(t.Location ?? {}) };
    for (const k of LOCATION_SECRETS) if (location[k]) location[k] = '';
    return { ...t, EncryptionKey: '', Location: location };
  });
  return shapeWire('SelfBackupOptions', { ...options, Targets: targets }) as Record<string, unknown>;
}

const SUPPORTED_LOCATIONS: ReadonlySet<number> = new Set([DESTINATIONTYPE.DESTINATIONTYPE_LOCALCOPY, DESTINATIONTYPE.DESTINATIONTYPE_S3, DESTINATIONTYPE.DESTINATIONTYPE_COMET]);

/**
 * Validates `incoming` and fills blank secrets from `current` (same Index). Unknown fields are kept as sent.
 * `tenantExists` answers whether a RestrictToSingleOrgID names an organization.
 */
export async function normaliseSelfBackupOptions(
  incoming: unknown,
  current: SelfBackupOptions,
  tenantExists: (id: string) => Promise<boolean>,
): Promise<SelfBackupOptions> {
  if (typeof incoming !== 'object' || incoming === null || Array.isArray(incoming)) throw new BadRequestError(apiMessage('selfBackupNotObject'));
  const raw = incoming as Record<string, unknown>;
  const list = raw.Targets ?? [];
  if (!Array.isArray(list)) throw new BadRequestError(apiMessage('selfBackupTargetsNotList'));
  if (list.length > MAX_TARGETS) throw new BadRequestError(apiMessage('selfBackupTargetsTooMany', { limit: String(MAX_TARGETS) }));
  const byIndex = new Map(current.Targets.map((t) => [Number(t.Index ?? -1), t]));
  const seen = new Set<number>();
  const targets: SelfBackupTarget[] = [];
  for (const [pos, item] of list.entries()) {
    const where = `SelfBackup.Targets[${pos}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new BadRequestError(apiMessage('selfBackupTargetNotObject', { where }));
    const t = { ...(item as SelfBackupTarget) };
    const index = t.Index === undefined || t.Index === null ? pos : Number(t.Index);
    if (!Number.isInteger(index) || index < 0 || index > 1_000_000) throw new BadRequestError(apiMessage('selfBackupIndexInvalid', { where }));
    if (seen.has(index)) throw new BadRequestError(apiMessage('selfBackupIndexTaken', { where, index }));
    seen.add(index);
    t.Index = index;
    const before = byIndex.get(index);

    const location = { ...(t.Location ?? {}) } as LocationConfig;
    const type = Number(location.DestinationType ?? 0);
    if (!SUPPORTED_LOCATIONS.has(type)) {
      throw new BadRequestError(apiMessage('selfBackupTypeUnsupported', { where, type, local: DESTINATIONTYPE.DESTINATIONTYPE_LOCALCOPY, s3: DESTINATIONTYPE.DESTINATIONTYPE_S3, comet: DESTINATIONTYPE.DESTINATIONTYPE_COMET }));
    }
    if (type === DESTINATIONTYPE.DESTINATIONTYPE_LOCALCOPY) {
      const p = String(location.LocalcopyPath ?? '');
      if (!p.startsWith('/') || p.includes('\0') || p.length > 1024) throw new BadRequestError(apiMessage('localPathNotAbsolute', { where }));
    }
    if (type === DESTINATIONTYPE.DESTINATIONTYPE_S3) {
      const server = String(location.S3Server ?? '').trim();
      if (server === '' || server.length > 1024) throw new BadRequestError(apiMessage('s3ServerInvalid', { where }));
      try {
        s3EndpointUrl(server, location.S3UsesTLS === true);
      } catch (err) {
        throw new BadRequestError(apiMessage('fieldCause', { field: `${where}.Location.S3Server`, cause: causeOf(err as Error) }));
      }
      if (!isS3BucketName(String(location.S3BucketName ?? ''))) throw new BadRequestError(apiMessage('s3BucketNameInvalid', { where }));
      if (!String(location.S3AccessKey ?? '')) throw new BadRequestError(apiMessage('s3AccessKeyEmpty', { where }));
      if (String(location.S3Subdir ?? '').length > 512 || String(location.S3Subdir ?? '').includes('\0')) throw new BadRequestError(apiMessage('s3SubdirTooLong', { where }));
    }
    for (const k of LOCATION_SECRETS) {
      if (!location[k] && before?.Location?.[k]) location[k] = before.Location[k];
    }
    if (type === DESTINATIONTYPE.DESTINATIONTYPE_COMET) {
      try {
        objectApiBase(String(location.CometServer ?? ''));
      } catch (err) {
        throw new BadRequestError(apiMessage('cometServerInvalid', { where, reason: failureCause(err) }));
      }
      if (!isBucketId(String(location.CometBucket ?? ''))) throw new BadRequestError(apiMessage('cometBucketInvalid', { where }));
      if (!String(location.CometBucketKey ?? '')) throw new BadRequestError(apiMessage('cometBucketKeyEmpty', { where }));
    }
    t.Location = location;

    if (!t.EncryptionKey && before?.EncryptionKey) t.EncryptionKey = before.EncryptionKey;
    if (typeof t.EncryptionKey !== 'string' || t.EncryptionKey.length < 8 || t.EncryptionKey.length > 1024) {
      throw new BadRequestError(apiMessage('encryptionKeyLength', { where }));
    }
    const compression = t.Compression === undefined || t.Compression === 0 ? 4 : Number(t.Compression);
    if (!Number.isInteger(compression) || compression < 1 || compression > 5) throw new BadRequestError(apiMessage('compressionRange', { where }));
    t.Compression = compression;

    const tz = String(t.ScheduleTimezone ?? '');
    checkTimeZoneField(tz, `${where}.ScheduleTimezone`, { optional: true });
    const schedules = t.Schedule ?? [];
    if (!Array.isArray(schedules) || schedules.length > 50) throw new BadRequestError(apiMessage('scheduleTooMany', { where }));
    for (const [i, s] of schedules.entries()) {
      if (typeof s !== 'object' || s === null || !scheduleToRepeat(s, tz)) {
        throw new BadRequestError(apiMessage('selfBackupFrequencyUnsupported', { where, index: i }));
      }
    }

    const retention = t.RetentionPolicy ?? { Mode: 801, Ranges: [] };
    if (typeof retention !== 'object' || retention === null || Array.isArray(retention)) throw new BadRequestError(apiMessage('retentionNotObject', { where }));
    if (![undefined, 0, 801, 802].includes(retention.Mode as number)) throw new BadRequestError(apiMessage('retentionModeInvalid', { where }));
    const ranges = retention.Ranges ?? [];
    if (!Array.isArray(ranges) || ranges.length > 50 || ranges.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
      throw new BadRequestError(apiMessage('retentionRangesTooMany', { where }));
    }

    const org = String(t.RestrictToSingleOrgID ?? '');
    if (org && !(await tenantExists(org))) throw new BadRequestError(apiMessage('restrictOrgUnknown', { where, id: org.slice(0, 64) }));
    targets.push(t);
  }
  return { ...raw, Targets: targets };
}
