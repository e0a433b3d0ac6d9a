// The calling admin's own security: TOTP, WebAuthn keys, session upgrade, settings, acting as a user.
import { regenerateTotp } from '../../admins/regenerate-totp';
import { removeWebAuthnKey } from '../../admins/remove-webauthn-key';
import { requestWebAuthnRegistration } from '../../admins/request-webauthn-registration';
import { setOwnProperties } from '../../admins/set-own-properties';
import { submitWebAuthnRegistration } from '../../admins/submit-webauthn-registration';
import { validateTotp } from '../../admins/validate-totp';
import { authenticateFirstFactor } from '../../auth/authenticate';
import { startSessionAsUser } from '../../auth/start-session-as-user';
import { upgradeSession } from '../../auth/upgrade-session';
import { requestWebAuthnSignChallenge } from '../../auth/webauthn/request-sign-challenge';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { OK } from './ok';

export const adminSecurityEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/account/regenerate-totp',
    method: 'AdminAccountRegenerateTotp',
    summary: 'New TOTP secret for the calling admin (QR data URI, otpauth URL and, as Halley addition, the base32 Secret); active after validate-totp',
    auth: 'admin',
    params: {},
    returns: 'TotpRegeneratedResponse',
    handler: ({ actor }) => regenerateTotp({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/account/validate-totp',
    method: 'AdminAccountValidateTotp',
    summary: 'Confirm a code from the new TOTP secret and switch TOTP on; returns one-time RecoveryCodes (Halley addition)',
    auth: 'admin',
    params: { TOTPCode: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) => validateTotp({ actor, code: params.TOTPCode }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/account/session-upgrade',
    method: 'AdminAccountSessionUpgrade',
    summary: "Mark a session key of the calling admin as having passed the second factor (given with this call)",
    auth: 'admin',
    params: { SessionKey: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params, request }) => upgradeSession({ actor, sessionKey: params.SessionKey, locale: request.locale }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/account/set-properties',
    method: 'AdminAccountSetProperties',
    summary: "Change the calling admin's own security settings (password, sign-in methods, IP allow-list, security keys)",
    auth: 'admin',
    params: { Security: p.json('AdminSecurityOptions') },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params, request }) => {
      await setOwnProperties({ actor, security: params.Security, clientIp: request.ip });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/account/session-start-as-user',
    method: 'AdminAccountSessionStartAsUser',
    summary: 'Session key for an end user the admin may see',
    auth: 'admin',
    params: { TargetUser: p.string() },
    returns: 'SessionKeyRegeneratedResponse',
    handler: ({ actor, params }) => startSessionAsUser({ actor, targetUser: params.TargetUser }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/account/webauthn/request-registration-challenge',
    method: 'AdminAccountWebauthnRequestRegistrationChallenge',
    summary: 'Begin registering a security key: creation options (Comet shape, and OptionsJSON for browsers)',
    auth: 'admin',
    params: { SelfAddress: p.string() },
    returns: 'WebAuthnRegistrationChallengeResponse',
    handler: ({ actor, params }) => requestWebAuthnRegistration({ actor, selfAddress: params.SelfAddress }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/account/webauthn/submit-challenge-response',
    method: 'AdminAccountWebauthnSubmitChallengeResponse',
    summary: 'Finish registering a security key with the credential JSON; Description (Halley) names it',
    auth: 'admin',
    params: { SelfAddress: p.string(), ChallengeID: p.string(), Credential: p.string(), Description: p.string().halley() },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params, request }) =>
      submitWebAuthnRegistration({ actor, selfAddress: params.SelfAddress, challengeId: params.ChallengeID, credential: params.Credential, description: params.Description, locale: request.locale }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/account/webauthn/remove',
    method: 'HalleyAdminAccountWebauthnRemove',
    summary: "Halley: remove one of the calling admin's security keys by ID (as listed in WebAuthnRegistrations)",
    auth: 'admin',
    extension: true,
    params: { ID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await removeWebAuthnKey({ actor, id: params.ID });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/account/webauthn/request-authentication-challenge',
    method: 'HalleyAdminAccountWebauthnRequestAuthenticationChallenge',
    summary:
      'Halley: after Username and Password, options for navigator.credentials.get(); then sign in with AuthType=PasswordWebAuthn and WebAuthnSign={"ChallengeID","CredentialJSON"}',
    auth: 'none',
    extension: true,
    params: { Username: p.string(), Password: p.string(), AuthType: p.string().opt(), SelfAddress: p.string().opt() },
    returns: 'WebAuthnSignRequest',
    handler: async ({ params, request }) => {
      const { adminId } = await authenticateFirstFactor(params.Username, params.Password, { ip: request.ip, host: request.host });
      return requestWebAuthnSignChallenge({ adminId, selfAddress: params.SelfAddress });
    },
  }),
];
