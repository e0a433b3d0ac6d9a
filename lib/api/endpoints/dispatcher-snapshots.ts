// Snapshots in a device's storage vaults (issue 15): list, browse, search, restore chosen items, delete, and
// vault maintenance. The device does the work (agent/ for the reference agent); lib/dispatcher relays it.
import { deleteSnapshots } from '../../dispatcher/delete-snapshots';
import { requestStoredObjects } from '../../dispatcher/request-stored-objects';
import { requestVaultSnapshots } from '../../dispatcher/request-vault-snapshots';
import { runRestoreCustom } from '../../dispatcher/run-restore-custom';
import { searchSnapshots } from '../../dispatcher/search-snapshots';
import { startVaultJob } from '../../dispatcher/start-vault-job';
import { p } from '../params';
import { dispatcherTwin } from './dispatcher-twin';

const message = (o: { Status: number; Message: string }) => ({ Status: o.Status, Message: o.Message });

export const dispatcherSnapshotEndpoints = [
  ...dispatcherTwin({
    cmd: 'request-vault-snapshots',
    summary: 'List the snapshots in a storage vault, as the device sees them',
    params: { TargetID: p.string(), Destination: p.string() },
    returns: 'DispatcherVaultSnapshotsResponse',
    handler: ({ actor, params }) => requestVaultSnapshots({ actor, targetId: params.TargetID, destination: params.Destination }),
  }),
  ...dispatcherTwin({
    cmd: 'request-stored-objects',
    summary: "Browse one folder of a snapshot (TreeID: a folder's subtree; empty: the top level)",
    params: { TargetID: p.string(), Destination: p.string(), SnapshotID: p.string(), TreeID: p.string().opt(), Options: p.json('VMDKSnapshotViewOptions').opt() },
    returns: 'DispatcherStoredObjectsResponse',
    handler: ({ actor, params }) =>
      requestStoredObjects({ actor, targetId: params.TargetID, destination: params.Destination, snapshotId: params.SnapshotID, treeId: params.TreeID, options: params.Options }),
  }),
  ...dispatcherTwin({
    cmd: 'search-snapshots',
    summary: 'Find files matching a filter (fields name, path, type, size, mtime) in snapshots of a vault',
    params: { TargetID: p.string(), DestinationID: p.string(), SnapshotIDs: p.json<string[]>('[]string'), Filter: p.json('SearchClause') },
    returns: 'SearchSnapshotsResponse',
    handler: ({ actor, params }) => searchSnapshots({ actor, targetId: params.TargetID, destination: params.DestinationID, snapshotIds: params.SnapshotIDs, filter: params.Filter }),
  }),
  ...dispatcherTwin({
    cmd: 'delete-snapshot',
    summary: 'Delete one snapshot from a storage vault (unused data is freed in a job)',
    params: { TargetID: p.string(), DestinationID: p.string(), SnapshotID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => message(await deleteSnapshots({ actor, targetId: params.TargetID, destination: params.DestinationID, snapshotIds: [params.SnapshotID] })),
  }),
  ...dispatcherTwin({
    cmd: 'delete-snapshots',
    summary: 'Delete several snapshots from a storage vault (unused data is freed in a job)',
    params: { TargetID: p.string(), DestinationID: p.string(), SnapshotIDs: p.json<string[]>('[]string') },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => message(await deleteSnapshots({ actor, targetId: params.TargetID, destination: params.DestinationID, snapshotIds: params.SnapshotIDs })),
  }),
  ...dispatcherTwin({
    cmd: 'run-restore-custom',
    summary: 'Restore chosen paths of a snapshot with advanced options (destination folder, overwrite rules)',
    params: {
      TargetID: p.string(),
      Source: p.string(),
      Destination: p.string(),
      Options: p.json('RestoreJobAdvancedOptions'),
      Snapshot: p.string().opt(),
      Paths: p.json<string[]>('[]string').opt(),
      KnownFileCount: p.int().opt(),
      KnownByteCount: p.int().opt(),
      KnownDirCount: p.int().opt(),
    },
    returns: 'DispatchWithJobIDResponse',
    userReturns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) =>
      runRestoreCustom({ actor, targetId: params.TargetID, source: params.Source, destination: params.Destination, options: params.Options, snapshot: params.Snapshot, paths: params.Paths }),
  }),
  ...dispatcherTwin({
    cmd: 'deepverify-storage-vault',
    summary: 'Start a deep verification of a storage vault (every chunk read back and checked; outcome in the job history)',
    user: false,
    params: { TargetID: p.string(), Destination: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => message(await startVaultJob({ actor, targetId: params.TargetID, op: 'deepverify', destination: params.Destination })),
  }),
  ...dispatcherTwin({
    cmd: 'reindex-storage-vault',
    summary: "Start a reindex of a storage vault (snapshot indexes re-read, missing data reported, size remeasured)",
    user: false,
    params: { TargetID: p.string(), Destination: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => message(await startVaultJob({ actor, targetId: params.TargetID, op: 'reindex', destination: params.Destination })),
  }),
  ...dispatcherTwin({
    cmd: 'unlock',
    summary: 'Start an unlock of a storage vault (leftovers of interrupted writes removed)',
    user: false,
    params: { TargetID: p.string(), Destination: p.string(), AllowUnsafe: p.bool().opt() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => message(await startVaultJob({ actor, targetId: params.TargetID, op: 'unlock', destination: params.Destination, allowUnsafe: params.AllowUnsafe })),
  }),
];
