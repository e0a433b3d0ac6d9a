// deepverify-storage-vault, reindex-storage-vault and unlock: the device starts the job; its outcome is in the
// job history (JOB_CLASSIFICATION_DEEPVERIFY / _REINDEX / _UNLOCK).
import { requireVault } from '../live/require-vault';
import { newJobId } from '../live/new-job-id';
import { askDevice, type DispatchTarget } from './ask-device';

export async function startVaultJob(opts: DispatchTarget & { op: 'deepverify' | 'reindex' | 'unlock'; destination: string; allowUnsafe?: boolean }) {
  const jobId = newJobId();
  const r = await askDevice({
    ...opts,
    build: async ({ accountId }) => {
      await requireVault(accountId, opts.destination);
      return { type: 'vault-job', op: opts.op, jobId, destination: opts.destination, snapshots: [], allowUnsafe: opts.allowUnsafe ?? false };
    },
  });
  return { Status: 200, Message: r.message || 'OK', JobID: jobId };
}
