// AdminUserGroupsDelete: removes the group; its users keep their accounts and are in no group afterwards.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { NotFoundError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { GROUP_NOT_FOUND } from './user-group-dto';

export async function deleteUserGroup({ actor, groupId }: { actor: AdminActor; groupId: string }): Promise<void> {
  await db().$transaction(async (tx) => {
    const gone = await tx.userGroup.findFirst({ where: { id: groupId, ...tenantWhere(actor) }, select: { id: true, tenantId: true } });
    if (!gone) throw new NotFoundError(GROUP_NOT_FOUND(groupId));
    await tx.userGroup.deleteMany({ where: { id: gone.id, ...tenantWhere(actor) } });
    await tx.account.updateMany({ where: { tenantId: gone.tenantId, groupId: gone.id, ...tenantWhere(actor) }, data: { groupId: '' } });
    await emitEvent(tx, actor, { tenantId: gone.tenantId, type: SEVT.SEVT_USERGROUP_REMOVED, resourceId: gone.id });
  });
}
