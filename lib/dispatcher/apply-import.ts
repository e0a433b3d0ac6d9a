// import-apply: the device imports one of the sources request-import-sources listed (settings of another backup
// product on the device) into the account's profile.
import { BadRequestError } from '../errors';
import { newJobId } from '../live/new-job-id';
import { askDevice, type DispatchTarget } from './ask-device';
import { apiMessage } from '../i18n/api-messages';

export async function applyImport(opts: DispatchTarget & { importSourceId: string }) {
  if (opts.importSourceId.trim() === '' || opts.importSourceId.length > 255) throw new BadRequestError(apiMessage('importSourceRequired'));
  const r = await askDevice({ ...opts, build: () => ({ type: 'import-apply', jobId: newJobId(), importSourceId: opts.importSourceId }) });
  return { Status: 200, Message: r.message || 'OK' };
}
