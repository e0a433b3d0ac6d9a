// Comet UserGroup as the wire carries it.
import { wireOrganizationId } from '../tenancy/actor';
import { apiMessage } from '../i18n/api-messages';

export type TUserGroup = { CreatedAt: number; OrganizationID: string; Name: string };

export function userGroupDto(g: { tenantId: string; name: string; createdAt: bigint }): TUserGroup {
  return { CreatedAt: Number(g.createdAt), OrganizationID: wireOrganizationId(g.tenantId), Name: g.name };
}

export const GROUP_NOT_FOUND = (id: string) => apiMessage('userGroupNotFound', { id: id.slice(0, 80) });
