import { endSession, startSession } from '../../auth/session-lifecycle';
import { db } from '../../db/client';
import { NotFoundError } from '../../errors';
import { userTenantWhere } from '../../tenancy/scope';
import type { UserActor } from '../../tenancy/actor';
import { restrictEndUserChanges } from '../../users/end-user-restrictions';
import { loadAccount } from '../../users/load-profiles';
import { profileAndHash } from '../../users/profile-hash';
import { replaceProfile } from '../../users/set-user-profile';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import type { Tx } from '../../db/client';

async function ownAccount(tx: Tx, actor: UserActor) {
  const account = await loadAccount({ id: actor.accountId, ...userTenantWhere(actor) }, tx);
  if (!account) throw new NotFoundError('Your account was not found');
  return account;
}

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
      const { profile, hash } = profileAndHash(await ownAccount(db(), actor));
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
        load: (tx) => ownAccount(tx, actor),
        profile: params.ProfileData,
        requireHash: params.ProfileHash,
        restrict: restrictEndUserChanges,
      });
      return { Status: 200, Message: 'OK', ProfileHash: saved.hash, Profile: saved.profile };
    },
  }),
];
