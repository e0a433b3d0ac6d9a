// Comet user groups (issue 18): admin/user-groups/*, tenant-scoped; a user's group is its profile's GroupID.
import { createUserGroup } from '../../user-groups/create-user-group';
import { deleteUserGroup } from '../../user-groups/delete-user-group';
import { getUserGroup } from '../../user-groups/get-user-group';
import { listUserGroups } from '../../user-groups/list-user-groups';
import { setGroupUsers } from '../../user-groups/set-group-users';
import { setUserGroup } from '../../user-groups/set-user-group';
import { OK } from './ok';
import { p } from '../params';
import { defineEndpoint } from '../registry';

export const userGroupEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/user-groups/list',
    method: 'AdminUserGroupsList',
    summary: 'User groups the admin may see: group ID -> name',
    auth: 'admin',
    params: { TargetOrganization: p.string().topLevel().opt() },
    returns: 'map[string]string',
    handler: async ({ actor, params }) => Object.fromEntries(Object.entries(await listUserGroups({ actor, targetOrganization: params.TargetOrganization })).map(([id, g]) => [id, g.Name])),
  }),
  defineEndpoint({
    path: '/api/v1/admin/user-groups/list-full',
    method: 'AdminUserGroupsListFull',
    summary: 'User groups the admin may see: group ID -> UserGroup',
    auth: 'admin',
    params: { TargetOrganization: p.string().topLevel().opt() },
    returns: 'map[string]UserGroup',
    handler: ({ actor, params }) => listUserGroups({ actor, targetOrganization: params.TargetOrganization }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/user-groups/get',
    method: 'AdminUserGroupsGet',
    summary: 'One user group; IncludeUsers adds the profiles of its users',
    auth: 'admin',
    params: { GroupID: p.string(), IncludeUsers: p.bool().opt() },
    returns: 'GetUserGroupWithUsersResponse',
    handler: ({ actor, params }) => getUserGroup({ actor, groupId: params.GroupID, includeUsers: params.IncludeUsers }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/user-groups/new',
    method: 'AdminUserGroupsNew',
    summary: 'Creates a user group in the admin’s organization (or TargetOrganization)',
    auth: 'admin',
    params: { Name: p.string(), TargetOrganization: p.string().topLevel().opt() },
    returns: 'CreateUserGroupResponse',
    handler: ({ actor, params }) => createUserGroup({ actor, name: params.Name, targetOrganization: params.TargetOrganization }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/user-groups/set',
    method: 'AdminUserGroupsSet',
    summary: 'Renames a user group',
    auth: 'admin',
    params: { GroupID: p.string(), Group: p.json('UserGroup') },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await setUserGroup({ actor, groupId: params.GroupID, group: params.Group });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/user-groups/set-users-for-group',
    method: 'AdminUserGroupsSetUsersForGroup',
    summary: 'The group’s members become exactly Users (a user leaves its previous group)',
    auth: 'admin',
    params: { GroupID: p.string(), Users: p.json<string[]>('[]string') },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await setGroupUsers({ actor, groupId: params.GroupID, usernames: params.Users ?? [] });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/user-groups/delete',
    method: 'AdminUserGroupsDelete',
    summary: 'Deletes a user group; its users stay, in no group',
    auth: 'admin',
    params: { GroupID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await deleteUserGroup({ actor, groupId: params.GroupID });
      return OK;
    },
  }),
];
