'use server';
import { revalidatePath } from 'next/cache';
import { TOP_LEVEL_TENANT_ID } from '../../../lib/tenancy/actor';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

export async function createGroup(name: string, organization?: string): Promise<ActionResult<{ UserGroupID: string }>> {
  const res = await apiAction<{ UserGroupID: string }>('/api/v1/admin/user-groups/new', {
    Name: name,
    TargetOrganization: organization === undefined ? undefined : organization || TOP_LEVEL_TENANT_ID,
  });
  if (res.ok) revalidatePath('/groups');
  return res;
}

/**
 * Saves the members and the name of a group (members: exactly these usernames). Members first: a refused list (an
 * unknown username) then leaves the group exactly as it was; the name's own rules (not blank, a length) are checked by
 * the form before it is sent.
 */
export async function saveGroup(id: string, name: string, users: string[]): Promise<ActionResult> {
  const members = await apiAction('/api/v1/admin/user-groups/set-users-for-group', { GroupID: id, Users: users });
  if (!members.ok) return members;
  const res = await apiAction('/api/v1/admin/user-groups/set', { GroupID: id, Group: { Name: name } });
  revalidatePath(`/groups/${id}`);
  revalidatePath('/groups');
  return res;
}

export async function deleteGroup(id: string): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/user-groups/delete', { GroupID: id });
  if (res.ok) revalidatePath('/groups');
  return res;
}
