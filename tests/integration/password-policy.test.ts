// The server-wide password policy (issue 20): who may read and change it, and that every way of setting a
// password (first admin, new admin, new user, profile, admin reset, own change) obeys it, in the caller's language.
import { afterAll, describe, expect, it } from 'vitest';
import { encodeForm } from '../helpers/comet-client';
import { client, makeTenant, makeUser, rootClient, uniq } from '../helpers/fixtures';
import { makeAdmin } from '../helpers/security';

const GET = '/api/v1/admin/meta/password-policy/get';
const SET = '/api/v1/admin/meta/password-policy/set';
const DEFAULT = { MinLength: 8, RejectCommon: true };

afterAll(async () => {
  await (await rootClient()).ok(SET, DEFAULT);
});

describe('password policy settings', () => {
  it('defaults to 8 characters with the common-password check; every admin may read it, only the top level change it', async () => {
    const root = await rootClient();
    expect(await root.ok(GET)).toEqual(DEFAULT);
    const tenant = await makeTenant('pwpol');
    expect(await tenant.admin.ok(GET)).toEqual(DEFAULT);
    const refused = await tenant.admin.fails(SET, { MinLength: 4, RejectCommon: false });
    expect(refused.Status).toBe(403);
    expect(await root.ok(GET)).toEqual(DEFAULT);
  });

  it('refuses a minimum length outside 1 to 128 and malformed values, and keeps the stored policy', async () => {
    const root = await rootClient();
    for (const MinLength of [0, 129, -5]) {
      expect(await root.fails(SET, { MinLength, RejectCommon: true })).toEqual({ Status: 400, Message: 'The minimum password length must be a whole number from 1 to 128' });
    }
    expect((await root.fails(SET, { MinLength: 'eight', RejectCommon: true })).Status).toBe(400);
    expect((await root.fails(SET, { RejectCommon: true })).Status).toBe(400);
    expect(await root.ok(GET)).toEqual(DEFAULT);
  });

  it('applies a new policy to the very next password', async () => {
    const root = await rootClient();
    expect(await root.ok(SET, { MinLength: 12, RejectCommon: false })).toEqual({ MinLength: 12, RejectCommon: false });
    expect(await root.ok(GET)).toEqual({ MinLength: 12, RejectCommon: false });
    const short = await root.fails('/api/v1/admin/add-user', { TargetUser: uniq('pw12'), TargetPassword: 'eleven-char' });
    expect(short).toEqual({ Status: 400, Message: 'The password must be at least 12 characters long' });
    // The common-password check is off: a 12-character common password passes.
    await root.ok('/api/v1/admin/add-user', { TargetUser: uniq('pw12'), TargetPassword: 'password1234' });
    await root.ok(SET, DEFAULT);
  });
});

describe('every way of setting a password obeys the policy', () => {
  const tooShort = { Status: 400, Message: 'The password must be at least 8 characters long' };
  const common = { Status: 400, Message: 'This password is one of the most common passwords and is easily guessed: choose another' };

  it('new users (by a tenant admin too) and profiles', async () => {
    const root = await rootClient();
    const tenant = await makeTenant('pwusers');
    expect(await tenant.admin.fails('/api/v1/admin/add-user', { TargetUser: uniq('u'), TargetPassword: 'short' })).toEqual(tooShort);
    expect(await tenant.admin.fails('/api/v1/admin/add-user', { TargetUser: uniq('u'), TargetPassword: 'Password123' })).toEqual(common);
    expect(await root.fails('/api/v1/admin/add-user', { TargetUser: uniq('u'), TargetPassword: '' })).toEqual({ Status: 400, Message: 'The password must not be empty' });
    const name = uniq('u');
    expect(await root.fails('/api/v1/admin/add-user-from-profile', { TargetUser: name, ProfileData: { Username: name, PasswordFormat: 0, PasswordHash: 'qwerty123' } })).toEqual(common);
    // Nothing was created by the refusals.
    expect((await root.call('/api/v1/admin/get-user-profile', { TargetUser: name })).body.Status).toBe(400);
    await tenant.admin.ok('/api/v1/admin/add-user', { TargetUser: uniq('u'), TargetPassword: 'a-long-enough-one' });
  });

  it('admin resets, profile password changes and new administrators', async () => {
    const root = await rootClient();
    const tenant = await makeTenant('pwreset');
    const user = await makeUser(tenant.admin);
    expect(await tenant.admin.fails('/api/v1/admin/reset-user-password', { TargetUser: user.username, NewPassword: 'letmein1' })).toEqual(common);
    expect(await tenant.admin.fails('/api/v1/admin/reset-user-password', { TargetUser: user.username, NewPassword: 'abc' })).toEqual(tooShort);
    // The refused reset left the old password in place.
    expect((await client({ username: user.username, password: user.password }).ok('/api/v1/user/web/get-user-profile-and-hash')).Profile.Username).toBe(user.username);
    const profile = await tenant.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: user.username });
    const viaProfile = await tenant.admin.fails('/api/v1/admin/set-user-profile', { TargetUser: user.username, ProfileData: { ...profile, PasswordFormat: 0, PasswordHash: 'tiny' } });
    expect(viaProfile).toEqual(tooShort);
    expect(await root.fails('/api/v1/admin/admin-user/new', { TargetUser: uniq('adm'), TargetPassword: 'welcome1' })).toEqual(common);
  });

  it("an administrator's own password change", async () => {
    const admin = await makeAdmin('pwown');
    const c = client(admin);
    const res = await c.fails('/api/v1/admin/account/set-properties', { Security: { PasswordFormat: 0, Password: 'iloveyou' } });
    expect(res).toEqual(common);
  });

  it('the first administrator: a server that has one answers 403 whatever the password', async () => {
    await rootClient();
    const again = await client().fails('/api/v1/admin/add-first-admin-user', { TargetUser: uniq('first'), TargetPassword: 'x' });
    expect(again.Status).toBe(403);
  });

  it("answers in the caller's language, naming the rule rather than the API parameter", async () => {
    const root = await rootClient();
    const body = encodeForm(root.creds, { TargetUser: uniq('de'), TargetPassword: 'kurz' }).toString();
    const res = await root.raw('/api/v1/admin/add-user', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'de-DE,de;q=0.9' }, body });
    expect(res.body).toEqual({ Status: 400, Message: 'Das Passwort muss mindestens 8 Zeichen lang sein' });
    expect(res.body.Message).not.toMatch(/TargetPassword/);
  });
});

describe('transfer back to the top level', () => {
  it('a top-level admin moves a tenant user to the top level ("" organization) and back', async () => {
    const root = await rootClient();
    const tenant = await makeTenant('pwxfer');
    const user = await makeUser(tenant.admin);
    const res = await root.ok('/api/v1/admin/transfer-user', { TargetUser: user.username, TargetOrganization: '' });
    expect(res.Status).toBe(200);
    expect((await root.ok('/api/v1/admin/get-user-profile', { TargetUser: user.username })).OrganizationID ?? '').toBe('');
    expect((await tenant.admin.call('/api/v1/admin/get-user-profile', { TargetUser: user.username })).body.Status).toBe(400);
    const again = await root.fails('/api/v1/admin/transfer-user', { TargetUser: user.username, TargetOrganization: '' });
    expect(again).toEqual({ Status: 400, Message: expect.stringMatching(/already in that organization/) });
    await root.ok('/api/v1/admin/transfer-user', { TargetUser: user.username, TargetOrganization: tenant.id });
    expect((await tenant.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: user.username })).Username).toBe(user.username);
  });
});
