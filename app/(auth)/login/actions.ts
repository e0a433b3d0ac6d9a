'use server';
// The second step of the console sign-in with a security key: WebAuthn options for the admin's keys,
// from the API's account/webauthn/request-authentication-challenge (password checked again there).
import { headers } from 'next/headers';
import { endpointByPath } from '../../../lib/api/endpoints';
import { errorBody, newRequestId, runEndpoint } from '../../../lib/api/handle';
import { clientAddressFrom } from '../../../lib/auth/client-address';

export type KeyChallenge = { ok: true; challengeId: string; options: unknown } | { ok: false; message: string };

export async function securityKeyChallenge(username: string, password: string, selfAddress: string): Promise<KeyChallenge> {
  const path = '/api/v1/admin/account/webauthn/request-authentication-challenge';
  const h = await headers();
  const requestId = newRequestId(null);
  try {
    const res = (await runEndpoint(endpointByPath(path)!, new URLSearchParams({ Username: username, Password: password, SelfAddress: selfAddress }), {
      ip: clientAddressFrom(h),
      host: h.get('host') ?? '',
      userAgent: h.get('user-agent') ?? 'console',
      requestId,
    })) as { ChallengeID: string; OptionsJSON: unknown };
    return { ok: true, challengeId: res.ChallengeID, options: res.OptionsJSON };
  } catch (err) {
    return { ok: false, message: errorBody(err, requestId, path).Message };
  }
}
