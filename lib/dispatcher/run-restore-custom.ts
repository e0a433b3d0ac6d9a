// run-restore-custom: restore chosen paths of a snapshot with Comet's RestoreJobAdvancedOptions (where to, and
// what to do with files that exist). The device refuses restore types it has no engine for.
import { BadRequestError } from '../errors';
import { newJobId } from '../live/new-job-id';
import { requireItem } from '../live/require-item';
import { requireVault } from '../live/require-vault';
import { askDevice, type DispatchTarget } from './ask-device';
import { apiMessage } from '../i18n/api-messages';

export async function runRestoreCustom(opts: DispatchTarget & { source: string; destination: string; options: unknown; snapshot?: string; paths?: unknown }) {
  const options = opts.options;
  if (!options || typeof options !== 'object' || Array.isArray(options)) throw new BadRequestError(apiMessage('restoreOptionsNotObject'));
  const o = options as Record<string, unknown>;
  if (o.Type !== undefined && (typeof o.Type !== 'number' || !Number.isInteger(o.Type))) throw new BadRequestError(apiMessage('restoreTypeInvalid'));
  if (!o.DestIsOriginalLocation && (o.Type ?? 0) === 0 && (typeof o.DestPath !== 'string' || o.DestPath.trim() === '')) {
    throw new BadRequestError(apiMessage('restoreDestPathRequired'));
  }
  if (opts.paths !== undefined && (!Array.isArray(opts.paths) || opts.paths.some((p) => typeof p !== 'string' || p.length > 4096) || opts.paths.length > 10_000)) {
    throw new BadRequestError(apiMessage('restorePathsInvalid'));
  }
  // Credentials some restore types carry are for the device only: they are sent to it and stored nowhere.
  const jobId = newJobId();
  await askDevice({
    ...opts,
    build: async ({ accountId }) => {
      await requireItem(accountId, opts.source);
      await requireVault(accountId, opts.destination);
      return { type: 'run-restore-custom', jobId, source: opts.source, destination: opts.destination, snapshot: opts.snapshot ?? '', paths: (opts.paths as string[] | undefined) ?? [], options: o };
    },
  });
  return { Status: 200, Message: 'OK', JobID: jobId };
}
