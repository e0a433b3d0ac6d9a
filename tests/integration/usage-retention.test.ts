// Retention of the usage ledger's monthly partitions (issue 18): the workers register a BullMQ job scheduler
// that detaches and drops the partitions of UsageAccountDay / UsageDeviceDay / UsageVaultDay whose whole month
// is older than HALLEY_USAGE_RETENTION_MONTHS (default 36), keeps every younger month and the months ahead, keeps
// the organization/day roll-up, and finds nothing to do when run again. Back-dated partitions stand in for years
// of history; the cut-off itself is checked with a chosen clock.
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeDb } from '../../lib/db/client';
import { producerConnection } from '../../lib/queue/connection';
import { dropExpiredUsagePartitions } from '../../lib/usage/drop-expired-partitions';
import { USAGE_QUEUE, UsageJob } from '../../lib/usage/queue';
import { makeTenant, type TenantFixture } from '../helpers/fixtures';
import { sql } from '../helpers/security';
import { waitFor } from '../helpers/wait';

const TABLES = ['UsageAccountDay', 'UsageDeviceDay', 'UsageVaultDay'];
const monthName = (d: Date) => `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
const monthsFromNow = (n: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
};
const iso = (d: Date) => d.toISOString().slice(0, 10);

let t: TenantFixture;
let queue: Queue;
let events: QueueEvents;

const partitions = async (): Promise<string[]> =>
  (await sql<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = ANY($1::text[]) ORDER BY 1`, [TABLES])).map((r) => r.name);
const tablesNamed = async (suffix: string) => (await sql(`SELECT relname FROM pg_class WHERE relname LIKE $1`, [`Usage%Day_p${suffix}`])).length;

async function seedMonth(day: string): Promise<void> {
  await sql(`SELECT halley_usage_ensure_partitions($1::date, $1::date)`, [day]);
  await sql(`INSERT INTO "UsageAccountDay" ("tenantId", "accountId", day, username, devices) VALUES ($1, 'acc-ret', $2, 'u', 1) ON CONFLICT DO NOTHING`, [t.id, day]);
  await sql(`INSERT INTO "UsageDeviceDay" ("tenantId", "accountId", "deviceId", day, username) VALUES ($1, 'acc-ret', 'dev', $2, 'u') ON CONFLICT DO NOTHING`, [t.id, day]);
  await sql(`INSERT INTO "UsageVaultDay" ("tenantId", "accountId", "vaultId", day, username, bytes) VALUES ($1, 'acc-ret', 'v', $2, 'u', 5) ON CONFLICT DO NOTHING`, [t.id, day]);
  await sql(`INSERT INTO "UsageTenantDay" ("tenantId", day, users) VALUES ($1, $2, 1) ON CONFLICT DO NOTHING`, [t.id, day]);
}

async function runRetentionJob(): Promise<{ dropped: string[]; created: number }> {
  // Kept after it completes: a job that finishes before its "completed" event reaches `events` is read back, and a
  // removed one answers "Missing key for job" (seen under load).
  const job = await queue.add(UsageJob.RETENTION, {}, { removeOnComplete: 20, removeOnFail: 10 });
  return (await job.waitUntilFinished(events, 60_000)) as { dropped: string[]; created: number };
}

beforeAll(async () => {
  t = await makeTenant('usage-retention');
  queue = new Queue(USAGE_QUEUE, { connection: producerConnection() });
  events = new QueueEvents(USAGE_QUEUE, { connection: producerConnection() });
  await events.waitUntilReady();
});

afterAll(async () => {
  await events?.close();
  await queue?.close();
  await closeDb();
});

it('is registered by the workers as a recurring BullMQ job scheduler', async () => {
  await waitFor('the usage:partition-retention scheduler', async () => (await queue.getJobSchedulers(0, -1)).some((s) => s.key === 'usage:partition-retention'));
  expect((await queue.getJobSchedulers(0, -1)).find((s) => s.key === 'usage:partition-retention')).toMatchObject({ name: UsageJob.RETENTION, every: 6 * 3600 * 1000 });
  // The follow-up of finished jobs (fresh-server ledger gap) is registered the same way.
  expect((await queue.getJobSchedulers(0, -1)).find((s) => s.key === 'usage:refresh-after-jobs')).toMatchObject({ name: UsageJob.REFRESH, every: 10_000 });
});

it('drops exactly the months older than the retention, with a chosen clock', { timeout: 60_000 }, async () => {
  // Three back-dated months, 1999-10 .. 1999-12, and a clock on 15 January 2000 keeping two months:
  // the cut-off is 15 November 1999, so October goes and November (partly younger) stays.
  for (const day of ['1999-10-20', '1999-11-20', '1999-12-20']) await seedMonth(day);
  const r = await dropExpiredUsagePartitions({ now: Date.UTC(2000, 0, 15, 12), months: 2 });
  expect(r.dropped.filter((n) => n.endsWith('_p199910')).sort()).toEqual(TABLES.map((x) => `${x}_p199910`));
  expect(r.dropped.some((n) => n.endsWith('_p199911') || n.endsWith('_p199912'))).toBe(false);
  expect(await tablesNamed('199910')).toBe(0); // detached and dropped, not left behind
  expect(await tablesNamed('199911')).toBe(3);
  // Months ahead of that clock were created for the snapshots to come.
  expect(await tablesNamed('200003')).toBe(3);
  const days = (await sql<{ d: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS d FROM "UsageAccountDay" WHERE "tenantId" = $1 ORDER BY 1`, [t.id])).map((x) => x.d);
  expect(days).toEqual(['1999-11-20', '1999-12-20']);
  // Keeping 0 months keeps everything.
  expect((await dropExpiredUsagePartitions({ now: Date.UTC(2030, 0, 1), months: 0 })).dropped).toEqual([]);
  expect(await tablesNamed('199911')).toBe(3);
});

it('the scheduled job drops back-dated months past the default 36, keeps younger and future months, and is idempotent', { timeout: 120_000 }, async () => {
  const young = iso(monthsFromNow(-24)); // inside the retention
  const boundary = iso(monthsFromNow(-36)); // that month's last days are still within 36 months
  for (const day of ['2001-01-10', '2001-02-10', young, boundary]) await seedMonth(day);
  const before = await partitions();
  expect(before).toContain('UsageVaultDay_p200101');

  const first = await runRetentionJob();
  expect(first.dropped).toEqual(expect.arrayContaining(TABLES.flatMap((x) => [`${x}_p200101`, `${x}_p200102`, `${x}_p199911`, `${x}_p199912`])));
  const after = await partitions();
  expect(after.filter((n) => /_p(19|200[0-9]|201)/.test(n))).toEqual([]);
  for (const x of TABLES) {
    expect(after).toContain(`${x}_p${monthName(monthsFromNow(-24))}`);
    expect(after).toContain(`${x}_p${monthName(monthsFromNow(-36))}`);
    expect(after).toContain(`${x}_p${monthName(monthsFromNow(0))}`);
    expect(after).toContain(`${x}_p${monthName(monthsFromNow(2))}`);
  }
  expect(await tablesNamed('200101')).toBe(0);
  // The younger months keep their rows; the organization/day roll-up keeps every day.
  const days = (await sql<{ d: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS d FROM "UsageVaultDay" WHERE "tenantId" = $1 ORDER BY 1`, [t.id])).map((x) => x.d);
  expect(days).toEqual([boundary, young]);
  expect((await sql(`SELECT 1 FROM "UsageTenantDay" WHERE "tenantId" = $1`, [t.id])).length).toBe(7);

  // Again: nothing left to drop, nothing changes.
  const second = await runRetentionJob();
  expect(second.dropped).toEqual([]);
  expect(await partitions()).toEqual(after);
});
