'use server';
import { revalidatePath } from 'next/cache';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

type GroupPolicy = Record<string, unknown> & { Policy?: Record<string, unknown> };

export async function createPolicy(description: string, organization?: string): Promise<ActionResult<{ PolicyID: string }>> {
  const res = await apiAction<{ PolicyID: string }>('/api/v1/admin/policies/new', {
    Policy: { Description: description, ...(organization !== undefined ? { OrganizationID: organization } : {}), Policy: {} },
  });
  if (res.ok) revalidatePath('/policies');
  return res;
}

/** Writes the edited fields over the stored policy, guarded by the hash the editor was built from. */
export async function savePolicy(id: string, hash: string, patch: { Description: string; DefaultUserPolicy: boolean; Policy: Record<string, unknown> }): Promise<ActionResult> {
  const current = await apiAction<{ Policy: GroupPolicy; PolicyHash: string }>('/api/v1/admin/policies/get', { PolicyID: id });
  if (!current.ok) return current;
  const merged = { ...current.data.Policy, Description: patch.Description, DefaultUserPolicy: patch.DefaultUserPolicy, Policy: { ...(current.data.Policy.Policy ?? {}), ...patch.Policy } };
  const res = await apiAction('/api/v1/admin/policies/set', { PolicyID: id, Policy: merged, CheckPolicyHash: hash });
  if (!res.ok) return res.status === 409 ? { ok: false, status: 409, message: 'conflict' } : res;
  revalidatePath(`/policies/${id}`);
  return res;
}

export async function deletePolicy(id: string): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/policies/delete', { PolicyID: id });
  if (res.ok) revalidatePath('/policies');
  return res;
}

/** Applies the policy to a user: their profile's PolicyID, saved with the profile hash check. */
export async function applyPolicy(id: string, username: string): Promise<ActionResult> {
  const current = await apiAction<{ Profile: Record<string, unknown>; ProfileHash: string }>('/api/v1/admin/get-user-profile-and-hash', { TargetUser: username });
  if (!current.ok) return current;
  const res = await apiAction('/api/v1/admin/set-user-profile-hash', { TargetUser: username, ProfileData: { ...current.data.Profile, PolicyID: id }, RequireHash: current.data.ProfileHash });
  if (res.ok) revalidatePath(`/policies/${id}`);
  return res;
}
