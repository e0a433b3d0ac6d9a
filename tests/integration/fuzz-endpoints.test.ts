// Property-based fuzz of every endpoint in the registry (lib/api/endpoints), generated from each entry's
// parameters and auth kind: as no one, as tenant admins (with every Allow* permission and with none), as a
// top-level admin and as an end user; random and hostile values for every parameter (missing, wrong type,
// huge, NUL, lone surrogates, deep or __proto__/constructor JSON, repeated keys), wrong content types and
// wrong methods. Every answer: no 5xx, no internals in the body, within RESPONSE_BOUND_MS; and a refused
// call leaves the database as it was (tests/fuzz/db-digest.ts says what is left out of that check and why).
//
// A top-level admin with random-but-valid values changes server-wide settings and deletes things, so this
// file runs its OWN Halley web process on its OWN scratch database and private redis-server.
//
//   FUZZ_RUNS=200 npm test -- tests/integration/fuzz-endpoints.test.ts     (runs per endpoint; default 20, ~100 s)
//   FUZZ_SEED=123 ...                                                       (replay a printed seed)
//   FUZZ_ONLY=email ...                                                     (only paths containing the text)
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints } from '../../lib/api/endpoints';
import type { AnyEndpoint } from '../../lib/api/registry';
import { applyMigrations } from '../../lib/db/migrate';
import { createScratchDatabase } from '../../lib/db/schema-diff';
import { freePort, randomHex, repoRoot, startRedis, type RunningService } from '../../scripts/lib/services.mjs';
import { changedTables, DbDigest } from '../fuzz/db-digest';
import { problemsWith, refused, type Answer } from '../fuzz/oracle';
import { describeRequest, requestArb, toFetchInit, type FuzzRequest } from '../fuzz/request';
import { World } from '../fuzz/world';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';

const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 0x7fffffff);
const ONLY = process.env.FUZZ_ONLY ?? '';

const servicesDir = process.env.HALLEY_TEST_SERVICES_DIR ?? path.join(repoRoot, '.test-services');
const redisDir = path.join(servicesDir, `fuzz-redis-${randomHex(4)}`);
let scratch: { url: string; drop: () => Promise<void> };
let redis: RunningService;
let halley: HalleyProcess;
let world: World;
let digest: DbDigest;
let lastDigest: Record<string, string> | null = null;
/** Outcomes per endpoint (Comet Status or HTTP status), printed at the end: a fuzz that never gets past
 * validation proves little, so endpoints no call succeeded on are listed. */
const outcomes = new Map<string, Map<number, number>>();
let calls = 0;
const suiteStarted = Date.now();

/** A per-endpoint seed, so one endpoint's runs do not depend on how many ran before it. */
function seedFor(p: string): number {
  let h = SEED;
  for (const ch of p) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

beforeAll(async () => {
  process.stdout.write(`\nfuzz: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} (set them to replay or to run longer)\n`);
  scratch = await createScratchDatabase(process.env.DATABASE_URL!);
  await applyMigrations(scratch.url, { log: () => {} });
  redis = await startRedis({ dir: redisDir, port: await freePort() });
  halley = await startHalley({ name: 'fuzz', databaseUrl: scratch.url, logDir: servicesDir, env: {
      REDIS_URL: redis.url,
      LOG_LEVEL: 'warn',
      // The seeded webhook points at a closed loopback port (tests/fuzz/world.ts); the stored switch is cached for seconds.
      HALLEY_ALLOW_PRIVATE_TARGETS: 'true',
    } });
  world = new World(halley.url);
  await world.create();
  digest = new DbDigest(scratch.url);
  await digest.open();
}, 180_000);

afterAll(async () => {
  const neverOk = [...outcomes].filter(([, m]) => !m.has(200)).map(([p]) => p);
  const total = new Map<number, number>();
  for (const m of outcomes.values()) for (const [k, v] of m) total.set(k, (total.get(k) ?? 0) + v);
  process.stdout.write(
    `\nfuzz: ${calls} calls in ${Math.round((Date.now() - suiteStarted) / 1000)} s over ${outcomes.size} endpoints; statuses ${JSON.stringify(Object.fromEntries(total))}\n` +
      `fuzz: no call succeeded on ${neverOk.length}: ${neverOk.join(' ')}\n`,
  );
  await digest?.close();
  await halley?.stop();
  await redis?.stop();
  fs.rmSync(redisDir, { recursive: true, force: true });
  await scratch?.drop().catch(() => undefined);
});

async function send(p: string, req: FuzzRequest): Promise<Answer> {
  const started = performance.now();
  let http = 0;
  let text = '';
  try {
    const res = await fetch(halley.url + p, toFetchInit(req));
    http = res.status;
    text = await res.text();
  } catch (err) {
    // The server closing the connection without an answer is a failure of its own kind.
    text = `(no answer: ${(err as Error).message})`;
    http = 599;
  }
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { http, text, body, ms: Math.round(performance.now() - started) };
}

const selected = endpoints.filter((e) => e.path.includes(ONLY));

describe('fuzz: every registry endpoint', () => {
  it.each(selected.map((e) => [e.path, e] as const))('%s', async (p, endpoint: AnyEndpoint) => {
    const healed = await world.heal();
    if (healed.length) lastDigest = null;
    const arb = requestArb(endpoint, world.pool(), (a) => world.creds(a));
    const seed = seedFor(p);
    await fc.assert(
      fc.asyncProperty(arb, async (req) => {
        const before = lastDigest ?? (await digest.take());
        const answer = await send(p, req);
        const after = await digest.take();
        lastDigest = after;
        calls++;
        const status = answer.http !== 200 ? answer.http : typeof (answer.body as any)?.Status === 'number' && (answer.body as any).Status < 1000 ? (answer.body as any).Status : 200;
        const m = outcomes.get(p) ?? new Map<number, number>();
        m.set(status, (m.get(status) ?? 0) + 1);
        outcomes.set(p, m);
        const problems = problemsWith(answer);
        if (refused(answer)) {
          const changed = changedTables(before, after);
          if (changed.length) problems.push(`refused, yet it changed ${changed.join(', ')}`);
        }
        if (problems.length) {
          throw new Error(`${problems.join('; ')}\n  request: ${describeRequest(p, req)}\n  answer: HTTP ${answer.http} ${answer.text.slice(0, 400)}`);
        }
      }),
      // Shrinking replays against the live server; FUZZ_SHRINK=0 reports the first counterexample as found.
      { seed, numRuns: RUNS, endOnFailure: process.env.FUZZ_SHRINK === '0' },
    ).catch((err: Error) => {
      const cause = err.cause instanceof Error ? `\n  ${err.cause.message}` : '';
      throw new Error(`${err.message}${cause}\n  replay: FUZZ_SEED=${SEED} FUZZ_ONLY=${p.slice('/api/v1'.length)} npm test -- tests/integration/fuzz-endpoints.test.ts`);
    });
    expect(true).toBe(true);
  }, 120_000);
});
