// The usage ledger and billing reports (issue 18): a 30-day back-fill through the workers, admin/meta/stats
// from it, admin/billing/usage grouped every way with prices, the CSV and XLSX exports read back with the
// same numbers, price lists, and the tenancy of all of it (tenant admin: own tenant; top level: all or one).
import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { jobDetail, seedJobs } from '../helpers/jobs';
import { halleyUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';
import type { CometClient } from '../helpers/comet-client';

const DAY = 86_400;
const today = Math.floor(Date.now() / 1000 / DAY) * DAY;
const dayOf = (offset: number) => today + offset * DAY;
const dim = (day: number) => {
  const d = new Date(day * 1000);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
};
/** The 30 ledger days of the back-fill, oldest first, as offsets from today. */
const OFFSETS = Array.from({ length: 30 }, (_, i) => i - 29);

// What the seeded account has on day `o` (see the profile below).
const devicesOn = (o: number) => 1 + (o >= -10 ? 1 : 0);
const bytesOn = (o: number) => (o <= -21 ? 0 : o <= -6 ? 3e9 : 6e9);
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
const expectedDeviceMonths = round6(OFFSETS.reduce((s, o) => s + devicesOn(o) / dim(dayOf(o)), 0));
const expectedGbMonths = round6(OFFSETS.reduce((s, o) => s + bytesOn(o) / 1e9 / dim(dayOf(o)), 0));
const expectedBoosterMonths = round6(OFFSETS.reduce((s, o) => s + 1 / dim(dayOf(o)), 0));

let db: pg.Client;
let a: TenantFixture;
let b: TenantFixture;
let root: CometClient;
let userA: string;
let userB: string;
const devA1 = uniq('dev');
const devA2 = uniq('dev');

async function setProfile(by: CometClient, username: string, patch: Record<string, unknown>) {
  const profile = await by.ok('/api/v1/admin/get-user-profile', { TargetUser: username });
  await by.ok('/api/v1/admin/set-user-profile', { TargetUser: username, ProfileData: { ...profile, ...patch } });
}

beforeAll(async () => {
  db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  root = await rootClient();
  [a, b] = await Promise.all([makeTenant('bill-a'), makeTenant('bill-b')]);
  userA = (await makeUser(a.admin)).username;
  userB = (await makeUser(b.admin)).username;
  const created = today - 40 * DAY;
  await setProfile(a.admin, userA, {
    CreateTime: created,
    Devices: {
      [devA1]: { FriendlyName: 'OFFICE-PC', RegistrationTime: created },
      [devA2]: { FriendlyName: 'LAPTOP', RegistrationTime: dayOf(-10) + 3600 },
    },
    Sources: {
      files: { Engine: 'engine1/file', Description: 'Documents', OwnerDevice: devA1, CreateTime: created },
      sql: { Engine: 'engine1/mssql', Description: 'SQL', OwnerDevice: devA1, CreateTime: created },
      m365: {
        Engine: 'engine1/winmsofficemail', Description: 'Office 365', OwnerDevice: devA1, CreateTime: created,
        Statistics: { LastSuccessfulBackupJob: { TotalAccountsCount: 7 } },
      },
    },
    Destinations: { vault: { Description: 'Offsite', DestinationType: 1000, CreateTime: created } },
  });
  await setProfile(b.admin, userB, { CreateTime: created, Devices: { [uniq('dev')]: { FriendlyName: 'B-PC', RegistrationTime: created } } });
  await seedJobs([
    jobDetail(userA, { DestinationGUID: 'vault', DeviceID: devA1, StartTime: dayOf(-20), EndTime: dayOf(-20) + 7200, DestinationSizeEnd: { Size: 3e9, MeasureStarted: 0, MeasureCompleted: 0 } }),
    jobDetail(userA, { DestinationGUID: 'vault', DeviceID: devA1, StartTime: dayOf(-5), EndTime: dayOf(-5) + 7200, DestinationSizeEnd: { Size: 6e9, MeasureStarted: 0, MeasureCompleted: 0 } }),
  ]);
  // devA1 connected live three days ago.
  await db.query(`INSERT INTO "Event" ("tenantId", type, actor, "resourceId", timestamp) VALUES ($1, 4702, 'device', $2, $3)`, [a.id, devA1, dayOf(-3) + 100]);

  await a.admin.ok('/api/v1/admin/billing/backfill', { Days: 30 });
  await root.ok('/api/v1/admin/billing/backfill', { Days: 30, TargetOrganization: b.id });
  await waitFor('30 back-filled days of both tenants', async () => {
    const r = await db.query(`SELECT "tenantId", count(*)::int AS n FROM "UsageTenantDay" WHERE "tenantId" = ANY($1::text[]) GROUP BY 1`, [[a.id, b.id]]);
    return r.rows.length === 2 && r.rows.every((x) => x.n === 30);
  }, 60_000);
}, 120_000);

afterAll(async () => {
  await db?.end();
});

describe('usage ledger and admin/meta/stats', () => {
  it('answers map[unix day]StatResult over the 30 back-filled days, per tenant', async () => {
    const stats = await a.admin.ok('/api/v1/admin/meta/stats', { Simple: false });
    expect(Object.keys(stats).map(Number).sort()).toEqual(OFFSETS.map(dayOf));
    expect(stats[String(dayOf(-15))]).toEqual({ Buckets: 0, Users: 1, Devices: 1, Boosters: 2, NetworkDevices: 0 });
    expect(stats[String(dayOf(-3))]).toEqual({ Buckets: 0, Users: 1, Devices: 2, Boosters: 2, NetworkDevices: 1 });
    expect(stats[String(dayOf(0))]).toEqual({ Buckets: 0, Users: 1, Devices: 2, Boosters: 2, NetworkDevices: 0 });

    const simple = await a.admin.ok('/api/v1/admin/meta/stats', { Simple: true });
    // Days -29..-11 repeat each other (one device), -10..-4 too, then -3 (live), then -2..0.
    expect(Object.keys(simple).map(Number).sort()).toEqual([dayOf(-29), dayOf(-10), dayOf(-3), dayOf(-2), dayOf(0)]);

    const statsB = await b.admin.ok('/api/v1/admin/meta/stats', { Simple: false });
    expect(statsB[String(dayOf(-15))]).toEqual({ Buckets: 0, Users: 1, Devices: 1, Boosters: 0, NetworkDevices: 0 });
    const all = await root.ok('/api/v1/admin/meta/stats', { Simple: false });
    expect(all[String(dayOf(-15))].Users).toBeGreaterThanOrEqual(2);
    expect((await a.admin.fails('/api/v1/admin/meta/stats', { Simple: 'maybe' })).Status).toBe(400);
  });

  it("answers today's figures live: a user, a device and a booster count at once, without a ledger run", async () => {
    const c = await makeTenant('bill-live');
    const before = (await c.admin.ok('/api/v1/admin/meta/stats', { Simple: true }))[String(today)];
    expect(before).toEqual({ Buckets: 0, Users: 0, Devices: 0, Boosters: 0, NetworkDevices: 0 });
    const u = (await makeUser(c.admin)).username;
    const dev = uniq('dev');
    await setProfile(c.admin, u, {
      Devices: { [dev]: { FriendlyName: 'LIVE-PC', RegistrationTime: today + 60 } },
      Sources: { hv: { Engine: 'engine1/hyperv', Description: 'VMs', OwnerDevice: dev } },
    });
    await db.query(`INSERT INTO "Event" ("tenantId", type, actor, "resourceId", timestamp) VALUES ($1, 4702, 'device', $2, $3)`, [c.id, dev, Math.floor(Date.now() / 1000)]);
    const stats = await c.admin.ok('/api/v1/admin/meta/stats', { Simple: false });
    expect(stats[String(today)]).toEqual({ Buckets: 0, Users: 1, Devices: 1, Boosters: 1, NetworkDevices: 1 });
    // The same definitions as the ledger: a snapshot of today gives the same numbers.
    const asked = (await db.query('SELECT now() AS t')).rows[0].t as Date;
    await c.admin.ok('/api/v1/admin/billing/backfill', { Days: 1, Force: true });
    await waitFor("today's ledger row", async () => (await db.query(`SELECT 1 FROM "UsageTenantDay" WHERE "tenantId" = $1 AND "computedAt" >= $2`, [c.id, asked])).rows.length === 1);
    const ledger = (await db.query(`SELECT users, devices, boosters, "liveDevices" FROM "UsageTenantDay" WHERE "tenantId" = $1`, [c.id])).rows[0];
    expect(ledger).toEqual({ users: 1, devices: 1, boosters: 1, liveDevices: 1 });
    // The top level sees it in its sum too.
    expect((await root.ok('/api/v1/admin/meta/stats', { Simple: false }))[String(today)].Users).toBeGreaterThanOrEqual(3);
  });

  it('computes a day again idempotently (forced back-fill replaces, never adds rows)', async () => {
    const count = async () => (await db.query(`SELECT count(*)::int AS n FROM "UsageDeviceDay" WHERE "tenantId" = $1`, [a.id])).rows[0].n;
    const before = await count();
    expect(before).toBe(30 + 11);
    const computed = (await db.query(`SELECT max("computedAt") AS t FROM "UsageTenantDay" WHERE "tenantId" = $1`, [a.id])).rows[0].t as Date;
    await a.admin.ok('/api/v1/admin/billing/backfill', { Days: 3, Force: true });
    await waitFor('the forced days recomputed', async () => {
      const r = await db.query(`SELECT count(*)::int AS n FROM "UsageTenantDay" WHERE "tenantId" = $1 AND "computedAt" > $2`, [a.id, computed]);
      return r.rows[0].n === 3;
    });
    expect(await count()).toBe(before);
    expect((await a.admin.fails('/api/v1/admin/billing/backfill', { Days: 0 })).Message).toMatch(/Days/);
    expect((await a.admin.fails('/api/v1/admin/billing/backfill', { Days: 30, TargetOrganization: b.id })).Status).toBe(403);
  });
});

describe('admin/billing/usage and price lists', () => {
  const range = { Start: dayOf(-29), End: dayOf(1) };

  it('groups by user with peaks, device-, booster- and GB-months, priced by the tenant’s price list', async () => {
    const prices = { Currency: 'EUR', DevicePrice: 5, GBMonthPrice: 0.02, BoosterPrices: { mssql: 10, office365: 2 } };
    const saved = await a.admin.ok('/api/v1/admin/billing/price-list/set', { PriceList: prices });
    expect(saved).toMatchObject({ Currency: 'EUR', DevicePrice: 5, GBMonthPrice: 0.02 });
    expect(saved.BoosterPrices).toMatchObject({ mssql: 10, office365: 2, vmware: 0 });
    expect(await a.admin.ok('/api/v1/admin/billing/price-list/get')).toEqual(saved);

    const r = await a.admin.ok('/api/v1/admin/billing/usage', { ...range, GroupBy: 'user' });
    expect(r).toMatchObject({ GroupBy: 'user', Days: 30, Currency: 'EUR', TotalRows: 1 });
    const row = r.Rows[0];
    expect(row).toMatchObject({ Username: userA, OrganizationID: a.id, Days: 30, Users: 1, Devices: 2, ConfiguredDevices: 1, Boosters: 2, Office365Accounts: 7, StorageBytes: 6e9, LiveDevices: 1 });
    expect(row.DeviceMonths).toBeCloseTo(expectedDeviceMonths, 5);
    expect(row.GBMonths).toBeCloseTo(expectedGbMonths, 5);
    expect(row.BoosterUsage.mssql).toEqual({ Peak: 1, Months: expect.closeTo(expectedBoosterMonths, 5) });
    const line = (item: string) => row.Lines.find((l: any) => l.Item === item);
    expect(line('devices')).toMatchObject({ UnitPrice: 5, Amount: Math.round(row.DeviceMonths * 5 * 100) / 100 });
    expect(line('booster:mssql')).toMatchObject({ UnitPrice: 10, Amount: Math.round(row.BoosterUsage.mssql.Months * 10 * 100) / 100 });
    expect(line('storage')).toMatchObject({ UnitPrice: 0.02, Amount: Math.round(row.GBMonths * 0.02 * 100) / 100 });
    expect(row.Amount).toBeCloseTo(row.Lines.reduce((s: number, l: any) => s + l.Amount, 0), 2);
    expect(r.Totals).toMatchObject({ Devices: 2, Users: 1, Amount: row.Amount });
  });

  it('groups by device, day, month and tenant', async () => {
    const byDevice = await a.admin.ok('/api/v1/admin/billing/usage', { ...range, GroupBy: 'device' });
    expect(byDevice.Rows.map((x: any) => [x.DeviceName, x.Days, x.ConfiguredDevices, x.Boosters])).toEqual([
      ['LAPTOP', 11, 0, 0],
      ['OFFICE-PC', 30, 1, 2],
    ]);
    const byDay = await a.admin.ok('/api/v1/admin/billing/usage', { ...range, GroupBy: 'day', Limit: 5, Offset: 25 });
    expect(byDay.TotalRows).toBe(30);
    expect(byDay.Rows.map((x: any) => x.Key)).toEqual(OFFSETS.slice(25).map((o) => new Date(dayOf(o) * 1000).toISOString().slice(0, 10)));
    expect(byDay.Rows.at(-1)).toMatchObject({ Devices: 2, StorageBytes: 6e9 });
    const byMonth = await a.admin.ok('/api/v1/admin/billing/usage', { ...range, GroupBy: 'month' });
    expect(byMonth.Rows.reduce((s: number, x: any) => s + x.Days, 0)).toBe(30);
    expect(byMonth.Rows.reduce((s: number, x: any) => s + x.DeviceMonths, 0)).toBeCloseTo(expectedDeviceMonths, 4);
    // A tenant admin sees its own tenant only; TargetOrganization is the top level's.
    const byTenant = await a.admin.ok('/api/v1/admin/billing/usage', { ...range, GroupBy: 'tenant' });
    expect(byTenant.Rows.map((x: any) => x.OrganizationID)).toEqual([a.id]);
    expect((await a.admin.fails('/api/v1/admin/billing/usage', { ...range, TargetOrganization: b.id })).Status).toBe(403);
    const bOwn = await b.admin.ok('/api/v1/admin/billing/usage', { ...range, GroupBy: 'user' });
    expect(bOwn.Rows.map((x: any) => x.Username)).toEqual([userB]);
  });

  it('lets the top level see every tenant, or one', async () => {
    const all = await root.ok('/api/v1/admin/billing/usage', { ...range, GroupBy: 'tenant', Limit: 1000 });
    const ids = all.Rows.map((x: any) => x.OrganizationID);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(all.Rows.find((x: any) => x.OrganizationID === a.id)).toMatchObject({ OrganizationName: a.name, Devices: 2, Users: 1 });
    const one = await root.ok('/api/v1/admin/billing/usage', { ...range, GroupBy: 'user', TargetOrganization: a.id });
    expect(one.Rows.map((x: any) => x.Username)).toEqual([userA]);
    // TargetOrganization's price list prices the report.
    expect(one.Currency).toBe('EUR');
    expect((await root.ok('/api/v1/admin/billing/price-list/get', { TargetOrganization: a.id })).Currency).toBe('EUR');
  });

  it('refuses bad input with a clear message', async () => {
    expect((await a.admin.fails('/api/v1/admin/billing/usage', { ...range, GroupBy: 'planet' })).Message).toMatch(/GroupBy must be one of/);
    expect((await a.admin.fails('/api/v1/admin/billing/usage', { Start: 100, End: 50 })).Message).toMatch(/End must be after Start/);
    expect((await a.admin.fails('/api/v1/admin/billing/usage', { Start: 0, End: 2000 * DAY })).Message).toMatch(/at most/);
    expect((await a.admin.fails('/api/v1/admin/billing/usage', { ...range, Limit: 0 })).Message).toMatch(/Limit/);
    const bad = (PriceList: object) => a.admin.fails('/api/v1/admin/billing/price-list/set', { PriceList });
    expect((await bad({ Currency: 'EUR', DevicePrice: -1, GBMonthPrice: 0 })).Message).toMatch(/DevicePrice must not be negative/);
    expect((await bad({ Currency: 'euro', DevicePrice: 1, GBMonthPrice: 0 })).Message).toMatch(/Currency/);
    expect((await bad({ Currency: 'EUR', DevicePrice: 1, GBMonthPrice: 0, BoosterPrices: { teleport: 1 } })).Message).toMatch(/unknown booster type 'teleport'/);
    expect((await a.admin.fails('/api/v1/admin/billing/price-list/set', { PriceList: '{' })).Status).toBe(400);
    expect((await a.admin.fails('/api/v1/admin/billing/export', { ...range, Format: 'pdf' })).Message).toMatch(/csv or xlsx/);
    // The refused changes changed nothing.
    expect((await a.admin.ok('/api/v1/admin/billing/price-list/get')).DevicePrice).toBe(5);
  });
});

describe('admin/billing/export', () => {
  const range = { Start: dayOf(-29), End: dayOf(1), GroupBy: 'user' };
  const download = async (Format: string) => {
    const body = new URLSearchParams({ Username: a.adminName, AuthType: 'Password', Password: (a.admin.creds as { password: string }).password, ...Object.fromEntries(Object.entries({ ...range, Format }).map(([k, v]) => [k, String(v)])) });
    const res = await fetch(halleyUrl('/api/v1/admin/billing/export'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(res.status).toBe(200);
    return res;
  };

  it('streams CSV and XLSX files with the same numbers as the report', async () => {
    const report = await a.admin.ok('/api/v1/admin/billing/usage', range);
    const row = report.Rows[0];

    const csvRes = await download('csv');
    expect(csvRes.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csvRes.headers.get('content-disposition')).toMatch(/attachment; filename="halley-usage-user-.*\.csv"/);
    const lines = (await csvRes.text()).trim().split('\r\n').map((l) => l.split(','));
    const header = lines[0];
    const csvRow = Object.fromEntries(header.map((h, i) => [h, lines[1][i]]));
    const csvTotal = Object.fromEntries(header.map((h, i) => [h, lines.at(-1)![i]]));
    expect(lines).toHaveLength(3);
    expect(csvRow).toMatchObject({ Username: userA, Devices: '2', Boosters: '2', StorageBytes: '6000000000', Currency: 'EUR' });
    expect(Number(csvRow.DeviceMonths)).toBe(row.DeviceMonths);
    expect(Number(csvRow.GBMonths)).toBe(row.GBMonths);
    expect(Number(csvRow['BoosterMonths:mssql'])).toBe(row.BoosterUsage.mssql.Months);
    expect(Number(csvRow.Amount)).toBe(row.Amount);
    expect(csvTotal).toMatchObject({ Key: 'TOTAL', Amount: String(report.Totals.Amount) });

    const xlsxRes = await download('xlsx');
    expect(xlsxRes.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsxRes.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Usage')!;
    const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(header);
    const x = Object.fromEntries(header.map((h, i) => [h, values(2)[i]]));
    expect(x).toMatchObject({ Username: userA, Devices: 2, DeviceMonths: row.DeviceMonths, GBMonths: row.GBMonths, Amount: row.Amount, StorageBytes: 6e9 });
    expect(ws.rowCount).toBe(3);
    expect(values(3)[header.indexOf('Amount')]).toBe(report.Totals.Amount);
  });
});
