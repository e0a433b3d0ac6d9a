'use server';
// Settings → Shared quotas and the vault editor's quota picker, through the admin API (admin/squota/*). An edit is
// guarded by the hash the page was rendered with, so a quota changed by someone else meanwhile is not overwritten.
import { revalidatePath } from 'next/cache';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

export type SharedQuota = { Description: string; OrganizationID: string; LimitBytes: number };

export async function saveSharedQuota(id: string, quota: SharedQuota, hash?: string): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/squota/set-with-hash', { SharedStorageQuotaID: id, SharedStorageQuota: quota, ...(hash ? { CheckHash: hash } : {}) });
  if (res.ok) revalidatePath('/settings/quotas');
  return res;
}

export async function deleteSharedQuota(id: string): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/squota/delete', { SharedStorageQuotaID: id });
  if (res.ok) revalidatePath('/settings/quotas');
  return res;
}

/** The quotas a vault of this user may name: those of the user's organization (id → description). */
export async function sharedQuotaChoices(username: string): Promise<ActionResult<Array<{ id: string; description: string }>>> {
  const [profile, list] = await Promise.all([
    apiAction<{ OrganizationID?: string }>('/api/v1/admin/get-user-profile', { TargetUser: username }),
    apiAction<{ Entries: Record<string, SharedQuota> }>('/api/v1/admin/squota/list-all'),
  ]);
  if (!profile.ok) return profile;
  if (!list.ok) return list;
  const org = profile.data.OrganizationID ?? '';
  return {
    ok: true,
    data: Object.entries(list.data.Entries ?? {})
      .filter(([, q]) => q.OrganizationID === org)
      .map(([id, q]) => ({ id, description: q.Description })),
  };
}
