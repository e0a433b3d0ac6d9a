'use server';
// Settings → Constellation, through the admin API: the organization's Constellation Role options and target servers
// (admin/meta/constellation/config/get|set), a report now (admin/constellation/new-report), a sweep now (top level,
// admin/constellation/prune-now), taking a bucket out of quarantine (admin/constellation/restore-bucket) and trying a
// target server's credentials (admin/halley/constellation/test-server).
import { revalidatePath } from 'next/cache';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

export type ConstellationServer = { Type: string; Description: string; RemoteAddress: string; Username: string; Password?: string };
export type ConstellationOptions = { RoleEnabled: boolean; DeleteUnusedData: boolean; Servers: ConstellationServer[] };

export async function saveConstellationOptions(roleEnabled: boolean, deleteUnusedData: boolean): Promise<ActionResult> {
  const current = await apiAction<ConstellationOptions>('/api/v1/admin/meta/constellation/config/get');
  if (!current.ok) return current;
  const res = await apiAction('/api/v1/admin/meta/constellation/config/set', {
    ConstellationRoleOptions: { ...current.data, RoleEnabled: roleEnabled, DeleteUnusedData: roleEnabled && deleteUnusedData },
  });
  if (res.ok) revalidatePath('/settings/constellation');
  return res;
}

/** Replaces the organization's Servers (an empty Password keeps that server's stored one). */
export async function saveConstellationServers(servers: ConstellationServer[]): Promise<ActionResult> {
  const current = await apiAction<ConstellationOptions>('/api/v1/admin/meta/constellation/config/get');
  if (!current.ok) return current;
  const res = await apiAction('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { ...current.data, Servers: servers } });
  if (res.ok) revalidatePath('/settings/constellation');
  return res;
}

export async function runConstellationReport(): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/constellation/new-report');
  if (res.ok) revalidatePath('/settings/constellation');
  return res;
}

export async function pruneConstellation(): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/constellation/prune-now');
  if (res.ok) revalidatePath('/settings/constellation');
  return res;
}

export async function restoreBucket(bucketId: string): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/constellation/restore-bucket', { BucketID: bucketId });
  if (res.ok) revalidatePath('/settings/constellation');
  return res;
}

/** Tries a target server (an empty Password uses the stored one of the same address and user). */
export async function testConstellationServer(server: ConstellationServer): Promise<ActionResult<{ Address: string; Buckets: number }>> {
  return apiAction<{ Address: string; Buckets: number }>('/api/v1/admin/halley/constellation/test-server', { RemoteServer: { ...server, Type: 'comet' } });
}
