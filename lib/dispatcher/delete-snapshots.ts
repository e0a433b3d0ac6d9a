// delete-snapshot(s): the device removes the snapshots from the vault at once, then frees the data nothing
// refers to any more in a JOB_CLASSIFICATION_DELETE_CUSTOM job (visible in the job history).
import { requireVault } from '../live/require-vault';
import { newJobId } from '../live/new-job-id';
import { askDevice, type DispatchTarget } from './ask-device';
import { checkSnapshotIds } from './snapshot-ids';

export async function deleteSnapshots(opts: DispatchTarget & { destination: string; snapshotIds: unknown }) {
  const ids = checkSnapshotIds(opts.snapshotIds);
  const r = await askDevice({
    ...opts,
    build: async ({ accountId }) => {
      await requireVault(accountId, opts.destination);
      return { type: 'vault-job', op: 'delete-snapshots', jobId: newJobId(), destination: opts.destination, snapshots: ids, allowUnsafe: false };
    },
  });
  return { Status: 200, Message: r.message || 'OK' };
}
