import pino from 'pino';
import { rawLogLevel } from './env';

// One logger for web and workers. Level comes from LOG_LEVEL, read without the rest of lib/env's
// validation because the logger must work before (and while) the environment is validated.
export const log = pino({
  level: rawLogLevel(),
  base: { pid: process.pid },
  redact: { paths: ['*.Password', '*.password', '*.SessionKey', '*.TOTP', '*.TargetPassword', '*.NewPassword'], censor: '[secret]' },
});
