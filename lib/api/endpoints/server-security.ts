// Halley: server-wide sign-in protection (Comet keeps LoginProtectionOptions in the server config).
import { getLoginProtection, setLoginProtection } from '../../auth/login-protection-settings';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { OK } from './ok';

export const serverSecurityEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/meta/login-protection/get',
    method: 'HalleyAdminMetaLoginProtectionGet',
    summary: 'Halley: the server-wide LoginProtectionOptions (failed sign-ins before a cooldown)',
    auth: 'admin',
    topLevelOnly: true,
    permission: 'server.settings',
    extension: true,
    params: {},
    returns: 'LoginProtectionOptions',
    handler: ({ actor }) => getLoginProtection({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/login-protection/set',
    method: 'HalleyAdminMetaLoginProtectionSet',
    summary: 'Halley: change the server-wide LoginProtectionOptions',
    auth: 'admin',
    topLevelOnly: true,
    permission: 'server.settings',
    extension: true,
    params: { LoginProtection: p.json('LoginProtectionOptions') },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await setLoginProtection({ actor, options: params.LoginProtection });
      return OK;
    },
  }),
];
