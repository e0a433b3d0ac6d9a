// Where uploaded tenant export archives wait for their import: <HALLEY_DATA_DIR>/imports. The web node writes them
// (admin/halley/organization/import-upload) and the workers read them, so web and workers share the data
// directory (npm start runs both on one machine).
import { join, resolve } from 'node:path';
import { env } from '../env';

export function uploadDir(): string {
  return join(resolve(env().HALLEY_DATA_DIR), 'imports');
}
