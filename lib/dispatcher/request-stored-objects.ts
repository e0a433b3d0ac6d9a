// request-stored-objects: one folder level of a snapshot (TreeID empty: its top level; a folder's `subtree` is
// the TreeID of its contents).
import { z } from 'zod';
import { requireVault } from '../live/require-vault';
import { askDevice, type DispatchTarget } from './ask-device';
import { answerField, ZStoredObject } from './device-answer';

export async function requestStoredObjects(opts: DispatchTarget & { destination: string; snapshotId: string; treeId?: string; options?: unknown }) {
  const r = await askDevice({
    ...opts,
    build: async ({ accountId }) => {
      await requireVault(accountId, opts.destination);
      const args: Record<string, unknown> = { Destination: opts.destination, SnapshotID: opts.snapshotId, TreeID: opts.treeId ?? '' };
      if (opts.options !== undefined) args.Options = opts.options;
      return { type: 'request', op: 'request-stored-objects', args };
    },
  });
  return { Status: 200, Message: 'OK', StoredObjects: answerField(r.data, 'StoredObjects', z.array(ZStoredObject).max(100_000)) };
}
