// The users and devices tables as an operations desk (issue 20), over the API: list-users-page's extra
// columns (last backup, storage used, devices online/total) and their sorting, the bulk user actions with
// per-user results, the CSV export (selection and all matching, streamed), and the paged, filtered devices
// list — each for a tenant admin, with bad input, and with another tenant's users looking missing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentDevice } from '../../agent/device';
import { makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { jobDetail, nowSeconds, seedJobs, UNMEASURED_VAULT } from '../helpers/jobs';
import { liveConnectionId, startAgent } from '../helpers/live';
import { sql } from '../helpers/security';
import { halleyUrl } from '../helpers/server';

let t: TenantFixture;
let other: TenantFixture;
let users: Array<{ username: string; password: string }>;
let foreignUser: string;
let agent: AgentDevice;
let prefix: string;

type Row = { Username: string; Devices: number; DevicesOnline: number; LastBackupStatus: number; LastBackupTime: number; StorageUsedBytes: number; PolicyID: string; IsSuspended: boolean };

const page = async (params: Record<string, string | number | boolean>) =>
  (await t.admin.ok('/api/v1/admin/list-users-page', { Query: prefix, Limit: 50, ...params })) as { Users: Row[]; TotalCount: number };

async function accountId(username: string): Promise<{ id: string; tenantId: string }> {
  return (await sql<{ id: string; tenantId: string }>('SELECT "id", "tenantId" FROM "Account" WHERE "username" = $1', [username]))[0];
}

beforeAll(async () => {
  await rootClient();
  t = await makeTenant('desk');
  other = await makeTenant('desk-other');
  prefix = uniq('desk');
  users = [];
  // A common prefix keeps this file's rows together (other files add users too).
  for (const n of ['a', 'b', 'c']) {
    const username = `${prefix}-${n}`;
    await t.admin.ok('/api/v1/admin/add-user', { TargetUser: username, TargetPassword: 'Correct-Horse-42' });
    users.push({ username, password: 'Correct-Horse-42' });
  }
  foreignUser = (await makeUser(other.admin)).username;
  const now = nowSeconds();
  // a: an older success and a newer failure; b: one success; c: no backup at all.
  // The jobs measured no vault size, so the workers do not recompute the ledger rows set below.
  await seedJobs([
    jobDetail(users[0].username, { StartTime: now - 7200, EndTime: now - 7000, Status: 5000, ...UNMEASURED_VAULT }),
    jobDetail(users[0].username, { StartTime: now - 600, EndTime: now - 500, Status: 7002, ...UNMEASURED_VAULT }),
    jobDetail(users[1].username, { StartTime: now - 3600, EndTime: now - 3000, Status: 5000, ...UNMEASURED_VAULT }),
  ]);
  // Storage used: the usage ledger's newest day counts.
  for (const [i, bytes] of [[0, 5_000_000], [1, 9_000_000]] as const) {
    const a = await accountId(users[i].username);
    await sql('INSERT INTO "UsageAccountDay" ("tenantId", "accountId", "day", "username", "storageBytes") VALUES ($1, $2, CURRENT_DATE - 1, $3, 1), ($1, $2, CURRENT_DATE, $3, $4)', [a.tenantId, a.id, users[i].username, bytes]);
  }
  // b has a live device (the reference agent) and an old, offline Windows device.
  agent = startAgent(halleyUrl(), users[1]);
  await liveConnectionId(t.admin, agent.state.deviceId);
  const b = await accountId(users[1].username);
  await sql('INSERT INTO "Device" ("id", "tenantId", "accountId", "deviceId", "friendlyName", "clientVersion", "data", "position") VALUES ($1, $2, $3, $4, $5, $6, $7, 5)', [
    randomUUID(), b.tenantId, b.id, `${prefix}-old-device`, 'Old office PC', '20.1.0', JSON.stringify({ PlatformVersion: { os: 'windows' } }),
  ]);
}, 120_000);

afterAll(async () => {
  agent?.stop();
});

describe('list-users-page', () => {
  it('has last backup, storage used and devices online/total for each user, from one page query', async () => {
    const res = await page({});
    expect(res.TotalCount).toBe(3);
    const [a, b, c] = res.Users;
    expect(a).toMatchObject({ Username: users[0].username, LastBackupStatus: 7002, StorageUsedBytes: 5_000_000, Devices: 0, DevicesOnline: 0 });
    expect(a.LastBackupTime).toBeGreaterThan(nowSeconds() - 700);
    expect(b).toMatchObject({ Username: users[1].username, LastBackupStatus: 5000, StorageUsedBytes: 9_000_000, Devices: 2, DevicesOnline: 1 });
    expect(c).toMatchObject({ Username: users[2].username, LastBackupStatus: 0, LastBackupTime: 0, StorageUsedBytes: 0 });
  });

  it('sorts by last backup and storage used on the server (users without one last in either direction)', async () => {
    expect((await page({ SortBy: 'LastBackup', SortDesc: true })).Users.map((u) => u.Username)).toEqual([users[0], users[1], users[2]].map((u) => u.username));
    expect((await page({ SortBy: 'LastBackup' })).Users.map((u) => u.Username)).toEqual([users[1], users[0], users[2]].map((u) => u.username));
    expect((await page({ SortBy: 'StorageUsed', SortDesc: true })).Users.map((u) => u.Username)).toEqual([users[1], users[0], users[2]].map((u) => u.username));
    expect((await page({ SortBy: 'Devices', SortDesc: true, Limit: 1 })).Users.map((u) => u.Username)).toEqual([users[1].username]);
    expect((await page({ SortBy: 'Username', Offset: 1, Limit: 1 })).Users.map((u) => u.Username)).toEqual([users[1].username]);
  });

  it('refuses bad sorting and paging', async () => {
    expect((await t.admin.fails('/api/v1/admin/list-users-page', { SortBy: 'Password' })).Message).toMatch(/SortBy must be one of/);
    expect((await t.admin.fails('/api/v1/admin/list-users-page', { Limit: 0 })).Message).toMatch(/Limit/);
    expect((await t.admin.fails('/api/v1/admin/list-users-page', { Offset: -1 })).Message).toMatch(/Offset/);
  });

  it("treats % and _ in the search as text and never shows another tenant's users", async () => {
    expect((await t.admin.ok('/api/v1/admin/list-users-page', { Query: '%' })).TotalCount).toBe(0);
    expect((await t.admin.ok('/api/v1/admin/list-users-page', { Query: foreignUser })).TotalCount).toBe(0);
  });
});

describe('users/bulk', () => {
  it('applies a policy of the tenant to each user and removes it again', async () => {
    const policy = (await t.admin.ok('/api/v1/admin/policies/new', { Policy: { Description: uniq('desk-policy') } })).PolicyID;
    const names = users.map((u) => u.username);
    const res = await t.admin.ok('/api/v1/admin/users/bulk', { Action: 'apply-policy', Usernames: names, PolicyID: policy });
    expect(res.Results).toEqual(names.map((Username) => ({ Username, Status: 200, Message: 'OK' })));
    expect((await page({})).Users.map((u) => u.PolicyID)).toEqual([policy, policy, policy]);
    await t.admin.ok('/api/v1/admin/users/bulk', { Action: 'apply-policy', Usernames: names, PolicyID: '' });
    expect((await page({})).Users.map((u) => u.PolicyID)).toEqual(['', '', '']);
  });

  it("answers another tenant's policy per user, without changing anything", async () => {
    const foreignPolicy = (await other.admin.ok('/api/v1/admin/policies/new', { Policy: { Description: uniq('other-policy') } })).PolicyID;
    const res = await t.admin.ok('/api/v1/admin/users/bulk', { Action: 'apply-policy', Usernames: [users[0].username], PolicyID: foreignPolicy });
    expect(res.Results[0]).toMatchObject({ Username: users[0].username, Status: 400 });
    expect(res.Results[0].Message).toMatch(/not found/);
    expect((await page({})).Users[0].PolicyID).toBe('');
  });

  it('suspends and unsuspends users', async () => {
    const names = [users[0].username, users[2].username];
    await t.admin.ok('/api/v1/admin/users/bulk', { Action: 'suspend', Usernames: names });
    expect((await page({})).Users.map((u) => u.IsSuspended)).toEqual([true, false, true]);
    await t.admin.ok('/api/v1/admin/users/bulk', { Action: 'unsuspend', Usernames: names });
    expect((await page({})).Users.map((u) => u.IsSuspended)).toEqual([false, false, false]);
  });

  it('tells the live devices of each user to update; a user without one gets its own refusal', async () => {
    const res = await t.admin.ok('/api/v1/admin/users/bulk', { Action: 'update-software', Usernames: [users[1].username, users[2].username] });
    // The reference agent run from its sources (not installed by install.sh) refuses to replace itself, so the one
    // live device answers the command with a refusal (agent-self-update.test.ts covers an installed agent).
    expect(res.Results[0]).toEqual({ Username: users[1].username, Status: 503, Message: 'None of the 1 online device(s) accepted the update' });
    expect(res.Results[1]).toMatchObject({ Username: users[2].username, Status: 400, Message: 'The user has no device online' });
  });

  it('sends a report now to users who receive reports, and says which ones do not', async () => {
    const { Profile, ProfileHash } = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: users[0].username });
    const address = `${uniq('desk-report')}@example.com`;
    await t.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: users[0].username, ProfileData: { ...Profile, Emails: [address], SendEmailReports: true }, RequireHash: ProfileHash });
    const res = await t.admin.ok('/api/v1/admin/users/bulk', { Action: 'send-report', Usernames: [users[0].username, users[2].username] });
    expect(res.Results[0]).toEqual({ Username: users[0].username, Status: 200, Message: '1 email(s) queued' });
    expect(res.Results[1]).toMatchObject({ Status: 400, Message: expect.stringMatching(/receives no email reports/) });
    const rows = await sql<{ subject: string }>('SELECT "subject" FROM "EmailDelivery" WHERE "recipient" = $1', [address]);
    expect(rows).toHaveLength(1);
  });

  it("refuses bad input, and a foreign user exactly like a missing one (nothing is done)", async () => {
    expect((await t.admin.fails('/api/v1/admin/users/bulk', { Action: 'delete', Usernames: [users[0].username] })).Message).toMatch(/Action must be one of/);
    expect((await t.admin.fails('/api/v1/admin/users/bulk', { Action: 'suspend', Usernames: [] })).Message).toMatch(/1 to 200 users/);
    expect((await t.admin.fails('/api/v1/admin/users/bulk', { Action: 'suspend', Usernames: { a: 1 } })).Message).toMatch(/Usernames/);
    expect((await t.admin.fails('/api/v1/admin/users/bulk', { Action: 'apply-policy', Usernames: [users[0].username] })).Message).toMatch(/PolicyID is required/);
    const foreign = await t.admin.fails('/api/v1/admin/users/bulk', { Action: 'suspend', Usernames: [users[0].username, foreignUser] });
    const missing = await t.admin.fails('/api/v1/admin/users/bulk', { Action: 'suspend', Usernames: [users[0].username, 'desk-missing-user'] });
    expect(foreign.Status).toBe(400);
    expect(foreign.Message.replace(foreignUser, '<u>')).toBe(missing.Message.replace('desk-missing-user', '<u>'));
    expect((await page({})).Users[0].IsSuspended).toBe(false);
  });
});

describe('users/export', () => {
  const csv = async (params: Record<string, string | boolean | string[]>) => {
    const r = await t.admin.call('/api/v1/admin/users/export', params);
    expect(r.http).toBe(200);
    return r.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  };

  it('streams the selection, and everything matching a search, as CSV', async () => {
    const sel = await csv({ Usernames: [users[2].username, users[1].username, foreignUser] });
    expect(sel[0]).toMatch(/^Username,AccountName,OrganizationID,Organization,Emails,PolicyID,Suspended,CreateTime,Devices,DevicesOnline/);
    expect(sel.slice(1).map((l) => l.split(',')[0])).toEqual([users[1].username, users[2].username]);
    expect(sel[1]).toContain(',2,1,');
    const all = await csv({ Query: prefix, SortBy: 'Username', SortDesc: true });
    expect(all.slice(1).map((l) => l.split(',')[0])).toEqual([users[2], users[1], users[0]].map((u) => u.username));
  });

  it('answers bad parameters with Status and Message on the HTTP line too', async () => {
    const r = await t.admin.call('/api/v1/admin/users/export', { SortBy: 'Nope' });
    expect(r.http).toBe(400);
    expect(r.body.Message).toMatch(/SortBy/);
  });
});

describe('dispatcher/list-devices-page', () => {
  const devices = async (params: Record<string, string | number | boolean>) =>
    (await t.admin.ok('/api/v1/admin/dispatcher/list-devices-page', { Query: prefix, ...params })) as { Devices: Array<{ DeviceID: string; Online: boolean; OS: string; Outdated: boolean }>; TotalCount: number; Platforms: string[]; ClientVersion: string };

  it('pages the devices with their live state and filters online / offline, outdated and OS', async () => {
    const all = await devices({});
    expect(all.TotalCount).toBe(2);
    expect(all.Platforms).toContain('windows');
    const old = all.Devices.find((d) => d.DeviceID === `${prefix}-old-device`);
    expect(old).toMatchObject({ Online: false, OS: 'windows', Outdated: true });
    expect((await devices({ Status: 'online' })).Devices.map((d) => d.DeviceID)).toEqual([agent.state.deviceId]);
    expect((await devices({ Status: 'offline' })).Devices.map((d) => d.DeviceID)).toEqual([`${prefix}-old-device`]);
    expect((await devices({ Outdated: true })).Devices.map((d) => d.DeviceID)).toEqual([`${prefix}-old-device`]);
    expect((await devices({ OS: 'Windows' })).TotalCount).toBe(1);
    const one = await devices({ Limit: 1, Offset: 1 });
    expect(one.TotalCount).toBe(2);
    expect(one.Devices).toHaveLength(1);
    expect(one.Devices[0].DeviceID).toBe(all.Devices[1].DeviceID);
  });

  it("refuses bad input and never lists another tenant's devices", async () => {
    expect((await t.admin.fails('/api/v1/admin/dispatcher/list-devices-page', { Status: 'sleeping' })).Message).toMatch(/Status/);
    expect((await t.admin.fails('/api/v1/admin/dispatcher/list-devices-page', { Limit: 501 })).Message).toMatch(/Limit/);
    expect((await other.admin.ok('/api/v1/admin/dispatcher/list-devices-page', { Query: prefix })).TotalCount).toBe(0);
  });
});
