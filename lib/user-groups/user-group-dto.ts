// Comet UserGroup as the wire carries it.
import { wireOrganizationId } from '../tenancy/actor';

export type TUserGroup = { CreatedAt: number; OrganizationID: string; Name: string };

export function userGroupDto(g: { tenantId: string; name: string; createdAt: bigint }): TUserGroup {
  return { CreatedAt: Number(g.createdAt), OrganizationID: wireOrganizationId(g.tenantId), Name: g.name };
}

export const GROUP_NOT_FOUND = (id: string) => `User group '${id.slice(0, 80)}' was not found`;
