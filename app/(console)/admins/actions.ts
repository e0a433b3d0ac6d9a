'use server';
import { revalidatePath } from 'next/cache';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

export async function createAdmin(input: { username: string; password: string; organization: string }): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/admin-user/new', { TargetUser: input.username, TargetPassword: input.password, TargetOrgID: input.organization || undefined });
  if (res.ok) revalidatePath('/admins');
  return res;
}

export async function setPermissions(username: string, permissions: Record<string, boolean>): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/admin-user/set-permissions', { TargetUser: username, Permissions: permissions });
  if (res.ok) revalidatePath('/admins');
  return res;
}

export async function deleteAdmin(username: string): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/admin-user/delete', { TargetUser: username });
  if (res.ok) revalidatePath('/admins');
  return res;
}
