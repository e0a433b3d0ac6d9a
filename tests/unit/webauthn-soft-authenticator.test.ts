// WebAuthn verification as Halley uses it (@simplewebauthn/server), exercised with the software
// authenticator from tests/helpers: registration, sign-in, a wrong origin, a replayed counter.
import { generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { SoftAuthenticator } from '../helpers/soft-authenticator';

const origin = 'https://backup.example.com';
const rpID = 'backup.example.com';

async function registered(key: SoftAuthenticator) {
  const options = await generateRegistrationOptions({ rpName: 'Halley', rpID, userName: 'admin', attestationType: 'none' });
  const result = await verifyRegistrationResponse({ response: key.register(options, origin), expectedChallenge: options.challenge, expectedOrigin: origin, expectedRPID: rpID });
  expect(result.verified).toBe(true);
  return result.registrationInfo!.credential;
}

describe('software authenticator against @simplewebauthn/server', () => {
  it('registers and signs in; the counter moves on', async () => {
    const key = new SoftAuthenticator();
    const credential = await registered(key);
    expect(credential.id).toBe(key.id);
    const options = await generateAuthenticationOptions({ rpID, allowCredentials: [{ id: credential.id }] });
    const result = await verifyAuthenticationResponse({
      response: key.sign(options, origin),
      expectedChallenge: options.challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential,
    });
    expect(result.verified).toBe(true);
    expect(result.authenticationInfo.newCounter).toBe(1);
  });

  it('refuses an assertion made for another origin, another challenge or with an old counter', async () => {
    const key = new SoftAuthenticator();
    const credential = await registered(key);
    const options = await generateAuthenticationOptions({ rpID });
    const verify = (response: ReturnType<SoftAuthenticator['sign']>, challenge = options.challenge, counter = credential.counter) =>
      verifyAuthenticationResponse({ response, expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpID, credential: { ...credential, counter } });
    await expect(verify(key.sign(options, 'https://evil.example.com'))).rejects.toThrow(/origin/i);
    await expect(verify(key.sign(options, origin), 'another-challenge')).rejects.toThrow(/challenge/i);
    await expect(verify(key.sign(options, origin), options.challenge, 100)).rejects.toThrow(/counter/i);
  });
});
