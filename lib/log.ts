import pino from 'pino';
import { rawLogFileDir, rawLogLevel } from './env';
import { dailyLogStream } from './server-logs/daily-log-file';

// One logger for web and workers. Level comes from LOG_LEVEL, read without the rest of lib/env's
// validation because the logger must work before (and while) the environment is validated.
// With a data directory (npm start), every line also goes to that day's file under <data dir>/logs
// (lib/server-logs: admin/meta/read-logs and the console's log viewer read them).
const options: pino.LoggerOptions = {
  level: rawLogLevel(),
  base: { pid: process.pid },
  redact: { paths: ['*.Password', '*.password', '*.SessionKey', '*.TOTP', '*.TargetPassword', '*.NewPassword'], censor: '[secret]' },
};
const fileDir = rawLogFileDir();

export const log = fileDir
  ? pino(options, pino.multistream([{ level: 'trace', stream: process.stdout }, { level: 'trace', stream: dailyLogStream(fileDir) }]))
  : pino(options);
