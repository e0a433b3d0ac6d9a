// The usage ledger's monthly partitions (issue 18): the migration moves existing rows into them without loss,
// halley_usage_ensure_partitions() is idempotent, and a back-fill reaching across month boundaries into months
// that had no partition yet creates them, stores each day in its month and answers admin/meta/stats and
// admin/billing/usage exactly as expected, unchanged when the days are computed again.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../lib/db/migrate';
import { createScratchDatabase } from '../../lib/db/schema-diff';
import { makeTenant, makeUser, uniq, type TenantFixture } from '../helpers/fixtures';
import { jobDetail, seedJobs } from '../helpers/jobs';
import { waitFor } from '../helpers/wait';
import type { CometClient } from '../helpers/comet-client';

const migrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
const PARTITIONS = '20261206102600_usage_partitions';
const DAY = 86_400;
const today = Math.floor(Date.now() / 1000 / DAY) * DAY;
const dayOf = (offset: number) => today + offset * DAY;
const iso = (day: number) => new Date(day * 1000).toISOString().slice(0, 10);
const dim = (day: number) => {
  const d = new Date(day * 1000);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
};
/** 70 days always cross at least two month boundaries, and reach a month older than the migration's partitions. */
const DAYS = 70;
const OFFSETS = Array.from({ length: DAYS }, (_, i) => i - (DAYS - 1));

async function query<R extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe('migration to monthly partitions', () => {
  it('moves every existing ledger row into its month, keeps keys, and creates partitions idempotently', { timeout: 120_000 }, async () => {
    // The migrations before the partitioning one, then rows in three months (one of them years back).
    const before = mkdtempSync(join(tmpdir(), 'halley-usage-part-'));
    const scratch = await createScratchDatabase(process.env.DATABASE_URL!);
    try {
      for (const name of readdirSync(migrationsDir)) if (name < PARTITIONS) cpSync(join(migrationsDir, name), join(before, name), { recursive: true });
      await applyMigrations(scratch.url, { migrationsDir: before });
      const url = scratch.url;
      const tenant = (await query<{ id: string }>(url, `INSERT INTO "Tenant" (id, name, "updatedAt") VALUES ('t-part', 'Part', now()) RETURNING id`))[0].id;
      const days = ['2023-01-31', '2023-02-01', '2026-06-15'];
      for (const [i, d] of days.entries()) {
        await query(url, `INSERT INTO "UsageAccountDay" ("tenantId", "accountId", day, username, devices, "boosterCounts", "storageBytes") VALUES ($1, 'acc', $2, 'u', $3, '{"mssql": 1}', $4)`, [tenant, d, i + 1, 1e12 + i]);
        await query(url, `INSERT INTO "UsageDeviceDay" ("tenantId", "accountId", "deviceId", day, username, configured, boosters, live) VALUES ($1, 'acc', 'dev', $2, 'u', true, '{mssql}', $3)`, [tenant, d, i % 2 === 0]);
        await query(url, `INSERT INTO "UsageVaultDay" ("tenantId", "accountId", "vaultId", day, username, bytes) VALUES ($1, 'acc', 'v', $2, 'u', $3)`, [tenant, d, 5e9 + i]);
      }
      const dump = () =>
        Promise.all(
          ['UsageAccountDay', 'UsageDeviceDay', 'UsageVaultDay'].map((t) => query(url, `SELECT to_jsonb(x) AS r FROM "${t}" x ORDER BY day`).then((rows) => rows.map((r) => r.r))),
        );
      const rowsBefore = await dump();

      await applyMigrations(url, { migrationsDir });
      expect(await dump()).toEqual(rowsBefore);
      const kinds = await query<{ relname: string; relkind: string }>(url, `SELECT relname, relkind FROM pg_class WHERE relname IN ('UsageAccountDay', 'UsageDeviceDay', 'UsageVaultDay', 'UsageTenantDay') ORDER BY 1`);
      expect(kinds).toEqual([
        { relname: 'UsageAccountDay', relkind: 'p' },
        { relname: 'UsageDeviceDay', relkind: 'p' },
        { relname: 'UsageTenantDay', relkind: 'r' },
        { relname: 'UsageVaultDay', relkind: 'p' },
      ]);
      // Each row sits in its month's partition; the months in between exist too.
      const where = await query<{ t: string; day: string }>(url, `SELECT tableoid::regclass::text AS t, to_char(day, 'YYYY-MM-DD') AS day FROM "UsageAccountDay" ORDER BY day`);
      expect(where).toEqual([
        { t: '"UsageAccountDay_p202301"', day: '2023-01-31' },
        { t: '"UsageAccountDay_p202302"', day: '2023-02-01' },
        { t: '"UsageAccountDay_p202606"', day: '2026-06-15' },
      ]);
      const count = async () => (await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = '"UsageVaultDay"'::regclass`))[0].n;
      const n = await count();
      expect(n).toBeGreaterThanOrEqual(42); // 2023-01 .. 2026-06 at least
      // The primary key still refuses a second row for the same account and day, across partitions.
      await expect(query(url, `INSERT INTO "UsageAccountDay" ("tenantId", "accountId", day, username) VALUES ($1, 'acc', '2023-02-01', 'u')`, [tenant])).rejects.toThrow(/duplicate key/);
      // Idempotent: asking again creates nothing; a new month creates one partition per table.
      expect((await query<{ c: number }>(url, `SELECT halley_usage_ensure_partitions('2023-01-01', '2026-06-30') AS c`))[0].c).toBe(0);
      expect((await query<{ c: number }>(url, `SELECT halley_usage_ensure_partitions('2022-12-31', '2022-12-31') AS c`))[0].c).toBe(3);
      expect(await count()).toBe(n + 1);
      // A month without a partition is refused rather than stored somewhere unindexed.
      await expect(query(url, `INSERT INTO "UsageVaultDay" ("tenantId", "accountId", "vaultId", day, username) VALUES ($1, 'acc', 'v', '2019-01-01', 'u')`, [tenant])).rejects.toThrow(/no partition/);
      // Deleting the organization still removes its ledger rows (the foreign key covers every partition).
      await query(url, `DELETE FROM "Tenant" WHERE id = $1`, [tenant]);
      expect((await dump()).flat()).toEqual([]);
    } finally {
      await scratch.drop();
      rmSync(before, { recursive: true, force: true });
    }
  });
});

describe('a back-fill across month boundaries', () => {
  let db: pg.Client;
  let t: TenantFixture;
  let user: string;
  const dev = uniq('dev');

  const ledgerRun = async () => {
    const asked = (await db.query('SELECT now() AS t')).rows[0].t as Date;
    return async () => {
      const r = await db.query(`SELECT count(*)::int AS n FROM "UsageTenantDay" WHERE "tenantId" = $1 AND "computedAt" >= $2`, [t.id, asked]);
      return r.rows[0].n === DAYS;
    };
  };

  const answers = async (admin: CometClient) => {
    const range = { Start: dayOf(-(DAYS - 1)), End: dayOf(1) };
    const [stats, byMonth, byUser, byDevice, byDay] = await Promise.all([
      admin.ok('/api/v1/admin/meta/stats', { Simple: false }),
      admin.ok('/api/v1/admin/billing/usage', { ...range, GroupBy: 'month' }),
      admin.ok('/api/v1/admin/billing/usage', { ...range, GroupBy: 'user' }),
      admin.ok('/api/v1/admin/billing/usage', { ...range, GroupBy: 'device' }),
      admin.ok('/api/v1/admin/billing/usage', { ...range, GroupBy: 'day', Limit: 1000 }),
    ]);
    return { stats, byMonth, byUser, byDevice, byDay };
  };

  beforeAll(async () => {
    db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    t = await makeTenant('usage-part');
    user = (await makeUser(t.admin)).username;
    const created = today - (DAYS + 10) * DAY;
    const profile = await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: user });
    await t.admin.ok('/api/v1/admin/set-user-profile', {
      TargetUser: user,
      ProfileData: {
        ...profile,
        CreateTime: created,
        Devices: { [dev]: { FriendlyName: 'PART-PC', RegistrationTime: created } },
        Sources: { sql: { Engine: 'engine1/mssql', Description: 'SQL', OwnerDevice: dev, CreateTime: created } },
        Destinations: { vault: { Description: 'Offsite', DestinationType: 1000, CreateTime: created } },
      },
    });
    await seedJobs([jobDetail(user, { DestinationGUID: 'vault', DeviceID: dev, StartTime: created, EndTime: created + 3600, DestinationSizeEnd: { Size: 2e9, MeasureStarted: 0, MeasureCompleted: 0 } })]);
  }, 60_000);

  afterAll(async () => {
    await db?.end();
  });

  it('creates the older months, stores every day in its month and answers stats and usage across the boundaries, unchanged when computed again', { timeout: 240_000 }, async () => {
    const done = await ledgerRun();
    await t.admin.ok('/api/v1/admin/billing/backfill', { Days: DAYS });
    await waitFor(`${DAYS} back-filled days`, done, 180_000);

    // Each device row is in the partition of its own month.
    const placed = await db.query(`SELECT tableoid::regclass::text AS t, to_char(day, 'YYYYMM') AS m FROM "UsageDeviceDay" WHERE "tenantId" = $1`, [t.id]);
    expect(placed.rows.length).toBe(DAYS);
    expect(placed.rows.every((r) => r.t === `"UsageDeviceDay_p${r.m}"`)).toBe(true);
    const months = [...new Set(OFFSETS.map((o) => iso(dayOf(o)).slice(0, 7)))];
    expect(months.length).toBeGreaterThanOrEqual(3);

    const first = await answers(t.admin);
    expect(Object.keys(first.stats).map(Number).sort()).toEqual(OFFSETS.map(dayOf));
    for (const o of OFFSETS) expect(first.stats[String(dayOf(o))]).toEqual({ Buckets: 0, Users: 1, Devices: 1, Boosters: 1, NetworkDevices: 0 });
    // One row per calendar month, its days and month-weighted quantities from that month's days only.
    expect(first.byMonth.Rows.map((r: any) => r.Key)).toEqual(months);
    for (const row of first.byMonth.Rows) {
      const inMonth = OFFSETS.map(dayOf).filter((d) => iso(d).startsWith(row.Key));
      expect(row.Days).toBe(inMonth.length);
      expect(row.DeviceMonths).toBeCloseTo(inMonth.reduce((s, d) => s + 1 / dim(d), 0), 5);
      expect(row.GBMonths).toBeCloseTo(inMonth.reduce((s, d) => s + 2 / dim(d), 0), 5);
    }
    const deviceMonths = OFFSETS.reduce((s, o) => s + 1 / dim(dayOf(o)), 0);
    expect(first.byUser.Rows).toHaveLength(1);
    expect(first.byUser.Rows[0]).toMatchObject({ Username: user, Days: DAYS, Devices: 1, Boosters: 1, StorageBytes: 2e9 });
    expect(first.byUser.Rows[0].DeviceMonths).toBeCloseTo(deviceMonths, 5);
    expect(first.byUser.Rows[0].BoosterUsage.mssql.Months).toBeCloseTo(deviceMonths, 5);
    expect(first.byDevice.Rows.map((r: any) => [r.DeviceName, r.Days])).toEqual([['PART-PC', DAYS]]);
    expect(first.byDay.TotalRows).toBe(DAYS);

    // Computing every day again (forced) replaces rows inside their partitions: same answers, same row count.
    const again = await ledgerRun();
    await t.admin.ok('/api/v1/admin/billing/backfill', { Days: DAYS, Force: true });
    await waitFor(`${DAYS} days computed again`, again, 180_000);
    expect((await db.query(`SELECT count(*)::int AS n FROM "UsageDeviceDay" WHERE "tenantId" = $1`, [t.id])).rows[0].n).toBe(DAYS);
    expect(await answers(t.admin)).toEqual(first);
  });
});
