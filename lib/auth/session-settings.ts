// Comet's ServerConfigOptions.SessionSettings (server-config get|set): how long an idle session lives.
// ExpiredInSeconds 0 means Halley's default (HALLEY_SESSION_TIMEOUT_SECONDS). Read through the settings cache,
// so a change made on one node is in effect on every node within seconds, without a restart.
import { env } from '../env';
import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import { readServerSetting } from '../settings/server-settings';

export const SESSION_SETTINGS_KEY = 'session-settings';
const SESSION_TIMEOUT_MIN = 60;
const SESSION_TIMEOUT_MAX = 30 * 24 * 3600;

type SessionSettings = { ExpiredInSeconds: number };

/** The stored SessionSettings (0: the default). */
export async function readSessionSettings(opts: { fresh?: boolean } = {}): Promise<SessionSettings> {
  const stored = await readServerSetting<Partial<SessionSettings>>(SESSION_SETTINGS_KEY, {}, opts.fresh ? { maxAgeMs: 0 } : undefined);
  return { ExpiredInSeconds: typeof stored.ExpiredInSeconds === 'number' ? stored.ExpiredInSeconds : 0 };
}

/** Seconds a session lives after its last use. */
export async function sessionTimeoutSeconds(): Promise<number> {
  return (await readSessionSettings()).ExpiredInSeconds || env().HALLEY_SESSION_TIMEOUT_SECONDS;
}

/** The value to store for an incoming SessionSettings, or a refusal naming the field. */
export function checkSessionSettings(value: unknown): SessionSettings {
  const v = (value ?? {}) as { ExpiredInSeconds?: unknown };
  const seconds = v.ExpiredInSeconds ?? 0;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || (seconds !== 0 && (seconds < SESSION_TIMEOUT_MIN || seconds > SESSION_TIMEOUT_MAX))) {
    throw new BadRequestError(apiMessage('sessionTimeoutRange', { field: 'SessionSettings.ExpiredInSeconds', min: String(SESSION_TIMEOUT_MIN), max: String(SESSION_TIMEOUT_MAX) }));
  }
  return { ExpiredInSeconds: seconds };
}
