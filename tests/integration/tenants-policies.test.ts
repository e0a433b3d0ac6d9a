// Tenants, administrators and policies over the API, with the events each change writes.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { client, makeTenant, makeUser, rootClient, uniq } from '../helpers/fixtures';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
afterAll(() => pool.end());

async function eventsFor(resourceId: string): Promise<number[]> {
  const { rows } = await pool.query('SELECT type FROM "Event" WHERE "resourceId" = $1 ORDER BY id', [resourceId]);
  return rows.map((r) => r.type);
}

describe('organizations', () => {
  it('create, list, update and delete a tenant; secrets are kept and never returned', async () => {
    const root = await rootClient();
    const name = uniq('org');
    const created = await root.ok('/api/v1/admin/organization/set', {
      Organization: { Name: name, Hosts: ['Backup.Example.com'], Email: { FromEmail: 'noreply@example.com', SMTPPassword: 'smtp-secret' }, Future: 1 },
    });
    expect(created.ID).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.Organization.Hosts).toEqual(['backup.example.com']);
    expect(JSON.stringify(created)).not.toMatch(/smtp-secret/);
    const list = await root.ok('/api/v1/admin/organization/list');
    expect(list[created.ID].Name).toBe(name);
    expect(list[created.ID].Future).toBe(1);
    expect(list[created.ID].Email.SMTPPassword ?? '').toBe('');
    // Another tenant can't claim the same host: a clear 400 (issue 13; lib/tenancy/host.ts).
    expect((await root.fails('/api/v1/admin/organization/set', { Organization: { Name: uniq('o'), Hosts: ['backup.example.com'] } })).Status).toBe(400);
    const updated = await root.ok('/api/v1/admin/organization/set', { OrganizationID: created.ID, Organization: { ...list[created.ID], Name: `${name}-2` } });
    expect(updated.Organization.Name).toBe(`${name}-2`);
    const { rows } = await pool.query('SELECT secrets FROM "Tenant" WHERE id = $1', [created.ID]);
    expect(rows[0].secrets).toMatch(/^v1:/);
    expect(rows[0].secrets).not.toMatch(/smtp-secret/);
    expect((await root.fails('/api/v1/admin/organization/set', { OrganizationID: 'missing-id', Organization: { Name: 'x' } })).Status).toBe(404);
    expect((await root.fails('/api/v1/admin/organization/set', { Organization: { Name: '  ' } })).Status).toBe(400);

    const u = await makeUser(root, { targetOrganization: created.ID });
    await root.ok('/api/v1/admin/organization/delete', { OrganizationID: created.ID });
    expect((await root.ok('/api/v1/admin/organization/list'))[created.ID]).toBeUndefined();
    expect((await root.fails('/api/v1/admin/get-user-profile', { TargetUser: u.username })).Status).toBe(400);
    expect(await eventsFor(created.ID)).toEqual([4500, 4502, 4501]);
  });
});

describe('administrators', () => {
  it('top-level admins manage admins; the list never carries secrets', async () => {
    const root = await rootClient();
    const t = await makeTenant('adm');
    const admins = await root.ok('/api/v1/admin/admin-user/list');
    const mine = admins.find((a: any) => a.Username === t.adminName);
    expect(mine.OrganizationID).toBe(t.id);
    expect(mine.Password).toBe('');
    // No hash and no test password (tests/helpers/security.ts makeAdmin: "pw-" + 12 hex) anywhere in the list.
    expect(admins.every((a: any) => a.Password === '')).toBe(true);
    expect(JSON.stringify(admins)).not.toMatch(/scrypt\$|"pw-[0-9a-f]{12}"/);
    expect((await root.fails('/api/v1/admin/admin-user/new', { TargetUser: t.adminName, TargetPassword: 'taken-admin-pw-1' })).Status).toBe(409);
    expect((await t.admin.fails('/api/v1/admin/admin-user/list')).Status).toBe(403);
    const props = await t.admin.ok('/api/v1/admin/account/properties');
    expect(props.OrganizationID).toBe(t.id);
    await root.ok('/api/v1/admin/admin-user/delete', { TargetUser: t.adminName });
    expect((await t.admin.fails('/api/v1/admin/list-users')).Status).toBe(403);
    expect((await root.fails('/api/v1/admin/admin-user/delete', { TargetUser: t.adminName })).Status).toBe(404);
    // Sign-ins are events too: one SEVT_ACCOUNT_ADMIN_LOGIN (4153) before the removal, and the attempt
    // after it is a SEVT_ACCOUNT_ADMIN_LOGIN_FAILED (4154).
    expect(await eventsFor(t.adminName)).toEqual([4150, 4153, 4151, 4154]);
  });

  it('refuses to delete yourself', async () => {
    const root = await rootClient();
    expect((await root.fails('/api/v1/admin/admin-user/delete', { TargetUser: root.creds!.username })).Status).toBe(400);
  });
});

describe('policies', () => {
  it('create, read, update with hash check, apply to accounts, delete', async () => {
    const t = await makeTenant('pol');
    const created = await t.admin.ok('/api/v1/admin/policies/new', {
      Policy: { Description: 'Locked down', Policy: { PreventDeleteStorageVault: true, RandomDelaySecs: 60 }, DefaultUserPolicy: true },
    });
    const id = created.PolicyID;
    expect(created.Message).toBe(id);
    expect(await t.admin.ok('/api/v1/admin/policies/list')).toEqual({ [id]: 'Locked down' });
    const got = await t.admin.ok('/api/v1/admin/policies/get', { PolicyID: id });
    expect(got.PolicyHash).toBe(created.PolicyHash);
    expect(got.Policy.OrganizationID).toBe(t.id);

    // A new user gets the tenant's default policy as its effective Policy.
    const u = await makeUser(t.admin);
    let profile = await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: u.username });
    expect(profile.PolicyID).toBe(id);
    expect(profile.Policy.PreventDeleteStorageVault).toBe(true);

    // Updating the policy refreshes every account that uses it.
    await t.admin.ok('/api/v1/admin/policies/set', {
      PolicyID: id,
      Policy: { ...got.Policy, Policy: { PreventDeleteStorageVault: false, PreventChangeAccountName: true } },
      CheckPolicyHash: got.PolicyHash,
    });
    profile = await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: u.username });
    expect(profile.Policy.PreventDeleteStorageVault).toBe(false);
    expect(profile.Policy.PreventChangeAccountName).toBe(true);
    // The end user is now bound by it.
    const me = client({ username: u.username, password: u.password });
    const mine = await me.ok('/api/v1/user/web/get-user-profile-and-hash');
    expect((await me.fails('/api/v1/user/web/set-profile-hash', { ProfileData: { ...mine.Profile, AccountName: 'new name' }, ProfileHash: mine.ProfileHash })).Status).toBe(403);

    expect((await t.admin.fails('/api/v1/admin/policies/set', { PolicyID: id, Policy: got.Policy, CheckPolicyHash: got.PolicyHash })).Status).toBe(409);
    const full = await t.admin.ok('/api/v1/admin/policies/list-full');
    expect(full[id].Policy.PreventChangeAccountName).toBe(true);

    await t.admin.ok('/api/v1/admin/policies/delete', { PolicyID: id });
    expect(await t.admin.ok('/api/v1/admin/policies/list')).toEqual({});
    expect((await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: u.username })).PolicyID).toBe('');
    expect((await t.admin.fails('/api/v1/admin/policies/get', { PolicyID: id })).Status).toBe(404);
    expect(await eventsFor(id)).toEqual([4600, 4602, 4601]);
  });

  it('top-level admins filter policies by TargetOrganization', async () => {
    const root = await rootClient();
    const a = await makeTenant('pa');
    const b = await makeTenant('pb');
    const pa = (await a.admin.ok('/api/v1/admin/policies/new', { Policy: { Description: 'A' } })).PolicyID;
    const pb = (await b.admin.ok('/api/v1/admin/policies/new', { Policy: { Description: 'B' } })).PolicyID;
    expect(await root.ok('/api/v1/admin/policies/list', { TargetOrganization: a.id })).toEqual({ [pa]: 'A' });
    const all = await root.ok('/api/v1/admin/policies/list');
    expect(all[pa]).toBe('A');
    expect(all[pb]).toBe('B');
  });
});
