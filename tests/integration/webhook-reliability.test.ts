// No webhook event lost when Redis restarts (losing every queued job: the test Redis keeps nothing on
// disk) or when the workers process is SIGKILLed while deliveries are in flight. This file runs its own
// Halley (web + workers) on a scratch database and a private redis-server, so it can break them without
// touching the shared test server. The receiver deduplicates by X-Halley-Event-Id, like a real one should.
// It also checks that a receiver that never answers cannot take every delivery slot from other webhooks.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../lib/db/migrate';
import { createScratchDatabase } from '../../lib/db/schema-diff';
import { freePort, randomHex, repoRoot, startRedis, type RunningService } from '../../scripts/lib/services.mjs';
import { CometClient } from '../helpers/comet-client';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';
import { WebhookReceiver } from '../helpers/webhook-receiver';
import pg from 'pg';

const servicesDir = process.env.HALLEY_TEST_SERVICES_DIR ?? path.join(repoRoot, '.test-services');
const redisDir = path.join(servicesDir, `webhook-redis-${randomHex(4)}`);
let scratch: { url: string; drop: () => Promise<void> };
let redis: RunningService;
let redisPort: number;
let halley: HalleyProcess;
let admin: CometClient;
const rx = new WebhookReceiver();
/** A receiver that takes requests and never answers (Halley gives up after HALLEY_WEBHOOK_TIMEOUT_MS). */
const silent = new WebhookReceiver();

beforeAll(async () => {
  scratch = await createScratchDatabase(process.env.DATABASE_URL!);
  await applyMigrations(scratch.url);
  redisPort = await freePort();
  redis = await startRedis({ dir: redisDir, port: redisPort });
  halley = await startHalley({
    name: 'webhook-reliability',
    databaseUrl: scratch.url,
    workers: true,
    logDir: servicesDir,
    // Few slots and a long time-out: without a per-webhook share, a silent receiver's jobs would hold every slot
    // for the whole time-out (the last case).
    env: { REDIS_URL: redis.url, HALLEY_WEBHOOK_CONCURRENCY: '4', HALLEY_WEBHOOK_TIMEOUT_MS: '60000' },
  });
  const anon = new CometClient(halley.url, null);
  await anon.call('/api/v1/admin/add-first-admin-user', { TargetUser: 'rel-admin', TargetPassword: 'rel-password' });
  admin = new CometClient(halley.url, { username: 'rel-admin', password: 'rel-password' });
  await admin.ok('/api/v1/admin/meta/webhook-settings/set', { AllowPrivateTargets: true });
  await rx.start();
  rx.delayMs = 100; // slow answers keep deliveries in flight
  await silent.start();
  silent.delayMs = 10 * 60_000;
}, 180_000);

afterAll(async () => {
  await rx.stop();
  await silent.stop();
  await halley?.stop();
  await redis?.stop();
  fs.rmSync(redisDir, { recursive: true, force: true });
  await scratch?.drop().catch(() => undefined);
});

async function accountEvents(usernames: string[]): Promise<Array<{ id: string; resourceId: string }>> {
  const c = new pg.Client({ connectionString: scratch.url });
  await c.connect();
  try {
    const r = await c.query(`SELECT id::text, "resourceId" FROM "Event" WHERE "resourceId" = ANY($1) ORDER BY id`, [usernames]);
    return r.rows;
  } finally {
    await c.end();
  }
}

async function makeUsers(n: number, label: string): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = `${label}-${i}-${randomHex(3)}`;
    await admin.ok('/api/v1/admin/add-user', { TargetUser: name, TargetPassword: 'webhook-pw-1' });
    await admin.ok('/api/v1/admin/reset-user-password', { TargetUser: name, NewPassword: 'webhook-pw-2' });
    names.push(name);
  }
  return names;
}

describe('webhook delivery survives Redis and worker failures', () => {
  it('loses no event when Redis restarts empty and when the workers process is killed mid-delivery', { timeout: 240_000 }, async () => {
    await admin.ok('/api/v1/admin/meta/webhook-options/set', {
      WebhookOptions: { rel: { URL: rx.url, CustomHeaders: {}, Level: 'full', WhiteListedEventTypes: [4100, 4102] } },
    });
    rx.secret = (await admin.ok('/api/v1/admin/meta/webhook-options/get-secret', { WebhookID: 'rel' })).Secret;
    const users: string[] = [];

    // 1. Redis restarts while deliveries are queued and in flight; it comes back empty.
    users.push(...(await makeUsers(8, 'before-redis')));
    await rx.waitFor((r) => r.inFlight > 0 && r.unique.size >= 3, 60_000, 'deliveries in flight');
    await redis.stop();
    users.push(...(await makeUsers(4, 'redis-down')));
    redis = await startRedis({ dir: redisDir, port: redisPort });
    users.push(...(await makeUsers(4, 'redis-back')));

    // 2. The workers process is SIGKILLed with a delivery in flight, and events keep coming meanwhile.
    await rx.waitFor((r) => r.inFlight > 0, 60_000, 'a delivery in flight');
    await halley.killWorkers();
    users.push(...(await makeUsers(4, 'workers-dead')));
    await halley.restartWorkers();
    users.push(...(await makeUsers(4, 'workers-back')));

    const expected = await accountEvents(users);
    expect(expected).toHaveLength(users.length * 2);
    await rx.waitFor((r) => expected.every((e) => r.unique.has(e.id)), 120_000, 'every event');
    // Order per resource: each account's NEW before its UPDATED, as first received.
    const firstSeen = [...rx.unique.values()].filter((r) => r.json?.Type !== 4000);
    for (const u of users) {
      const types = firstSeen.filter((r) => r.json.ResourceID === u).map((r) => r.json.Type);
      expect(types, u).toEqual([4100, 4102]);
    }
    expect(firstSeen.every((r) => r.validSignature)).toBe(true);
  });

  it('delivers to an answering webhook while a silent one holds its share of the slots', { timeout: 120_000 }, async () => {
    await admin.ok('/api/v1/admin/meta/webhook-options/set', {
      WebhookOptions: {
        silent: { URL: silent.url, CustomHeaders: {}, Level: 'full', WhiteListedEventTypes: [4100] },
        answering: { URL: rx.url, CustomHeaders: {}, Level: 'full', WhiteListedEventTypes: [4102] },
      },
    });
    rx.delayMs = 0;
    // Account creations, one API call each, reach the silent webhook as several delivery jobs: more than the
    // four slots of the workers process.
    const names: string[] = [];
    for (let i = 0; i < 12; i++) {
      const name = `silent-${i}-${randomHex(3)}`;
      await admin.ok('/api/v1/admin/add-user', { TargetUser: name, TargetPassword: 'webhook-pw-1' });
      names.push(name);
      await new Promise((r) => setTimeout(r, 250)); // past the dispatcher's tick: a job per account or two
    }
    await silent.waitFor((r) => r.inFlight >= 2, 30_000, 'the silent receiver holding requests');
    await admin.ok('/api/v1/admin/reset-user-password', { TargetUser: names[0], NewPassword: 'webhook-pw-2' });
    await rx.waitFor((r) => r.ofType(4102).some((x) => x.json.ResourceID === names[0]), 50_000, 'the answering webhook\'s delivery');
    // Delivered before any of the silent receiver's requests reached its time-out: the answering webhook did not
    // wait for a slot the silent one held.
    expect(silent.abandoned).toBe(0);
    expect(silent.inFlight).toBeGreaterThanOrEqual(2);
  });
});
