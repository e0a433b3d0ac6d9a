// The daily PSA push (issue 18): the workers register the hourly BullMQ job scheduler "psa-daily"; its handler
// (lib/psa/schedule-psa-pushes.ts, called here with chosen clocks) does nothing before HALLEY_PSA_DAILY_HOUR_UTC,
// then creates one push per integration and UTC day that the workers deliver once; running it again the same day
// creates and sends nothing more (idempotent), and the next day gets its own push.
import { Queue } from 'bullmq';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb } from '../../lib/db/client';
import { closePsaQueue, PSA_QUEUE, PsaJob } from '../../lib/psa/psa-queue';
import { producerConnection } from '../../lib/queue/connection';
import { schedulePsaPushes } from '../../lib/psa/schedule-psa-pushes';
import { makeTenant, type TenantFixture } from '../helpers/fixtures';
import { allowPrivateTargets } from '../helpers/private-targets';
import { PsaMock } from '../helpers/psa-mock';
import { waitFor } from '../helpers/wait';

const HOUR = 3_600_000;
const receiver = new PsaMock(() => ({ status: 202, json: { ok: true } }));
const todayMidnight = Math.floor(Date.now() / 86_400_000) * 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let db: pg.Client;
let t: TenantFixture;
let restorePrivate: () => Promise<void>;

const pushesOf = async () =>
  (await db.query(`SELECT "pushKey", trigger, status, "configId" FROM "PsaPush" WHERE "tenantId" = $1 ORDER BY "pushKey", "configId"`, [t.id])).rows;

beforeAll(async () => {
  db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  await receiver.start();
  restorePrivate = await allowPrivateTargets(true);
  t = await makeTenant('psa-daily');
  const entry = (path: string) => ({ Type: 0, URL: `${receiver.url}${path}`, GroupedBy: { Users: true, Tenants: false, AccountName: false } });
  await t.admin.ok('/api/v1/admin/meta/psa-config-list/set', { PSAConfigList: [entry('/one'), entry('/two')] });
});

afterAll(async () => {
  await restorePrivate?.();
  await receiver.stop();
  await closePsaQueue();
  await closeDb();
  await db?.end();
});

describe('the daily PSA scheduler', () => {
  it('is registered by the workers as an hourly BullMQ job scheduler', async () => {
    const q = new Queue(PSA_QUEUE, { connection: producerConnection() });
    try {
      await waitFor('the psa-daily job scheduler', async () => (await q.getJobSchedulers(0, -1)).some((s) => s.key === 'psa-daily'));
      const s = (await q.getJobSchedulers(0, -1)).find((x) => x.key === 'psa-daily')!;
      expect(s).toMatchObject({ name: PsaJob.DAILY, every: HOUR });
    } finally {
      await q.close();
    }
  });

  it('pushes once per day per integration, only after the daily hour, and is idempotent', { timeout: 120_000 }, async () => {
    // Before the daily hour (default 01:00 UTC): yesterday's final usage snapshot may not exist yet.
    expect(await schedulePsaPushes(todayMidnight + HOUR / 2)).toEqual({ created: 0, queued: 0 });

    await schedulePsaPushes(todayMidnight + 2 * HOUR);
    const first = await pushesOf();
    expect(first.map((p) => [p.pushKey, p.trigger])).toEqual([
      [`day:${isoDay(todayMidnight)}`, 'schedule'],
      [`day:${isoDay(todayMidnight)}`, 'schedule'],
    ]);
    expect(new Set(first.map((p) => p.configId)).size).toBe(2);
    await waitFor('both integrations pushed', async () => (await pushesOf()).every((p) => p.status === 'delivered'), 60_000);
    expect(receiver.requests.map((r) => r.path).sort()).toEqual(['/one', '/two']);

    // The hourly run later the same day: no new push, nothing queued for this organization, nothing sent again.
    await schedulePsaPushes(todayMidnight + 5 * HOUR);
    await schedulePsaPushes(todayMidnight + 23 * HOUR);
    expect((await pushesOf()).map((p) => [p.pushKey, p.status])).toEqual(first.map((p) => [p.pushKey, 'delivered']));

    // The next day: one more push per integration, delivered once.
    const tomorrow = todayMidnight + 24 * HOUR;
    await schedulePsaPushes(tomorrow + 2 * HOUR);
    await waitFor("the next day's pushes delivered", async () => {
      const rows = await pushesOf();
      return rows.length === 4 && rows.every((p) => p.status === 'delivered');
    }, 60_000);
    expect((await pushesOf()).filter((p) => p.pushKey === `day:${isoDay(tomorrow)}`)).toHaveLength(2);
    expect(receiver.requests.map((r) => r.path).sort()).toEqual(['/one', '/one', '/two', '/two']);
  });
});
