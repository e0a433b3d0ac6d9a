// AdminUserGroupsSetUsersForGroup: the group's members become exactly `usernames` (users of the group's own
// organization); a user moved in leaves its previous group, since a user is in at most one group.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { NotFoundError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { GROUP_NOT_FOUND, userGroupDto } from './user-group-dto';
import { apiMessage } from '../i18n/api-messages';

export async function setGroupUsers({ actor, groupId, usernames }: { actor: AdminActor; groupId: string; usernames: string[] }): Promise<void> {
  const wanted = [...new Set(usernames ?? [])];
  await db().$transaction(async (tx) => {
    const group = await tx.userGroup.findFirst({ where: { id: groupId, ...tenantWhere(actor) }, select: { id: true, tenantId: true, name: true, createdAt: true } });
    if (!group) throw new NotFoundError(GROUP_NOT_FOUND(groupId));
    // Only users of the group's organization (reached through the admin's scope) may join; others look missing.
    const members = { tenantId: group.tenantId, ...tenantWhere(actor) };
    const found = await tx.account.findMany({ where: { ...members, username: { in: wanted } }, select: { username: true } });
    if (found.length !== wanted.length) {
      const known = new Set(found.map((a) => a.username));
      throw new NotFoundError(apiMessage('userNotFound', { username: wanted.find((u) => !known.has(u))!.slice(0, 80) }));
    }
    await tx.account.updateMany({ where: { ...members, groupId: group.id, username: { notIn: wanted } }, data: { groupId: '' } });
    await tx.account.updateMany({ where: { ...members, username: { in: wanted } }, data: { groupId: group.id } });
    await emitEvent(tx, actor, { tenantId: group.tenantId, type: SEVT.SEVT_USERGROUP_UPDATED, resourceId: group.id, data: { ...userGroupDto(group), Users: wanted } });
  });
}
