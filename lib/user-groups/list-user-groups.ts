// AdminUserGroupsList / ListFull: the groups of the organizations the admin may see (or of TargetOrganization).
import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { resolveTargetTenant, tenantWhere } from '../tenancy/scope';
import { userGroupDto, type TUserGroup } from './user-group-dto';

export async function listUserGroups({ actor, targetOrganization }: { actor: AdminActor; targetOrganization?: string }): Promise<Record<string, TUserGroup>> {
  const scope = tenantWhere(actor, await resolveTargetTenant(actor, targetOrganization));
  const rows = await db().userGroup.findMany({ where: scope, orderBy: [{ name: 'asc' }, { id: 'asc' }], select: { id: true, tenantId: true, name: true, createdAt: true } });
  return Object.fromEntries(rows.map((g) => [g.id, userGroupDto(g)]));
}
