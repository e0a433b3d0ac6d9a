import { endSession, startSession } from '../../auth/session-lifecycle';
import { db } from '../../db/client';
import { findOwnAccount } from '../../users/find-account';
import { restrictEndUserChanges } from '../../users/end-user-restrictions';
import { regenerateOwnTotp } from '../../users/regenerate-own-totp';
import { resetOwnPassword } from '../../users/reset-own-password';
import { validateOwnTotp } from '../../users/validate-own-totp';
import { profileAndHash } from '../../users/profile-hash';
import { replaceProfile } from '../../users/set-user-profile';
import { p } from '../params';
import { defineEndpoint } from '../registry';

export const userWebEndpoints = [
  defineEndpoint({
    path: '/api/v1/user/web/session/start',
    method: 'UserWebSessionStart',
    summary: 'End user logs in and obtains a session key',
    auth: 'user',
    params: {},
    returns: 'SessionKeyRegeneratedResponse',
    handler: ({ actor }) => startSession(actor),
  }),
  defineEndpoint({
    path: '/api/v1/user/web/session/revoke',
    method: 'UserWebSessionRevoke',
    summary: 'End user invalidates the session key used for this call',
    auth: 'user',
    params: {},
    returns: 'CometAPIResponseMessage',
    handler: ({ actor }) => endSession(actor),
  }),
  defineEndpoint({
    path: '/api/v1/user/web/get-user-profile-and-hash',
    method: 'UserWebGetUserProfileAndHash',
    summary: 'End user reads their own profile with its change hash',
    auth: 'user',
    params: {},
    returns: 'GetProfileAndHashResponseMessage',
    handler: async ({ actor }) => {
      const { profile, hash } = profileAndHash(await findOwnAccount(db(), actor));
      return { Status: 200, Message: 'OK', ProfileHash: hash, Profile: profile };
    },
  }),
  defineEndpoint({
    path: '/api/v1/user/web/set-profile-hash',
    method: 'UserWebSetProfileHash',
    summary: 'End user overwrites their own profile if the hash still matches (admin-controlled fields are kept)',
    auth: 'user',
    params: { ProfileData: p.json('UserProfileConfig'), ProfileHash: p.string() },
    returns: 'GetProfileAndHashResponseMessage',
    handler: async ({ actor, params }) => {
      const saved = await replaceProfile({
        actor,
        profile: params.ProfileData,
        requireHash: params.ProfileHash,
        restrict: restrictEndUserChanges,
      });
      return { Status: 200, Message: 'OK', ProfileHash: saved.hash, Profile: saved.profile };
    },
  }),
  defineEndpoint({
    path: '/api/v1/user/web/account/regenerate-totp',
    method: 'UserWebAccountRegenerateTotp',
    summary: 'End user: a new TOTP secret (QR code and otpauth URL), active once validate-totp confirms a code',
    auth: 'user',
    params: { ProfileHash: p.string() },
    returns: 'TotpRegeneratedResponse',
    handler: ({ actor, params }) => regenerateOwnTotp({ actor, profileHash: params.ProfileHash }),
  }),
  defineEndpoint({
    path: '/api/v1/user/web/account/validate-totp',
    method: 'UserWebAccountValidateTotp',
    summary: "End user: a code from the new secret switches TOTP on; the account's other sessions end",
    auth: 'user',
    params: { ProfileHash: p.string(), TOTPCode: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) => validateOwnTotp({ actor, profileHash: params.ProfileHash, code: params.TOTPCode }),
  }),
  defineEndpoint({
    path: '/api/v1/user/web/account/reset-password',
    method: 'UserWebAccountResetPassword',
    summary: "End user changes their own password, proving the old one; the account's other sessions end",
    auth: 'user',
    params: { ProfileHash: p.string(), OldPassword: p.string(), NewPassword: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) => resetOwnPassword({ actor, profileHash: params.ProfileHash, oldPassword: params.OldPassword, newPassword: params.NewPassword }),
  }),
];
