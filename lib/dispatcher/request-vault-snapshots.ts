// request-vault-snapshots: the snapshots a device can see in one of its account's storage vaults.
import { z } from 'zod';
import { requireVault } from '../live/require-vault';
import { askDevice, type DispatchTarget } from './ask-device';
import { answerField, ZVaultSnapshot } from './device-answer';

export async function requestVaultSnapshots(opts: DispatchTarget & { destination: string }) {
  const r = await askDevice({
    ...opts,
    build: async ({ accountId }) => {
      await requireVault(accountId, opts.destination);
      return { type: 'request', op: 'request-vault-snapshots', args: { Destination: opts.destination } };
    },
  });
  return { Status: 200, Message: 'OK', Snapshots: answerField(r.data, 'Snapshots', z.array(ZVaultSnapshot).max(100_000)) };
}
