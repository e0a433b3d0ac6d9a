import { join, resolve } from 'node:path';
import { env } from '../env';

/** Where the daily server log files are (lib/log.ts writes them there when the data directory is set). */
export function serverLogDir(): string {
  return join(resolve(env().HALLEY_DATA_DIR), 'logs');
}
