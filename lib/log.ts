import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';
import { rawLogFileDir, rawLogLevel } from './env';
import { dailyLogStream } from './server-logs/daily-log-file';

/** Fields every log line written while serving one request carries (requestId, endpoint, actor, tenant). */
const requestContext = new AsyncLocalStorage<Record<string, string>>();

/** Runs `fn` with these fields on every log line it writes (lib/api's handler opens one per request). */
export function withRequestContext<T>(fields: Record<string, string>, fn: () => T): T {
  return requestContext.run({ ...fields }, fn);
}

/** Adds fields to the current request's log context (e.g. the actor once authenticated); no-op outside one. */
export function addRequestContext(fields: Record<string, string>): void {
  const store = requestContext.getStore();
  if (store) Object.assign(store, fields);
}

// One logger for web and workers. Level comes from LOG_LEVEL, read without the rest of lib/env's
// validation because the logger must work before (and while) the environment is validated.
// With a data directory (npm start), every line also goes to that day's file under <data dir>/logs
// (lib/server-logs: admin/meta/read-logs and the console's log viewer read them).
const options: pino.LoggerOptions = {
  level: rawLogLevel(),
  base: { pid: process.pid },
  mixin: () => requestContext.getStore() ?? {},
  redact: { paths: ['*.Password', '*.password', '*.SessionKey', '*.TOTP', '*.TargetPassword', '*.NewPassword'], censor: '[secret]' },
};
const fileDir = rawLogFileDir();

export const log = fileDir
  ? pino(options, pino.multistream([{ level: 'trace', stream: process.stdout }, { level: 'trace', stream: dailyLogStream(fileDir) }]))
  : pino(options);
