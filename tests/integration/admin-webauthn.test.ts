// WebAuthn for admins over the API, with a software authenticator: register several named keys,
// sign in with PasswordWebAuthn + WebAuthnSign, refuse replays, remove keys.
import { describe, expect, it } from 'vitest';
import { client } from '../helpers/fixtures';
import { makeAdmin } from '../helpers/security';
import { SoftAuthenticator } from '../helpers/soft-authenticator';
import { encodeForm } from '../helpers/comet-client';
import { halleyUrl } from '../helpers/server';
import { callIn } from '../helpers/in-language';

const SELF = 'http://localhost:8060/';
const ORIGIN = 'http://localhost:8060';

async function register(creds: { username: string; password: string }, key: SoftAuthenticator, description?: string) {
  const c = client(creds);
  const challenge = await c.ok('/api/v1/admin/account/webauthn/request-registration-challenge', { SelfAddress: SELF });
  return c.call('/api/v1/admin/account/webauthn/submit-challenge-response', {
    SelfAddress: SELF,
    ChallengeID: challenge.ChallengeID,
    Credential: JSON.stringify(key.register(challenge.OptionsJSON, ORIGIN)),
    Description: description,
  });
}

/** PasswordWebAuthn sign-in: challenge, then the call with WebAuthnSign. */
async function signIn(creds: { username: string; password: string }, key: SoftAuthenticator, path = '/api/v1/admin/account/properties', origin = ORIGIN) {
  const challenge = await client().ok('/api/v1/admin/account/webauthn/request-authentication-challenge', { Username: creds.username, Password: creds.password });
  const sign = JSON.stringify({ ChallengeID: challenge.ChallengeID, CredentialJSON: JSON.stringify(key.sign(challenge.OptionsJSON, origin)) });
  return { sign, result: await post(path, { Username: creds.username, AuthType: 'PasswordWebAuthn', Password: creds.password, WebAuthnSign: sign }) };
}

async function post(path: string, form: Record<string, string>) {
  const res = await fetch(new URL(path, halleyUrl()), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return res.json();
}

describe('admin WebAuthn', () => {
  it('registration options come in Comet shape (standard base64) and as browser JSON', async () => {
    const admin = await makeAdmin('wa');
    const r = await client(admin).ok('/api/v1/admin/account/webauthn/request-registration-challenge', { SelfAddress: SELF });
    expect(r.ChallengeID).toBeTruthy();
    expect(r.CredentialCreationOptions.rp).toEqual({ name: 'Halley', id: 'localhost' });
    expect(r.CredentialCreationOptions.user.name).toBe(admin.username);
    expect(Buffer.from(r.CredentialCreationOptions.challenge, 'base64').toString('base64url')).toBe(r.OptionsJSON.challenge);
    expect((await client(admin).fails('/api/v1/admin/account/webauthn/request-registration-challenge', { SelfAddress: 'not a url' })).Status).toBe(400);
  });

  it('registers several named keys, then requires one at sign-in', async () => {
    const admin = await makeAdmin('wa');
    const key1 = new SoftAuthenticator();
    const key2 = new SoftAuthenticator();
    expect((await register(admin, key1, 'YubiKey blue')).body).toMatchObject({ Status: 200, Description: 'YubiKey blue' });
    // The first key switched WebAuthn on: the password alone now needs the second factor.
    expect((await client(admin).fails('/api/v1/admin/meta/version')).Message).toBe('ERR_TOTP_REQUIRED');
    const first = await signIn(admin, key1);
    expect(first.result.Security.AllowPasswordAndWebAuthnLogin).toBe(true);
    const regs = first.result.Security.WebAuthnRegistrations;
    expect(regs).toHaveLength(1);
    expect(regs[0]).toMatchObject({ Description: 'YubiKey blue', ID: key1.wireId, Type: 0 });
    expect(JSON.stringify(first.result)).not.toMatch(/publicKey|PublicKey/);
    // A used challenge can't be replayed.
    const replay = await post('/api/v1/admin/meta/version', { Username: admin.username, AuthType: 'PasswordWebAuthn', Password: admin.password, WebAuthnSign: first.sign });
    expect(replay).toEqual({ Status: 403, Message: 'The security key could not be verified' });

    // A second key (registration itself needs a full sign-in now: a PasswordWebAuthn session).
    const session = (await signIn(admin, key1, '/api/v1/admin/account/session-start')).result.SessionKey;
    const bySession = client({ username: admin.username, sessionKey: session });
    const challenge = await bySession.ok('/api/v1/admin/account/webauthn/request-registration-challenge', { SelfAddress: SELF });
    expect(challenge.CredentialCreationOptions.excludeCredentials[0].id).toBe(key1.wireId);
    // Registered without a name by a German-speaking admin: named in the registering request's language (a label
    // stored once, like a typed one; reading it in another language does not rename it).
    const named = await callIn(bySession, 'de', '/api/v1/admin/account/webauthn/submit-challenge-response', {
      SelfAddress: SELF,
      ChallengeID: challenge.ChallengeID,
      Credential: JSON.stringify(key2.register(challenge.OptionsJSON, ORIGIN)),
    });
    expect(named).toMatchObject({ Status: 200, Description: 'Sicherheitsschlüssel 2' });
    // The same challenge can't register again.
    const again = await bySession.fails('/api/v1/admin/account/webauthn/submit-challenge-response', {
      SelfAddress: SELF,
      ChallengeID: challenge.ChallengeID,
      Credential: JSON.stringify(new SoftAuthenticator().register(challenge.OptionsJSON, ORIGIN)),
    });
    expect(again.Message).toMatch(/Unknown or expired ChallengeID/);
    expect((await signIn(admin, key2)).result.Security.WebAuthnRegistrations.map((r: any) => r.Description)).toEqual(['YubiKey blue', 'Sicherheitsschlüssel 2']);

    // An assertion for another origin is refused.
    expect((await signIn(admin, key2, '/api/v1/admin/meta/version', 'http://evil.example:8060')).result.Status).toBe(403);

    // Rename key 2 and drop key 1 through set-properties (Comet's way) ...
    const props = await bySession.ok('/api/v1/admin/account/properties');
    const keep = props.Security.WebAuthnRegistrations.filter((r: any) => r.ID === key2.wireId).map((r: any) => ({ ...r, Description: 'Laptop' }));
    await bySession.ok('/api/v1/admin/account/set-properties', { Security: { ...props.Security, WebAuthnRegistrations: keep } });
    expect((await signIn(admin, key1, '/api/v1/admin/meta/version')).result.Status).toBe(403);
    expect((await signIn(admin, key2)).result.Security.WebAuthnRegistrations).toEqual([expect.objectContaining({ Description: 'Laptop', ID: key2.wireId })]);
    // ... and the last one through Halley's remove: WebAuthn switches off, the password works again.
    expect((await bySession.fails('/api/v1/admin/account/webauthn/remove', { ID: key1.wireId })).Status).toBe(404);
    await bySession.ok('/api/v1/admin/account/webauthn/remove', { ID: key2.wireId });
    expect((await client(admin).ok('/api/v1/admin/account/properties')).Security.AllowPasswordAndWebAuthnLogin).toBe(false);
  });

  it('the authentication challenge needs the right password and answers unknown users the same way', async () => {
    const admin = await makeAdmin('wa');
    const wrong = await client().fails('/api/v1/admin/account/webauthn/request-authentication-challenge', { Username: admin.username, Password: 'nope' });
    const unknown = await client().fails('/api/v1/admin/account/webauthn/request-authentication-challenge', { Username: 'no-such-admin-wa', Password: 'nope' });
    expect(wrong).toEqual(unknown);
    // No key registered yet: a clear message once the password is right.
    expect((await client().fails('/api/v1/admin/account/webauthn/request-authentication-challenge', { Username: admin.username, Password: admin.password })).Message).toMatch(
      /No security key/,
    );
    // PasswordWebAuthn with a garbage WebAuthnSign for an admin without keys: the password decides (no factor required).
    const form = encodeForm(null, { Username: admin.username, AuthType: 'PasswordWebAuthn', Password: admin.password, WebAuthnSign: '{}' });
    expect((await post('/api/v1/admin/meta/version', Object.fromEntries(form))).Version).toBeTruthy();
  });
});
