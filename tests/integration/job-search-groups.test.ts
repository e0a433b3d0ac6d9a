// Job search by user group: Halley.UserGroupID matches the jobs of the group's users (the group a user is in
// now), "" the jobs of users in no group; another tenant's group matches nothing, like a missing one.
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTenant, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { jobDetail, nowSeconds, seedJobs } from '../helpers/jobs';
import { sampleProfile } from '../helpers/sample-profile';

let a: TenantFixture;
let b: TenantFixture;
const users: Record<'inGroup' | 'other' | 'none' | 'foreign', string> = { inGroup: '', other: '', none: '', foreign: '' };
let group: string;
let otherGroup: string;
let foreignGroup: string;

const rule = (op: string, value: string) => ({ ClauseType: 'and', ClauseChildren: [{ ClauseType: '', RuleField: 'Halley.UserGroupID', RuleOperator: op, RuleValue: value }] });

beforeAll(async () => {
  [a, b] = await Promise.all([makeTenant('jsg-a'), makeTenant('jsg-b')]);
  for (const k of Object.keys(users) as Array<keyof typeof users>) {
    users[k] = uniq(`jsg-${k}`);
    const by = k === 'foreign' ? b.admin : a.admin;
    await by.ok('/api/v1/admin/add-user-from-profile', { TargetUser: users[k], ProfileData: sampleProfile(users[k]) });
  }
  group = (await a.admin.ok('/api/v1/admin/user-groups/new', { Name: 'Accounting' })).UserGroupID as string;
  otherGroup = (await a.admin.ok('/api/v1/admin/user-groups/new', { Name: 'Sales' })).UserGroupID as string;
  foreignGroup = (await b.admin.ok('/api/v1/admin/user-groups/new', { Name: 'B' })).UserGroupID as string;
  await a.admin.ok('/api/v1/admin/user-groups/set-users-for-group', { GroupID: group, Users: [users.inGroup] });
  await a.admin.ok('/api/v1/admin/user-groups/set-users-for-group', { GroupID: otherGroup, Users: [users.other] });
  await b.admin.ok('/api/v1/admin/user-groups/set-users-for-group', { GroupID: foreignGroup, Users: [users.foreign] });
  const now = nowSeconds();
  await seedJobs(Object.values(users).flatMap((u) => [1, 2].map((i) => jobDetail(u, { StartTime: now - i * 3600, EndTime: now - i * 3600 + 60 }))));
}, 120_000);

const usernames = (jobs: Array<{ Username: string }>) => [...new Set(jobs.map((j) => j.Username))].sort();

describe('job search by user group', () => {
  it('finds the jobs of a group’s users, of users in no group, and of everyone else', async () => {
    const search = async (Query: object) => usernames(await a.admin.ok('/api/v1/admin/get-jobs-for-custom-search', { Query }));
    expect(await search(rule('str_eq', group))).toEqual([users.inGroup]);
    expect(await search(rule('str_eq', ''))).toEqual([users.none]);
    expect(await search(rule('str_neq', group))).toEqual([users.none, users.other].sort());
    expect((await a.admin.ok('/api/v1/admin/count-jobs-for-custom-search', { Query: rule('str_eq', group) })).Count).toBe(2);
  });

  it('treats another tenant’s group like a missing one, and the top level sees each tenant’s groups', async () => {
    expect(await a.admin.ok('/api/v1/admin/get-jobs-for-custom-search', { Query: rule('str_eq', foreignGroup) })).toEqual([]);
    expect(await a.admin.ok('/api/v1/admin/get-jobs-for-custom-search', { Query: rule('str_eq', 'no-such-group') })).toEqual([]);
    const root = await rootClient();
    expect(usernames(await root.ok('/api/v1/admin/get-jobs-for-custom-search', { Query: rule('str_eq', foreignGroup) }))).toEqual([users.foreign]);
  });

  it('refuses an operator of the wrong kind for the group field', async () => {
    const res = await a.admin.fails('/api/v1/admin/get-jobs-for-custom-search', { Query: rule('int_eq', '1') });
    expect(res).toMatchObject({ Status: 400 });
    expect(String(res.Message)).toMatch(/integer fields only/);
  });
});
