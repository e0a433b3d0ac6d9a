import { endSession, startSession } from '../../auth/session-lifecycle';
import { addFirstAdmin } from '../../admins/add-first-admin';
import { deleteAdmin, listAdmins, newAdmin, ownAccountProperties, setAdminPermissions } from '../../admins/manage-admins';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { OK } from './ok';

export const adminSelfEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/add-first-admin-user',
    method: 'AdminAddFirstAdminUser',
    summary: 'Create the initial administrator on a server that has none',
    auth: 'none',
    params: { TargetUser: p.string(), TargetPassword: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ params }) => {
      await addFirstAdmin({ username: params.TargetUser, password: params.TargetPassword });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/account/properties',
    method: 'AdminAccountProperties',
    summary: "Read the calling admin's own account settings (secrets left out)",
    auth: 'admin',
    params: {},
    returns: 'AdminAccountPropertiesResponse',
    handler: ({ actor }) => ownAccountProperties({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/account/session-start',
    method: 'AdminAccountSessionStart',
    summary: 'Log in as admin and obtain a session key',
    auth: 'admin',
    params: { SelfAddress: p.string().opt() },
    returns: 'SessionKeyRegeneratedResponse',
    handler: ({ actor }) => startSession(actor),
  }),
  defineEndpoint({
    path: '/api/v1/admin/account/session-revoke',
    method: 'AdminAccountSessionRevoke',
    summary: 'Invalidate the session key used for this call',
    auth: 'admin',
    params: {},
    returns: 'CometAPIResponseMessage',
    handler: ({ actor }) => endSession(actor),
  }),
  defineEndpoint({
    path: '/api/v1/hybrid/session/start',
    method: 'HybridSessionStart',
    summary: 'Log in as admin or end user, whichever credentials match, and obtain a session key',
    auth: 'admin-or-user',
    params: {},
    returns: 'SessionKeyRegeneratedResponse',
    handler: ({ actor }) => startSession(actor),
  }),
  defineEndpoint({
    path: '/api/v1/admin/admin-user/list',
    method: 'AdminAdminUserList',
    summary: 'Every administrator account with its permissions (secrets left out)',
    auth: 'admin',
    topLevelOnly: true,
    permission: 'admins.manage',
    params: {},
    returns: '[]AllowedAdminUser',
    handler: ({ actor }) => listAdmins({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/admin-user/new',
    method: 'AdminAdminUserNew',
    summary: 'Create an administrator account, optionally in a tenant',
    auth: 'admin',
    topLevelOnly: true,
    permission: 'admins.manage',
    params: { TargetUser: p.string(), TargetPassword: p.string(), TargetOrgID: p.string().opt() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await newAdmin({ actor, username: params.TargetUser, password: params.TargetPassword, targetOrgId: params.TargetOrgID });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/admin-user/delete',
    method: 'AdminAdminUserDelete',
    summary: 'Remove an administrator account',
    auth: 'admin',
    topLevelOnly: true,
    permission: 'admins.manage',
    params: { TargetUser: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await deleteAdmin({ actor, username: params.TargetUser });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/admin-user/set-permissions',
    method: 'HalleyAdminAdminUserSetPermissions',
    summary: "Halley: replace another administrator's AdminUserPermissions",
    auth: 'admin',
    topLevelOnly: true,
    permission: 'admins.manage',
    extension: true,
    params: { TargetUser: p.string(), Permissions: p.json('AdminUserPermissions') },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await setAdminPermissions({ actor, username: params.TargetUser, permissions: params.Permissions });
      return OK;
    },
  }),
];
