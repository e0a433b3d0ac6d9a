// End-user accounts over the API: profiles round-trip, hashes guard writes, secrets never leave.
import { describe, expect, it } from 'vitest';
import { client, makeTenant, makeUser, rootClient, uniq } from '../helpers/fixtures';
import { sampleProfile } from '../helpers/sample-profile';

describe('users', () => {
  it('add-user, list-users, list-users-full and get-user-profile', async () => {
    const t = await makeTenant('users');
    const u = await makeUser(t.admin, { password: 'first-pass' });
    expect(await t.admin.ok('/api/v1/admin/list-users')).toEqual([u.username]);
    const full = await t.admin.ok('/api/v1/admin/list-users-full');
    expect(Object.keys(full)).toEqual([u.username]);
    const profile = await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: u.username });
    expect(profile).toEqual(full[u.username]);
    expect(profile.Username).toBe(u.username);
    expect(profile.OrganizationID).toBe(t.id);
    expect(profile.PasswordHash).toBe('');
    expect(profile.CreateTime).toBeGreaterThan(1_700_000_000);
    // Duplicate usernames are refused server-wide.
    expect((await t.admin.fails('/api/v1/admin/add-user', { TargetUser: u.username, TargetPassword: 'taken-name-pw-1' })).Status).toBe(409);
    // The new user can sign in with the password.
    expect((await client({ username: u.username, password: 'first-pass' }).ok('/api/v1/user/web/session/start')).SessionType).toBe('user');
  });

  it('add-user-from-profile keeps unknown fields, hides secrets, and keeps them on a round trip', async () => {
    const t = await makeTenant('profile');
    const username = uniq('prof');
    await t.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: username, ProfileData: sampleProfile(username) });
    const got = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: username });
    const p = got.Profile;
    expect(p.TopLevelFieldFromTheFuture).toEqual({ keep: 'me' });
    expect(p.Destinations['vault-s3'].FutureVaultField).toEqual({ nested: [1, 2, 3] });
    expect(p.BackupRules['rule-nightly'].UnknownRuleFlag).toBe(true);
    expect(Object.keys(p.Devices)).toEqual(['dev-1', 'dev-2']);
    expect(p.Devices['dev-1'].PlatformVersion).toEqual({ os: 'windows', arch: 'amd64' });
    expect(p.Destinations['vault-s3'].S3SecretKey).toBe('');
    expect(p.Destinations['vault-sftp'].SFTPPassword).toBe('');
    expect(p.Destinations['vault-s3'].S3AccessKey).toBe('AKIAEXAMPLE');
    expect(JSON.stringify(got)).not.toMatch(/secret-value|initial-password/);
    // The password given as PasswordFormat 0 was hashed and works.
    await client({ username, password: 'initial-password-1' }).ok('/api/v1/user/web/session/start');

    // get → change → set-user-profile-hash keeps the stored secrets (they came back blank).
    p.AccountName = 'Renamed Ltd';
    const saved = await t.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: username, ProfileData: p, RequireHash: got.ProfileHash });
    expect(saved.Profile.AccountName).toBe('Renamed Ltd');
    expect(saved.ProfileHash).not.toBe(got.ProfileHash);
    expect(await t.admin.ok('/api/v1/admin/get-user-profile-hash', { TargetUser: username })).toMatchObject({ ProfileHash: saved.ProfileHash });
    // The old password still works: an empty PasswordHash means "unchanged".
    await client({ username, password: 'initial-password-1' }).ok('/api/v1/user/web/session/start');

    // A stale hash is refused and changes nothing.
    const stale = await t.admin.fails('/api/v1/admin/set-user-profile-hash', {
      TargetUser: username,
      ProfileData: { ...p, AccountName: 'Lost update' },
      RequireHash: got.ProfileHash,
    });
    expect(stale.Status).toBe(409);
    expect((await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: username })).AccountName).toBe('Renamed Ltd');
  });

  it('set-user-profile replaces the profile and validates it', async () => {
    const t = await makeTenant('setp');
    const u = await makeUser(t.admin);
    const p = await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: u.username });
    p.Emails = ['a@example.com', 'b@example.com'];
    p.MaximumDevices = 3;
    await t.admin.ok('/api/v1/admin/set-user-profile', { TargetUser: u.username, ProfileData: p });
    const after = await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: u.username });
    expect(after.Emails).toEqual(['a@example.com', 'b@example.com']);
    expect(after.MaximumDevices).toBe(3);
    expect((await t.admin.fails('/api/v1/admin/set-user-profile', { TargetUser: u.username, ProfileData: { ...p, Username: 'someone-else' } })).Status).toBe(400);
    expect((await t.admin.fails('/api/v1/admin/set-user-profile', { TargetUser: u.username, ProfileData: { ...p, PolicyID: 'no-such-policy' } })).Message).toMatch(
      /Policy 'no-such-policy' was not found/,
    );
    // A refused write left the profile as it was.
    expect(await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: u.username })).toEqual(after);
  });

  it('reset-user-password, revoke-device and delete-user', async () => {
    const t = await makeTenant('lifecycle');
    const username = uniq('life');
    await t.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: username, ProfileData: sampleProfile(username) });
    const session = await client({ username, password: 'initial-password-1' }).ok('/api/v1/user/web/session/start');
    expect((await t.admin.fails('/api/v1/admin/reset-user-password', { TargetUser: username, NewPassword: 'n', OldPassword: 'wrong' })).Status).toBe(400);
    await t.admin.ok('/api/v1/admin/reset-user-password', { TargetUser: username, NewPassword: 'new-password-2', OldPassword: 'initial-password-1' });
    expect((await client({ username, password: 'initial-password-1' }).fails('/api/v1/user/web/session/start')).Status).toBe(403);
    await client({ username, password: 'new-password-2' }).ok('/api/v1/user/web/session/start');
    // Sessions from before the reset are over.
    expect((await client({ username, sessionKey: session.SessionKey }).fails('/api/v1/user/web/get-user-profile-and-hash')).Status).toBe(403);

    await t.admin.ok('/api/v1/admin/revoke-device', { TargetUser: username, TargetDevice: 'dev-1' });
    expect(Object.keys((await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: username })).Devices)).toEqual(['dev-2']);
    expect((await t.admin.fails('/api/v1/admin/revoke-device', { TargetUser: username, TargetDevice: 'dev-1' })).Status).toBe(404);

    await t.admin.ok('/api/v1/admin/delete-user', { TargetUser: username });
    expect(await t.admin.ok('/api/v1/admin/list-users')).toEqual([]);
    expect((await t.admin.fails('/api/v1/admin/get-user-profile', { TargetUser: username })).Status).toBe(400);
  });

  it('end users read and save their own profile, but not admin-controlled fields', async () => {
    const t = await makeTenant('web');
    const u = await makeUser(t.admin);
    const me = client({ username: u.username, password: u.password });
    const got = await me.ok('/api/v1/user/web/get-user-profile-and-hash');
    const profile = { ...got.Profile, AccountName: 'Mine', MaximumDevices: 999, IsSuspended: true };
    const saved = await me.ok('/api/v1/user/web/set-profile-hash', { ProfileData: profile, ProfileHash: got.ProfileHash });
    expect(saved.Profile.AccountName).toBe('Mine');
    expect(saved.Profile.MaximumDevices).toBe(got.Profile.MaximumDevices);
    expect(saved.Profile.IsSuspended).toBe(false);
    expect((await me.fails('/api/v1/user/web/set-profile-hash', { ProfileData: profile, ProfileHash: got.ProfileHash })).Status).toBe(409);
    const s = await me.ok('/api/v1/user/web/session/start');
    const bySession = client({ username: u.username, sessionKey: s.SessionKey });
    await bySession.ok('/api/v1/user/web/session/revoke');
    expect((await bySession.fails('/api/v1/user/web/get-user-profile-and-hash')).Status).toBe(403);
  });

  it('top-level admins see every tenant and can target one', async () => {
    const root = await rootClient();
    const a = await makeTenant('tla');
    const ua = await makeUser(a.admin);
    const ub = await makeUser(root, { targetOrganization: a.id });
    const all: string[] = await root.ok('/api/v1/admin/list-users');
    expect(all).toEqual(expect.arrayContaining([ua.username, ub.username]));
    expect((await a.admin.ok('/api/v1/admin/list-users')).sort()).toEqual([ua.username, ub.username].sort());
    expect((await root.fails('/api/v1/admin/add-user', { TargetUser: uniq('x'), TargetPassword: 'no-org-pw-123', TargetOrganization: 'no-such-org' })).Status).toBe(404);
  });
});
