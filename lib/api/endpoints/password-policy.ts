// Halley: the server-wide password policy (minimum length, common-password check), lib/validation.
import { getPasswordPolicy } from '../../validation/get-password-policy';
import { setPasswordPolicy } from '../../validation/set-password-policy';
import { p } from '../params';
import { defineEndpoint } from '../registry';

export const passwordPolicyEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/meta/password-policy/get',
    method: 'HalleyAdminMetaPasswordPolicyGet',
    summary: 'Halley: the password policy every new password must meet (any administrator may read it)',
    auth: 'admin',
    extension: true,
    params: {},
    returns: 'HalleyPasswordPolicy',
    handler: ({ actor }) => getPasswordPolicy({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/password-policy/set',
    method: 'HalleyAdminMetaPasswordPolicySet',
    summary: 'Halley: change the password policy (MinLength 1 to 128; RejectCommon refuses well-known common passwords); applies to passwords set from now on',
    auth: 'admin',
    topLevelOnly: true,
    permission: 'server.settings',
    extension: true,
    params: { MinLength: p.int(), RejectCommon: p.bool() },
    returns: 'HalleyPasswordPolicy',
    handler: ({ actor, params }) => setPasswordPolicy({ actor, minLength: params.MinLength, rejectCommon: params.RejectCommon }),
  }),
];
