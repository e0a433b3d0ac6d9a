// How many days of daily server log files are kept: Halley's additive ServerConfigOptions field
// HalleyServerLogs.RetentionDays (server-config get|set, Settings → Server), stored as a server setting;
// without one, HALLEY_LOG_RETENTION_DAYS. HALLEY_LOG_RETENTION_DAYS=0 writes no log files at all, and then
// there is nothing to prune.
import { env } from '../env';
import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import { readServerSetting } from '../settings/server-settings';
import { pruneLogFiles } from './daily-log-file';
import { serverLogDir } from './log-dir';

export const LOG_RETENTION_KEY = 'server-log-retention';
const LOG_RETENTION_MIN = 1;
const LOG_RETENTION_MAX = 3650;

type ServerLogOptions = { RetentionDays: number };

export async function readServerLogOptions(opts: { fresh?: boolean } = {}): Promise<ServerLogOptions> {
  const stored = await readServerSetting<Partial<ServerLogOptions>>(LOG_RETENTION_KEY, {}, opts.fresh ? { maxAgeMs: 0 } : undefined);
  const days = typeof stored.RetentionDays === 'number' && stored.RetentionDays >= LOG_RETENTION_MIN ? stored.RetentionDays : env().HALLEY_LOG_RETENTION_DAYS || 30;
  return { RetentionDays: days };
}

/** The value to store for an incoming HalleyServerLogs, or a refusal naming the field. */
export function checkServerLogOptions(value: unknown): ServerLogOptions {
  const days = ((value ?? {}) as { RetentionDays?: unknown }).RetentionDays;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < LOG_RETENTION_MIN || days > LOG_RETENTION_MAX) {
    throw new BadRequestError(apiMessage('fieldIntRange', { field: 'HalleyServerLogs.RetentionDays', min: String(LOG_RETENTION_MIN), max: String(LOG_RETENTION_MAX) }));
  }
  return { RetentionDays: days };
}

/** Deletes the log files of days beyond the retention (the hourly maintenance job, and at once after a change). */
export async function pruneServerLogs(): Promise<number> {
  if (!env().HALLEY_LOG_RETENTION_DAYS) return 0;
  const { RetentionDays } = await readServerLogOptions({ fresh: true });
  return pruneLogFiles(serverLogDir(), RetentionDays);
}
