// Login protection, IP allow-lists, own account settings, sign-in events and acting as a user.
import { afterAll, describe, expect, it } from 'vitest';
import { client, makeTenant, makeUser, rootClient, uniq } from '../helpers/fixtures';
import { callFrom, eventsFor, makeAdmin } from '../helpers/security';
import { waitFor } from '../helpers/wait';

const SEVT_ACCOUNT_ADMIN_LOGIN = 4153;
const SEVT_ACCOUNT_ADMIN_LOGIN_FAILED = 4154;
const SEVT_ACCOUNT_LOGIN_FAILED = 4104;
const DEFAULTS = { Enabled: true, FailureThreshold: 5, CooldownSeconds: 300 };

afterAll(async () => {
  await (await rootClient()).ok('/api/v1/admin/meta/login-protection/set', { LoginProtection: DEFAULTS });
});

describe('login protection', () => {
  it('is on by default (5 failures, 300 s) and only top-level admins see or change it', async () => {
    const root = await rootClient();
    expect(await root.ok('/api/v1/admin/meta/login-protection/get')).toEqual(DEFAULTS);
    const tenant = await makeTenant('lp');
    expect((await tenant.admin.fails('/api/v1/admin/meta/login-protection/get')).Status).toBe(403);
    const bad = await root.fails('/api/v1/admin/meta/login-protection/set', { LoginProtection: { Enabled: true, FailureThreshold: 0, CooldownSeconds: 10 } });
    expect(bad).toMatchObject({ Status: 400, Message: expect.stringMatching(/FailureThreshold/) });
  });

  it('locks a username out after the threshold, with the same answer whether it exists or not; the right password waits too', async () => {
    const admin = await makeAdmin('lock');
    const ghost = uniq('no-such-admin');
    const answers: string[] = [];
    for (const name of [admin.username, ghost]) {
      for (let i = 0; i < 5; i += 1) expect((await client({ username: name, password: `wrong-${i}` }).fails('/api/v1/admin/meta/version')).Message).toBe('Incorrect username or password');
      const locked = await client({ username: name, password: name === ghost ? 'x' : admin.password }).fails('/api/v1/admin/meta/version');
      expect(locked.Status).toBe(403);
      answers.push(locked.Message.replace(/\d+ more seconds?/, 'N seconds'));
    }
    expect(answers[0]).toMatch(/Too many failed sign-in attempts/);
    expect(answers[0]).toBe(answers[1]);
    // Another address is not affected: the pair (username, address) is what cools down.
    expect((await callFrom('127.0.0.2', '/api/v1/admin/meta/version', admin)).body.Version).toBeTruthy();
    // Events: each failure, and which one started the lockout.
    const failed = await eventsFor(admin.username, SEVT_ACCOUNT_ADMIN_LOGIN_FAILED);
    expect(failed.length).toBe(5);
    expect(failed[4].data).toMatchObject({ Username: admin.username, RemoteAddress: '127.0.0.1', Reason: 'wrong password', LockedOut: true });
    expect((await eventsFor(ghost, SEVT_ACCOUNT_ADMIN_LOGIN_FAILED)).length).toBe(5);
  });

  it('the cooldown ends; a success clears the count; end users are protected too', async () => {
    const root = await rootClient();
    await root.ok('/api/v1/admin/meta/login-protection/set', { LoginProtection: { Enabled: true, FailureThreshold: 2, CooldownSeconds: 2 } });
    try {
      // The web process that serves login-protection/set drops its cached settings on write, so the next
      // sign-in already counts against the new threshold (other nodes would see it within 5 s).
      const admin = await makeAdmin('cool');
      await client({ username: admin.username, password: 'wrong' }).fails('/api/v1/admin/meta/version');
      await client(admin).ok('/api/v1/admin/meta/version'); // resets the count
      await client({ username: admin.username, password: 'wrong' }).fails('/api/v1/admin/meta/version');
      await client({ username: admin.username, password: 'wrong' }).fails('/api/v1/admin/meta/version');
      expect((await client(admin).fails('/api/v1/admin/meta/version')).Message).toMatch(/Too many failed/);
      // The 2 s cooldown ends by itself (a refused attempt while locked does not extend it).
      await waitFor('the cooldown to end', async () => (await client(admin).call('/api/v1/admin/meta/version')).body.Version, 10_000, 250);

      const tenant = await makeTenant('cool');
      const user = await makeUser(tenant.admin);
      for (let i = 0; i < 2; i += 1) await client({ username: user.username, password: 'wrong' }).fails('/api/v1/user/web/session/start');
      expect((await client(user).fails('/api/v1/user/web/session/start')).Message).toMatch(/Too many failed/);
      const userEvents = await eventsFor(user.username, SEVT_ACCOUNT_LOGIN_FAILED);
      expect(userEvents.length).toBe(2);
      expect(userEvents[0].tenantId).toBe(tenant.id);
    } finally {
      await root.ok('/api/v1/admin/meta/login-protection/set', { LoginProtection: DEFAULTS });
    }
  });

  it('records a successful sign-in once per address and auth type, not on every call', async () => {
    const admin = await makeAdmin('ev');
    for (let i = 0; i < 3; i += 1) await client(admin).ok('/api/v1/admin/meta/version');
    const logins = await eventsFor(admin.username, SEVT_ACCOUNT_ADMIN_LOGIN);
    expect(logins).toHaveLength(1);
    expect(logins[0]).toMatchObject({ actor: admin.username, data: { Username: admin.username, RemoteAddress: '127.0.0.1', AuthType: 'Password' } });
  });
});

describe('IP allow-list', () => {
  it('admits only matching client addresses; X-Forwarded-For and the internal header are not trusted', async () => {
    const admin = await makeAdmin('ip');
    const c = client(admin);
    // A list that would shut out the caller itself is refused.
    const self = await c.fails('/api/v1/admin/account/set-properties', { Security: { IPWhitelist: '^10\\.' } });
    expect(self.Message).toMatch(/current address 127\.0\.0\.1/);
    expect((await c.fails('/api/v1/admin/account/set-properties', { Security: { IPWhitelist: '([' } })).Message).toMatch(/not a valid regular expression/);
    await c.ok('/api/v1/admin/account/set-properties', { Security: { IPWhitelist: '^127\\.0\\.0\\.1$' } });
    expect((await c.ok('/api/v1/admin/account/properties')).Security.IPWhitelist).toBe('^127\\.0\\.0\\.1$');
    const key = (await c.ok('/api/v1/admin/account/session-start')).SessionKey;
    const spoof = { 'x-forwarded-for': '127.0.0.1', 'x-halley-client-address': '127.0.0.1' };
    const other = await callFrom('127.0.0.2', '/api/v1/admin/meta/version', admin, {}, spoof);
    expect(other.body).toEqual({ Status: 403, Message: 'Incorrect username or password' });
    const otherSession = await callFrom('127.0.0.2', '/api/v1/admin/meta/version', { username: admin.username, sessionKey: key }, {}, spoof);
    expect(otherSession.body.Message).toMatch(/not allowed/);
    expect((await callFrom('127.0.0.1', '/api/v1/admin/meta/version', admin)).body.Version).toBeTruthy();
    const failed = await eventsFor(admin.username, SEVT_ACCOUNT_ADMIN_LOGIN_FAILED);
    expect(failed.at(-1)!.data).toMatchObject({ RemoteAddress: '127.0.0.2', Reason: expect.stringMatching(/IPWhitelist/) });
  });
});

describe('account/set-properties', () => {
  it('changes the password only with the current one; empty Password keeps it; hashes are refused', async () => {
    const admin = await makeAdmin('setprops');
    const c = client(admin);
    const props = await c.ok('/api/v1/admin/account/properties');
    // The get → set round trip changes nothing.
    await c.ok('/api/v1/admin/account/set-properties', { Security: props.Security });
    await c.ok('/api/v1/admin/meta/version');
    expect((await c.fails('/api/v1/admin/account/set-properties', { Security: { PasswordFormat: 100, Password: 'scrypt$x' } })).Message).toMatch(/PasswordFormat 0/);
    // With a session key alone, the current password is missing.
    const key = (await c.ok('/api/v1/admin/account/session-start')).SessionKey;
    const bySession = client({ username: admin.username, sessionKey: key });
    expect((await bySession.fails('/api/v1/admin/account/set-properties', { Security: { PasswordFormat: 0, Password: 'new-pw-1' } })).Message).toMatch(/current password/);
    // ...which may come next to the key.
    const form = await bySession.call('/api/v1/admin/account/set-properties', { Security: { PasswordFormat: 0, Password: 'new-pw-1' }, Password: admin.password });
    expect(form.body).toEqual({ Status: 200, Message: 'OK' });
    expect((await c.fails('/api/v1/admin/meta/version')).Status).toBe(403);
    await client({ username: admin.username, password: 'new-pw-1' }).ok('/api/v1/admin/meta/version');
    await client({ username: admin.username, password: 'new-pw-1' }).ok('/api/v1/admin/account/set-properties', { Security: { PasswordFormat: 0, Password: 'new-pw-2' } });
    await client({ username: admin.username, password: 'new-pw-2' }).ok('/api/v1/admin/meta/version');
  });

  it('refuses to switch every sign-in method off', async () => {
    const admin = await makeAdmin('setprops');
    const r = await client(admin).fails('/api/v1/admin/account/set-properties', { Security: { AllowPasswordLogin: false } });
    expect(r.Message).toMatch(/At least one sign-in method/);
    expect((await client(admin).fails('/api/v1/admin/account/set-properties', { Security: { AllowPasswordAndWebAuthnLogin: true } })).Message).toMatch(/security key/);
  });
});

describe('account/session-start-as-user', () => {
  it("gives a user session for the admin's own tenant only", async () => {
    const a = await makeTenant('asu');
    const b = await makeTenant('asu');
    const user = await makeUser(a.admin);
    const s = await a.admin.ok('/api/v1/admin/account/session-start-as-user', { TargetUser: user.username });
    expect(s).toMatchObject({ Status: 200, SessionType: 'user' });
    const asUser = client({ username: user.username, sessionKey: s.SessionKey });
    expect((await asUser.ok('/api/v1/user/web/get-user-profile-and-hash')).Profile.Username).toBe(user.username);
    const foreign = await b.admin.fails('/api/v1/admin/account/session-start-as-user', { TargetUser: user.username });
    const missing = await b.admin.fails('/api/v1/admin/account/session-start-as-user', { TargetUser: 'no-such-user-zz' });
    expect(foreign.Message.replace(user.username, 'X')).toBe(missing.Message.replace('no-such-user-zz', 'X'));
  });
});
