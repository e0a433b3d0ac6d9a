// AdminUserGroupsGet: one group and, with IncludeUsers, the profiles of its users.
import { db } from '../db/client';
import { NotFoundError } from '../errors';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { accountToProfile, loadAccounts } from '../users/load-profiles';
import { GROUP_NOT_FOUND, userGroupDto, type TUserGroup } from './user-group-dto';

export async function getUserGroup({ actor, groupId, includeUsers }: { actor: AdminActor; groupId: string; includeUsers?: boolean }): Promise<{ UserGroup: TUserGroup; Users: Record<string, unknown> }> {
  const group = await db().userGroup.findFirst({ where: { id: groupId, ...tenantWhere(actor) }, select: { id: true, tenantId: true, name: true, createdAt: true } });
  if (!group) throw new NotFoundError(GROUP_NOT_FOUND(groupId));
  const users: Record<string, unknown> = {};
  if (includeUsers) {
    for (const a of await loadAccounts({ tenantId: group.tenantId, groupId: group.id, ...tenantWhere(actor) })) users[a.username] = accountToProfile(a);
  }
  return { UserGroup: userGroupDto(group), Users: users };
}
