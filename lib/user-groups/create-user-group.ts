// AdminUserGroupsNew: a group in the admin's organization (or TargetOrganization), with its SEVT_USERGROUP_NEW.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { assertNonEmpty, targetTenant } from '../tenancy/scope';
import { userGroupDto } from './user-group-dto';

const MAX_GROUP_NAME = 200;

export function checkGroupName(name: string): string {
  assertNonEmpty(name, 'Name');
  return name.trim().slice(0, MAX_GROUP_NAME);
}

export async function createUserGroup({ actor, name, targetOrganization }: { actor: AdminActor; name: string; targetOrganization?: string }): Promise<{ Status: number; Message: string; UserGroupID: string }> {
  const clean = checkGroupName(name);
  const tenantId = await targetTenant(actor, targetOrganization);
  const group = await db().$transaction(async (tx) => {
    const g = await tx.userGroup.create({ data: { tenantId, name: clean, createdAt: BigInt(Math.floor(Date.now() / 1000)) } });
    await emitEvent(tx, actor, { tenantId, type: SEVT.SEVT_USERGROUP_NEW, resourceId: g.id, data: userGroupDto(g) });
    return g;
  });
  return { Status: 200, Message: 'OK', UserGroupID: group.id };
}
