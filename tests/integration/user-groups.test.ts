// Comet user groups (issue 18): create, list, rename, set members (a user in at most one group, its profile's
// GroupID follows), get with users, delete; events 4800-4802; tenant scope and bad input.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTenant, makeUser, rootClient, type TenantFixture } from '../helpers/fixtures';
import type { CometClient } from '../helpers/comet-client';

let db: pg.Client;
let a: TenantFixture;
let b: TenantFixture;
let root: CometClient;

beforeAll(async () => {
  db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  root = await rootClient();
  [a, b] = await Promise.all([makeTenant('grp-a'), makeTenant('grp-b')]);
});

afterAll(async () => {
  await db?.end();
});

const events = async (tenantId: string, id: string) =>
  (await db.query(`SELECT type FROM "Event" WHERE "tenantId" = $1 AND "resourceId" = $2 ORDER BY id`, [tenantId, id])).rows.map((r) => r.type);

describe('admin/user-groups', () => {
  it('creates, lists, renames, fills, reads and deletes a group, one group per user', async () => {
    const [u1, u2] = [(await makeUser(a.admin)).username, (await makeUser(a.admin)).username];
    const g1 = (await a.admin.ok('/api/v1/admin/user-groups/new', { Name: 'Accounting' })).UserGroupID as string;
    const g2 = (await a.admin.ok('/api/v1/admin/user-groups/new', { Name: 'Sales' })).UserGroupID as string;
    expect(await a.admin.ok('/api/v1/admin/user-groups/list')).toEqual({ [g1]: 'Accounting', [g2]: 'Sales' });
    const full = await a.admin.ok('/api/v1/admin/user-groups/list-full');
    expect(full[g1]).toMatchObject({ Name: 'Accounting', OrganizationID: a.id, CreatedAt: expect.any(Number) });

    await a.admin.ok('/api/v1/admin/user-groups/set', { GroupID: g1, Group: { ...full[g1], Name: 'Finance' } });
    await a.admin.ok('/api/v1/admin/user-groups/set-users-for-group', { GroupID: g1, Users: [u1, u2] });
    expect((await a.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: u1 })).GroupID).toBe(g1);
    // Moving u2 to Sales takes it out of Finance; setting Finance to [u1] keeps u1 only.
    await a.admin.ok('/api/v1/admin/user-groups/set-users-for-group', { GroupID: g2, Users: [u2] });
    const got = await a.admin.ok('/api/v1/admin/user-groups/get', { GroupID: g1, IncludeUsers: true });
    expect(got.UserGroup.Name).toBe('Finance');
    expect(Object.keys(got.Users)).toEqual([u1]);
    expect(got.Users[u1].GroupID).toBe(g1);
    expect((await a.admin.ok('/api/v1/admin/user-groups/get', { GroupID: g2 })).Users).toEqual({});

    await a.admin.ok('/api/v1/admin/user-groups/delete', { GroupID: g2 });
    expect((await a.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: u2 })).GroupID).toBe('');
    expect(Object.keys(await a.admin.ok('/api/v1/admin/user-groups/list'))).toEqual([g1]);
    expect(await events(a.id, g1)).toEqual([4800, 4802, 4802]);
    expect(await events(a.id, g2)).toEqual([4800, 4802, 4801]);
  });

  it('keeps groups in their tenant: a foreign group or user answers like a missing one', async () => {
    const gb = (await b.admin.ok('/api/v1/admin/user-groups/new', { Name: 'B only' })).UserGroupID as string;
    const ga = (await a.admin.ok('/api/v1/admin/user-groups/new', { Name: 'A only' })).UserGroupID as string;
    const ub = (await makeUser(b.admin)).username;
    expect(Object.keys(await a.admin.ok('/api/v1/admin/user-groups/list'))).not.toContain(gb);
    const foreign = await a.admin.fails('/api/v1/admin/user-groups/get', { GroupID: gb });
    const missing = await a.admin.fails('/api/v1/admin/user-groups/get', { GroupID: 'no-such-group' });
    expect(foreign.Status).toBe(missing.Status);
    expect(foreign.Message.replace(gb, '<id>')).toBe(missing.Message.replace('no-such-group', '<id>'));
    expect((await a.admin.fails('/api/v1/admin/user-groups/delete', { GroupID: gb })).Status).toBe(404);
    expect((await a.admin.fails('/api/v1/admin/user-groups/set', { GroupID: gb, Group: { Name: 'x' } })).Status).toBe(404);
    // B's user cannot join A's group.
    expect((await a.admin.fails('/api/v1/admin/user-groups/set-users-for-group', { GroupID: ga, Users: [ub] })).Message).toMatch(/was not found/);
    expect((await b.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: ub })).GroupID).toBe('');
    expect((await a.admin.fails('/api/v1/admin/user-groups/list', { TargetOrganization: b.id })).Status).toBe(403);
    // The top level sees both, or one tenant's, and creates in a tenant.
    const all = await root.ok('/api/v1/admin/user-groups/list');
    expect(Object.keys(all)).toEqual(expect.arrayContaining([ga, gb]));
    expect(Object.keys(await root.ok('/api/v1/admin/user-groups/list', { TargetOrganization: b.id }))).toEqual([gb]);
    const made = (await root.ok('/api/v1/admin/user-groups/new', { Name: 'by root', TargetOrganization: b.id })).UserGroupID;
    expect((await b.admin.ok('/api/v1/admin/user-groups/list'))[made]).toBe('by root');
  });

  it('refuses bad input', async () => {
    expect((await a.admin.fails('/api/v1/admin/user-groups/new', { Name: '  ' })).Message).toMatch(/Name must not be empty/);
    const g = (await a.admin.ok('/api/v1/admin/user-groups/new', { Name: 'Ops' })).UserGroupID;
    expect((await a.admin.fails('/api/v1/admin/user-groups/set', { GroupID: g, Group: { Name: 7 } })).Status).toBe(400);
    expect((await a.admin.fails('/api/v1/admin/user-groups/set-users-for-group', { GroupID: g, Users: 'bob' })).Status).toBe(400);
    expect((await a.admin.fails('/api/v1/admin/user-groups/set-users-for-group', { GroupID: g, Users: ['nobody-here'] })).Message).toMatch(/'nobody-here' was not found/);
    expect((await a.admin.ok('/api/v1/admin/user-groups/get', { GroupID: g })).UserGroup.Name).toBe('Ops');
  });
});
