import { ApiReply } from '../reply';
import { addUser, addUserFromProfile } from '../../users/add-user';
import { deleteUser, type UninstallConfig } from '../../users/delete-user';
import { disableUserTotp } from '../../users/disable-user-totp';
import { getUserProfile, getUserProfileAndHash, listUsernames } from '../../users/get-user-profile';
import { streamUserProfiles } from '../../users/stream-user-profiles';
import { encodeJsonObject } from '../json-stream';
import { resetUserPassword } from '../../users/reset-user-password';
import { revokeDevice } from '../../users/revoke-device';
import { repointTransferredDevices } from '../../live/repoint-transferred-devices';
import { transferUser } from '../../users/transfer-user';
import { replaceProfile } from '../../users/set-user-profile';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { OK } from './ok';

type AdminOptions = { Policy?: { DeleteSources?: string[] | null } | null };

export const userEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/list-users',
    method: 'AdminListUsers',
    summary: 'All usernames the admin may see',
    auth: 'admin',
    params: {},
    returns: '[]string',
    handler: ({ actor }) => listUsernames({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/list-users-full',
    method: 'AdminListUsersFull',
    summary: 'All user profiles the admin may see, keyed by username',
    auth: 'admin',
    params: {},
    returns: 'map[string]UserProfileConfig',
    // Usernames are unique and each comes once (stream-user-profiles.ts), so no set of written keys is kept.
    handler: async ({ actor }) => ApiReply.jsonStream(encodeJsonObject(await streamUserProfiles({ actor }), { keysUnique: true })),
  }),
  defineEndpoint({
    path: '/api/v1/admin/add-user',
    method: 'AdminAddUser',
    summary: 'Create an end-user account with username and password',
    auth: 'admin',
    params: {
      TargetUser: p.string(),
      TargetPassword: p.string(),
      StoreRecoveryCode: p.int().opt(),
      RequirePasswordChange: p.int().opt(),
      TargetOrganization: p.string().topLevel().opt(),
    },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await addUser({
        actor,
        username: params.TargetUser,
        password: params.TargetPassword,
        targetOrganization: params.TargetOrganization,
        storeRecoveryCode: params.StoreRecoveryCode,
        requirePasswordChange: params.RequirePasswordChange,
      });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/add-user-from-profile',
    method: 'AdminAddUserFromProfile',
    summary: 'Create an end-user account from a complete profile object',
    auth: 'admin',
    params: { TargetUser: p.string(), ProfileData: p.json('UserProfileConfig'), TargetOrganization: p.string().topLevel().opt() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await addUserFromProfile({ actor, username: params.TargetUser, profile: params.ProfileData, targetOrganization: params.TargetOrganization });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/get-user-profile',
    method: 'AdminGetUserProfile',
    summary: "A user's full profile object",
    auth: 'admin',
    params: { TargetUser: p.string() },
    returns: 'UserProfileConfig',
    handler: ({ actor, params }) => getUserProfile({ actor, username: params.TargetUser }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/get-user-profile-and-hash',
    method: 'AdminGetUserProfileAndHash',
    summary: "A user's profile together with its change hash",
    auth: 'admin',
    params: { TargetUser: p.string() },
    returns: 'GetProfileAndHashResponseMessage',
    handler: async ({ actor, params }) => {
      const { profile, hash } = await getUserProfileAndHash({ actor, username: params.TargetUser });
      return { Status: 200, Message: 'OK', ProfileHash: hash, Profile: profile };
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/get-user-profile-hash',
    method: 'AdminGetUserProfileHash',
    summary: 'Only the current change hash of a profile',
    auth: 'admin',
    params: { TargetUser: p.string() },
    returns: 'GetProfileHashResponseMessage',
    handler: async ({ actor, params }) => {
      const { hash } = await getUserProfileAndHash({ actor, username: params.TargetUser });
      return { Status: 200, Message: 'OK', ProfileHash: hash };
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/set-user-profile',
    method: 'AdminSetUserProfile',
    summary: "Overwrite a user's profile without a conflict check",
    auth: 'admin',
    params: { TargetUser: p.string(), ProfileData: p.json('UserProfileConfig') },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await replaceProfile({ actor, username: params.TargetUser, profile: params.ProfileData });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/set-user-profile-hash',
    method: 'AdminSetUserProfileHash',
    summary: "Overwrite a user's profile if its hash still matches",
    auth: 'admin',
    params: {
      TargetUser: p.string(),
      ProfileData: p.json('UserProfileConfig'),
      RequireHash: p.string(),
      AdminOptions: p.json<AdminOptions>('AdminOptions').opt(),
    },
    returns: 'GetProfileAndHashResponseMessage',
    handler: async ({ actor, params }) => {
      const saved = await replaceProfile({
        actor,
        username: params.TargetUser,
        profile: params.ProfileData,
        requireHash: params.RequireHash,
        deleteSources: params.AdminOptions?.Policy?.DeleteSources ?? undefined,
      });
      return { Status: 200, Message: 'OK', ProfileHash: saved.hash, Profile: saved.profile };
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/delete-user',
    method: 'AdminDeleteUser',
    summary: 'Delete a user account, optionally uninstalling its devices',
    auth: 'admin',
    params: { TargetUser: p.string(), UninstallConfig: p.json<UninstallConfig>('UninstallConfig').opt() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await deleteUser({ actor, username: params.TargetUser, uninstall: params.UninstallConfig });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/reset-user-password',
    method: 'AdminResetUserPassword',
    summary: 'Set a new password for a user account',
    auth: 'admin',
    params: { TargetUser: p.string(), NewPassword: p.string(), OldPassword: p.string().opt() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await resetUserPassword({ actor, username: params.TargetUser, newPassword: params.NewPassword, oldPassword: params.OldPassword });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/disable-user-totp',
    method: 'AdminDisableUserTotp',
    summary: "Switch TOTP off for a user (a lost authenticator): the secret is removed and the user's sessions end",
    auth: 'admin',
    params: { TargetUser: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) => disableUserTotp({ actor, username: params.TargetUser }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/revoke-device',
    method: 'AdminRevokeDevice',
    summary: 'Remove a registered device from a user account',
    auth: 'admin',
    params: { TargetUser: p.string(), TargetDevice: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await revokeDevice({ actor, username: params.TargetUser, deviceId: params.TargetDevice });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/transfer-user',
    method: 'HalleyAdminTransferUser',
    summary:
      'Halley: move a user (devices, vaults, protected items, schedules, job history) to another organization ("" = top level). OfflineDevices lists devices that must be pointed at the new address by hand',
    auth: 'admin',
    topLevelOnly: true,
    extension: true,
    params: { TargetUser: p.string(), TargetOrganization: p.string() },
    returns: 'HalleyTransferUserResponse',
    handler: async ({ actor, params, request }) => {
      const moved = await transferUser({ actor, username: params.TargetUser, targetOrganization: params.TargetOrganization });
      // After the move has committed, so a device that reconnects at once is bound to the new tenant.
      const offline = await repointTransferredDevices({ ...moved, requestHost: request.host });
      return { Status: 200, Message: 'OK', OfflineDevices: offline };
    },
  }),
];
