'use server';
// The snapshot browser (components/console/snapshots): every step is a dispatcher call with the signed-in
// admin's session (API-first), relayed to the device.
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

export type VaultSnapshot = { Snapshot: string; Source: string; CreateTime: number; EngineType: string };
export type StoredObject = { name: string; type: string; subtree: string; size: number; mtime: number; f?: number; d?: number };

/** The device's live connection (empty when it is not connected). */
export async function deviceConnection(username: string, deviceId: string): Promise<ActionResult<string>> {
  const res = await apiAction<Record<string, { DeviceID: string }>>('/api/v1/admin/dispatcher/list-active', { UserNameFilter: username });
  if (!res.ok) return res;
  return { ok: true, data: Object.entries(res.data).find(([, c]) => c.DeviceID === deviceId)?.[0] ?? '' };
}

export async function vaultSnapshots(targetId: string, vault: string): Promise<ActionResult<VaultSnapshot[]>> {
  const res = await apiAction<{ Snapshots: VaultSnapshot[] }>('/api/v1/admin/dispatcher/request-vault-snapshots', { TargetID: targetId, Destination: vault });
  return res.ok ? { ok: true, data: [...res.data.Snapshots].sort((a, b) => b.CreateTime - a.CreateTime) } : res;
}

export async function storedObjects(targetId: string, vault: string, snapshot: string, treeId: string): Promise<ActionResult<StoredObject[]>> {
  const res = await apiAction<{ StoredObjects: StoredObject[] }>('/api/v1/admin/dispatcher/request-stored-objects', { TargetID: targetId, Destination: vault, SnapshotID: snapshot, TreeID: treeId });
  return res.ok ? { ok: true, data: res.data.StoredObjects } : res;
}

export async function restoreItems(input: { targetId: string; source: string; vault: string; snapshot: string; paths: string[]; destPath: string; overwrite: boolean }): Promise<ActionResult<{ JobID: string }>> {
  return apiAction<{ JobID: string }>('/api/v1/admin/dispatcher/run-restore-custom', {
    TargetID: input.targetId,
    Source: input.source,
    Destination: input.vault,
    Snapshot: input.snapshot,
    Paths: input.paths,
    Options: { Type: 0, DestPath: input.destPath, OverwriteExistingFiles: input.overwrite },
  });
}

export async function deleteSnapshot(targetId: string, vault: string, snapshot: string): Promise<ActionResult> {
  return apiAction('/api/v1/admin/dispatcher/delete-snapshot', { TargetID: targetId, DestinationID: vault, SnapshotID: snapshot });
}

export async function verifyVault(targetId: string, vault: string): Promise<ActionResult> {
  return apiAction('/api/v1/admin/dispatcher/deepverify-storage-vault', { TargetID: targetId, Destination: vault });
}
