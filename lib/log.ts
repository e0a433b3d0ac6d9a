import pino from 'pino';

// One logger for web and workers. Level comes from LOG_LEVEL; read directly here because the
// logger must work before (and while) the environment is validated.
export const log = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { pid: process.pid },
  redact: { paths: ['*.Password', '*.password', '*.SessionKey', '*.TOTP', '*.TargetPassword', '*.NewPassword'], censor: '[secret]' },
});
