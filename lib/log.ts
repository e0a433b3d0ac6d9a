import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';
import { rawLogLevel } from './env';

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
export const log = pino({
  level: rawLogLevel(),
  base: { pid: process.pid },
  mixin: () => requestContext.getStore() ?? {},
  redact: { paths: ['*.Password', '*.password', '*.SessionKey', '*.TOTP', '*.TargetPassword', '*.NewPassword'], censor: '[secret]' },
});
