// The operations overview (issue 20): admin/halley/overview counts failed / warning / missed jobs over 24 h and
// 7 d, devices offline for more than N days, outdated clients, storage and its growth from the usage ledger,
// users over or near quota and sign-in failures, per organization; a tenant admin sees its own organization
// only, the top level every one; bad input is a Comet error.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { jobDetail, nowSeconds, seedJobs, UNMEASURED_VAULT } from '../helpers/jobs';
import type { CometClient } from '../helpers/comet-client';

const DAY = 86_400;
const PATH = '/api/v1/admin/halley/overview';

let db: pg.Client;
let a: TenantFixture;
let b: TenantFixture;
let root: CometClient;
let userA: string;
let userA2: string;
let userB: string;
const devOld = uniq('dev');
const devRecent = uniq('dev');
const devB = uniq('dev');
let jobA = '';

const dayIso = (offsetDays: number) => new Date((Math.floor(nowSeconds() / DAY) + offsetDays) * DAY * 1000).toISOString().slice(0, 10);

async function setProfile(by: CometClient, username: string, patch: Record<string, unknown>) {
  const profile = await by.ok('/api/v1/admin/get-user-profile', { TargetUser: username });
  await by.ok('/api/v1/admin/set-user-profile', { TargetUser: username, ProfileData: { ...profile, ...patch } });
}

beforeAll(async () => {
  db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  root = await rootClient();
  [a, b] = await Promise.all([makeTenant('ov-a'), makeTenant('ov-b')]);
  userA = (await makeUser(a.admin)).username;
  userA2 = (await makeUser(a.admin)).username;
  userB = (await makeUser(b.admin)).username;
  const now = nowSeconds();
  await setProfile(a.admin, userA, {
    Devices: {
      [devOld]: { FriendlyName: 'OLD-PC', RegistrationTime: now - 40 * DAY, ClientVersion: '24.6.0' },
      [devRecent]: { FriendlyName: 'LAPTOP', RegistrationTime: now - 40 * DAY, ClientVersion: '25.9.6-halley.1' },
    },
    AllProtectedItemsQuotaEnabled: true,
    AllProtectedItemsQuotaBytes: 10e9,
  });
  await setProfile(a.admin, userA2, { AllProtectedItemsQuotaEnabled: true, AllProtectedItemsQuotaBytes: 10e9 });
  await setProfile(b.admin, userB, { Devices: { [devB]: { FriendlyName: 'B-PC', RegistrationTime: now - 40 * DAY, ClientVersion: '23.1.0' } } });
  // The jobs measured no vault size, so the workers do not recompute the ledger rows set below.
  const first = jobDetail(userA, { Status: 7002, StartTime: now - 3600, ...UNMEASURED_VAULT });
  jobA = first.GUID;
  await seedJobs([
    first,
    jobDetail(userA, { Status: 7000, StartTime: now - 7200, ...UNMEASURED_VAULT }),
    jobDetail(userA, { Status: 7004, StartTime: now - 1800, ...UNMEASURED_VAULT }),
    jobDetail(userA, { Status: 7001, StartTime: now - 3 * DAY, ...UNMEASURED_VAULT }),
    jobDetail(userA, { Status: 7002, StartTime: now - 5 * DAY, ...UNMEASURED_VAULT }),
    jobDetail(userA, { Status: 5000, StartTime: now - 600, ...UNMEASURED_VAULT }),
    // Older than 7 days: in no figure.
    jobDetail(userA, { Status: 7002, StartTime: now - 9 * DAY, ...UNMEASURED_VAULT }),
    jobDetail(userB, { Status: 7002, StartTime: now - 600, ...UNMEASURED_VAULT }),
  ]);
  // devRecent connected live two days ago; devOld has not been seen since it registered 40 days ago.
  await db.query(`INSERT INTO "Event" ("tenantId", type, actor, "resourceId", timestamp) VALUES ($1, 4702, 'device', $2, $3)`, [a.id, devRecent, now - 2 * DAY]);
  // Two failed sign-ins of A's user (one 3 days ago), one of B's.
  for (const [tenant, user, at] of [[a.id, userA, now - 60], [a.id, userA, now - 3 * DAY], [b.id, userB, now - 60]] as const) {
    await db.query(`INSERT INTO "Event" ("tenantId", type, actor, "resourceId", data, timestamp) VALUES ($1, 4104, '', $2, $3, $4)`, [
      tenant, user, JSON.stringify({ Username: user, RemoteAddress: '127.0.0.9', AuthType: 'Password', Reason: 'bad password' }), at,
    ]);
  }
  // The ledger: A's storage grew from 5 GB (8 days ago) to 19.5 GB; userA is over quota (10.5 of 10 GB), userA2 near it (9.2).
  const ids = new Map((await db.query(`SELECT id, username FROM "Account" WHERE username = ANY($1::text[])`, [[userA, userA2]])).rows.map((r) => [r.username, r.id]));
  for (const [day, bytes] of [[-8, 5e9], [-7, 6e9], [0, 19.7e9]] as const) {
    await db.query(`INSERT INTO "UsageTenantDay" ("tenantId", day, "storageBytes") VALUES ($1, $2::date, $3)`, [a.id, dayIso(day), bytes]);
  }
  for (const [user, bytes] of [[userA, 10.5e9], [userA2, 9.2e9]] as const) {
    await db.query(`INSERT INTO "UsageAccountDay" ("tenantId", "accountId", day, username, "storageBytes") VALUES ($1, $2, $3::date, $4, $5)`, [a.id, ids.get(user), dayIso(0), user, bytes]);
    // An older, smaller day of the same account is not what counts.
    await db.query(`INSERT INTO "UsageAccountDay" ("tenantId", "accountId", day, username, "storageBytes") VALUES ($1, $2, $3::date, $4, $5)`, [a.id, ids.get(user), dayIso(-3), user, 1]);
  }
});

afterAll(async () => {
  await db?.end();
});

describe('admin/halley/overview', () => {
  it("a tenant admin sees its own organization's figures only", async () => {
    const o = await a.admin.ok(PATH, {});
    expect(o.Organizations).toHaveLength(1);
    expect(o.Organizations[0]).toMatchObject({ OrganizationID: a.id, Name: a.name });
    expect(o.OfflineDays).toBe(7);
    expect(o.Totals).toEqual({
      Jobs24h: { Failed: 2, Warning: 0, Missed: 1 },
      Jobs7d: { Failed: 3, Warning: 1, Missed: 1 },
      Devices: 2,
      DevicesOffline: 1,
      DevicesOutdated: 1,
      StorageBytes: 19.7e9,
      StorageGrowth7d: 19.7e9 - 6e9,
      UsersOverQuota: 1,
      UsersNearQuota: 1,
      SignInFailures24h: 1,
      SignInFailures7d: 2,
    });
    expect(o.OfflineDevices).toEqual([expect.objectContaining({ Username: userA, DeviceID: devOld, FriendlyName: 'OLD-PC', OrganizationID: a.id })]);
    expect(o.OutdatedVersions).toEqual([{ Version: '24.6.0', Devices: 1 }]);
    expect(o.QuotaUsers.map((u: { Username: string }) => u.Username)).toEqual([userA, userA2]);
    expect(o.QuotaUsers[0]).toMatchObject({ UsedBytes: 10.5e9, QuotaBytes: 10e9 });
    expect(o.SignInFailures).toHaveLength(2);
    expect(o.SignInFailures[0]).toMatchObject({ Username: userA, RemoteAddress: '127.0.0.9', Admin: false, OrganizationID: a.id });
    expect(o.JobsByDay).toHaveLength(7);
    const sum = (k: string) => o.JobsByDay.reduce((s: number, d: Record<string, number>) => s + d[k], 0);
    expect([sum('Failed'), sum('Warning'), sum('Missed'), sum('Success')]).toEqual([3, 1, 1, 1]);
    expect(o.StorageByDay.map((d: { Bytes: number }) => d.Bytes)).toEqual([5e9, 6e9, 19.7e9]);
    // Nothing of B's leaks into any list.
    expect(JSON.stringify(o)).not.toContain(userB);
    expect(JSON.stringify(o)).not.toContain(devB);
  });

  it('OfflineDays moves the threshold', async () => {
    const o = await a.admin.ok(PATH, { OfflineDays: 1 });
    expect(o.Totals.DevicesOffline).toBe(2);
    expect(o.OfflineDevices.map((d: { DeviceID: string }) => d.DeviceID)).toEqual([devOld, devRecent]);
  });

  it('the top level sees every organization, each with its own figures', async () => {
    const o = await root.ok(PATH, {});
    const byId = new Map(o.Organizations.map((x: { OrganizationID: string }) => [x.OrganizationID, x]));
    expect(byId.get(a.id)).toMatchObject({ Jobs24h: { Failed: 2, Warning: 0, Missed: 1 }, DevicesOffline: 1, UsersOverQuota: 1 });
    expect(byId.get(b.id)).toMatchObject({ Name: b.name, Jobs24h: { Failed: 1, Warning: 0, Missed: 0 }, Devices: 1, DevicesOffline: 1, DevicesOutdated: 1, SignInFailures24h: 1 });
    expect(o.Totals.Jobs24h.Failed).toBeGreaterThanOrEqual(3);
    expect(o.OutdatedVersions).toEqual(expect.arrayContaining([{ Version: '23.1.0', Devices: 1 }, { Version: '24.6.0', Devices: 1 }]));
  });

  it('bad input is a Comet error', async () => {
    for (const OfflineDays of [0, -1, 5000]) {
      const r = await a.admin.call(PATH, { OfflineDays });
      expect(r.http).toBe(200);
      expect(r.body).toMatchObject({ Status: 400 });
      expect(r.body.Message).toContain('OfflineDays');
    }
    const r = await a.admin.call(PATH, { OfflineDays: 'soon' });
    expect(r.body.Status).toBe(400);
    const anon = await a.admin.raw(PATH, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(anon.body.Status).toBeGreaterThanOrEqual(400);
  });
});

describe('the global search (Alt+Q) finds devices, tenants and jobs', () => {
  const search = (by: CometClient, Query: string) => by.ok('/api/v1/admin/search', { Query });

  it('devices by name or ID, in scope', async () => {
    expect((await search(a.admin, 'old-pc')).Devices).toEqual([{ Username: userA, ID: devOld, Name: 'OLD-PC', Detail: userA }]);
    expect((await search(a.admin, devRecent)).Devices.map((d: { ID: string }) => d.ID)).toEqual([devRecent]);
    expect((await search(a.admin, 'B-PC')).Devices).toEqual([]);
    expect((await search(b.admin, 'OLD-PC')).Devices).toEqual([]);
  });

  it('jobs by the start of their ID, in scope; short or non-hex words list none', async () => {
    const hits = (await search(a.admin, jobA.slice(0, 13))).Jobs;
    expect(hits).toEqual([{ Username: userA, ID: jobA, Name: jobA, Detail: userA }]);
    expect((await search(a.admin, jobA.slice(0, 4))).Jobs).toEqual([]);
    expect((await search(b.admin, jobA)).Jobs).toEqual([]);
  });

  it('tenants for the top level only', async () => {
    expect((await search(root, a.name)).Organizations).toEqual([{ Username: '', ID: a.id, Name: a.name, Detail: '' }]);
    expect((await search(a.admin, a.name)).Organizations).toEqual([]);
  });
});
