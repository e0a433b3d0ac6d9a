// AdminUserGroupsSet: renames a group (its organization and creation time stay what they are).
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError, NotFoundError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { checkGroupName } from './create-user-group';
import { GROUP_NOT_FOUND, userGroupDto } from './user-group-dto';
import { apiMessage } from '../i18n/api-messages';

export async function setUserGroup({ actor, groupId, group }: { actor: AdminActor; groupId: string; group: Record<string, unknown> }): Promise<void> {
  if (typeof group.Name !== 'string') throw new BadRequestError(apiMessage('groupNameNotString'));
  const name = checkGroupName(group.Name);
  await db().$transaction(async (tx) => {
    const scope = { id: groupId, ...tenantWhere(actor) };
    const [updated] = await tx.userGroup.updateManyAndReturn({ where: scope, data: { name } });
    if (!updated) throw new NotFoundError(GROUP_NOT_FOUND(groupId));
    await emitEvent(tx, actor, { tenantId: updated.tenantId, type: SEVT.SEVT_USERGROUP_UPDATED, resourceId: groupId, data: userGroupDto(updated) });
  });
}
