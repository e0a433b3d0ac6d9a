// Scheduled self-backups (issue 17), on a Halley of its own (web + workers, scratch database, own Redis) so
// that its workers can be killed: a target's daily schedule fires at its time in its time zone (the next-run
// computation, the workers' job scheduler in Redis, and the run the workers start when the time comes), and
// slots that come due while the workers are down run once when they return, not once per missed slot.
import fs from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../lib/db/migrate';
import { createScratchDatabase } from '../../lib/db/schema-diff';
import { nextRun, scheduleToRepeat } from '../../lib/email/schedule';
import { SELF_BACKUP_QUEUE } from '../../lib/self-backup/queue';
import { freePort, randomHex, repoRoot, startRedis, type RunningService } from '../../scripts/lib/services.mjs';
import { CometClient } from '../helpers/comet-client';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';
import { waitFor } from '../helpers/wait';

const servicesDir = process.env.HALLEY_TEST_SERVICES_DIR ?? path.join(repoRoot, '.test-services');
const work = path.join(servicesDir, `self-backup-schedule-${randomHex(4)}`);
const folder = path.join(work, 'backups');
const ROOT = { username: 'sched-root', password: 'Correct-Horse-42' };
const DAILY = 8011;

let scratch: { url: string; drop: () => Promise<void> };
let redis: RunningService;
let halley: HalleyProcess;
let root: CometClient;
let queue: Queue;

/** Seconds after local midnight of `ms` in `zone` (a daily ScheduleConfig's SecondsPast). */
function secondsPastMidnight(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return n('hour') * 3600 + n('minute') * 60 + n('second');
}

function target(index: number, zone: string, dueTimes: number[]) {
  return {
    Index: index,
    Schedule: dueTimes.map((ms) => ({ FrequencyType: DAILY, SecondsPast: secondsPastMidnight(ms, zone) })),
    ScheduleTimezone: zone,
    RetentionPolicy: { Mode: 801, Ranges: [] },
    Location: { DestinationType: 1002, LocalcopyPath: path.join(folder, `t${index}`) },
    EncryptionKey: 'schedule pass phrase',
    EncryptionKeyFormat: 0,
    Compression: 1,
    ExcludeJobsDB: true,
    IncludeServerLogs: false,
  };
}

async function setTargets(targets: unknown[]) {
  const config = await root.ok('/api/v1/admin/meta/server-config/get');
  await root.ok('/api/v1/admin/meta/server-config/set', { Config: { ...config, SelfBackup: { ...config.SelfBackup, Targets: targets } } });
}

async function runsOf(index: number): Promise<any[]> {
  return (await root.ok('/api/v1/admin/self-backup/runs', { Limit: 100, TargetIndex: index })).Runs;
}

/** The workers' job schedulers of one target (BullMQ, in Redis): their next due times. */
async function schedulersOf(index: number): Promise<Array<{ key: string; next: number; tz?: string | null }>> {
  return (await queue.getJobSchedulers(0, -1)).filter((s) => s.key.startsWith(`self-backup.t${index}.`)).map((s) => ({ key: s.key, next: Number(s.next), tz: s.tz }));
}

/** A due time `aheadMs` from now on a whole second, far enough ahead for the save and the reconcile. */
const dueIn = (aheadMs: number) => Math.ceil((Date.now() + aheadMs) / 1000) * 1000;

beforeAll(async () => {
  fs.mkdirSync(folder, { recursive: true });
  scratch = await createScratchDatabase(process.env.DATABASE_URL!);
  await applyMigrations(scratch.url, { log: () => {} });
  redis = await startRedis({ dir: path.join(work, 'redis'), port: await freePort() });
  halley = await startHalley({
    name: 'sbs',
    databaseUrl: scratch.url,
    workers: true,
    logDir: servicesDir,
    env: { REDIS_URL: redis.url, HALLEY_SECRET_KEY: randomHex(32), HALLEY_DATA_DIR: path.join(work, 'data'), LOG_LEVEL: 'info' },
  });
  await new CometClient(halley.url, null).ok('/api/v1/admin/add-first-admin-user', { TargetUser: ROOT.username, TargetPassword: ROOT.password });
  root = new CometClient(halley.url, ROOT);
  const url = new URL(redis.url);
  queue = new Queue(SELF_BACKUP_QUEUE, { connection: { host: url.hostname, port: Number(url.port) } });
}, 240_000);

afterAll(async () => {
  await queue?.close();
  await halley?.stop();
  await redis?.stop();
  await scratch?.drop().catch(() => undefined);
  fs.rmSync(work, { recursive: true, force: true });
});

describe('scheduled self-backups', () => {
  it('a daily schedule fires at its time in its time zone', async () => {
    // Kathmandu is UTC+05:45: the same SecondsPast read in UTC (or as whole hours off) would be another moment.
    const zone = 'Asia/Kathmandu';
    const due = dueIn(40_000);
    const t0 = target(0, zone, [due]);
    const repeat = scheduleToRepeat(t0.Schedule[0]!, zone)!;
    expect(nextRun(repeat, Date.now())).toBe(due);
    expect(nextRun(scheduleToRepeat(t0.Schedule[0]!, 'UTC')!, Date.now())).not.toBe(due);
    await setTargets([t0]);

    // The workers' scheduler (reconciled right after the save) is due at that moment.
    const [scheduler] = await waitFor('the target\'s scheduler', async () => {
      const s = await schedulersOf(0);
      return s.length === 1 ? s : null;
    }, 30_000, 100);
    expect(scheduler).toMatchObject({ next: due, tz: zone });
    expect(await runsOf(0)).toEqual([]);

    // When the time comes, the workers start the run on their own.
    const r = await waitFor('the scheduled run', async () => (await runsOf(0)).find((x) => x.Status === 'success' || x.Status === 'failed'), 120_000, 250);
    expect([r.Trigger, r.Status, r.Error]).toEqual(['schedule', 'success', '']);
    expect(r.StartTime * 1000).toBeGreaterThanOrEqual(due - 1000);
    expect(fs.readdirSync(path.join(folder, 't0')).filter((n) => n.endsWith('.zip'))).toEqual([r.FileName]);
    // The next occurrence is a day later, at the same local time.
    const after = await waitFor('the next occurrence', async () => (await schedulersOf(0)).find((s) => s.next > due), 30_000, 100);
    expect(after.next).toBe(nextRun(repeat, due));
    expect(secondsPastMidnight(after.next, zone)).toBe(t0.Schedule[0]!.SecondsPast);
    expect(await runsOf(0)).toHaveLength(1);
  }, 240_000);

  it('slots missed while the workers are down run once when they return, not once per missed slot', async () => {
    // A target with two daily slots 10 seconds apart (its own time zone); both pass while the workers are down.
    const zone = 'America/St_Johns';
    const first = dueIn(30_000);
    const second = first + 10_000;
    await setTargets([target(0, 'Asia/Kathmandu', [dueIn(3_600_000)]), target(1, zone, [first, second])]);
    const before = await waitFor('the two schedulers of target 1', async () => {
      const s = await schedulersOf(1);
      return s.length === 2 ? s : null;
    }, 30_000, 100);
    expect(before.map((s) => s.next).sort()).toEqual([first, second]);
    expect(Date.now()).toBeLessThan(first);

    await halley.killWorkers();
    // Nothing runs the slots now: wait for the clock to pass both (the condition under test, not a guess at a duration).
    await waitFor('both slots to pass', () => Date.now() > second + 2_000, 90_000, 200);
    expect(await runsOf(1)).toEqual([]);

    await halley.restartWorkers();
    const r = await waitFor('the catch-up run', async () => (await runsOf(1)).find((x) => x.Status === 'success' || x.Status === 'failed'), 120_000, 250);
    expect([r.Trigger, r.Status, r.Error]).toEqual(['schedule', 'success', '']);
    // Both schedulers have handed on their missed slot (each now waits for tomorrow) and nothing is left to run.
    await waitFor('both missed slots handled', async () => {
      const s = await schedulersOf(1);
      const counts = await queue.getJobCounts('wait', 'active', 'prioritized');
      return s.length === 2 && s.every((x) => x.next > second) && counts.wait + counts.active + counts.prioritized === 0;
    }, 60_000, 250);
    const runs = await runsOf(1);
    expect(runs.map((x) => [x.Trigger, x.Status])).toEqual([['schedule', 'success']]);
    expect(fs.readdirSync(path.join(folder, 't1')).filter((n) => n.endsWith('.zip'))).toEqual([r.FileName]);
  }, 300_000);
});
