// Self-backup with a proven restore (issue 17). This file runs its OWN Halley (web + workers) on its own
// scratch database, Redis and data directory: it configures two targets through server-config/set, runs
// them, opens the archives with 7-Zip, restores one with `npm run restore` into a fresh database and data
// directory, starts a second Halley on the result and compares the API reads of both servers. It also
// kills the workers in the middle of a run and checks that no partial archive is published.
import { execFile } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { BlobWriter, TextReader, ZipWriter } from '@zip.js/zip.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../lib/db/migrate';
import { createScratchDatabase } from '../../lib/db/schema-diff';
import { freePort, randomHex, repoRoot, startRedis, type RunningService } from '../../scripts/lib/services.mjs';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { CometClient, type ParamValue } from '../helpers/comet-client';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';
import { callIn } from '../helpers/in-language';
import { jobDetail, seedJobs } from '../helpers/jobs';
import { startSmtpSink } from '../helpers/smtp-sink';
import { waitFor } from '../helpers/wait';

const run = promisify(execFile);
const servicesDir = process.env.HALLEY_TEST_SERVICES_DIR ?? path.join(repoRoot, '.test-services');
const work = path.join(servicesDir, `self-backup-${randomHex(4)}`);
const dataA = path.join(work, 'data-a');
const dataB = path.join(work, 'data-b');
const fullDir = path.join(work, 'backups-full');
const lightDir = path.join(work, 'backups-light');
const keyA = randomHex(32);
const PASSWORD = 'archive pass phrase ✓';
const ROOT = { username: 'sb-root', password: 'sb-root-password-1' };

let scratchA: { url: string; drop: () => Promise<void> };
let scratchB: { url: string; drop: () => Promise<void> };
let redisA: RunningService;
let redisB: RunningService;
let halleyA: HalleyProcess;
let halleyB: HalleyProcess | undefined;
let rootA: CometClient;
let feed: http.Server;
const fixture = { tenantId: '', tenantAdmin: { username: 'sb-tenant-admin', password: 'tenant-admin-pw-1' }, user: 'sb-user-1', policyId: '', jobs: [] as string[] };

async function sql(url: string, text: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows;
  } finally {
    await c.end();
  }
}

async function restore(args: string[]): Promise<{ code: number; out: string }> {
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL; // only what the command line says
  try {
    const r = await run(tsx, ['scripts/restore.ts', ...args], { cwd: repoRoot, env, timeout: 120_000 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

async function runsOf(client: CometClient): Promise<any[]> {
  return (await client.ok('/api/v1/admin/self-backup/runs', { Limit: 100 })).Runs;
}

const zips = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.zip')).sort() : []);
const partials = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.includes('.partial-')) : []);

beforeAll(async () => {
  fs.mkdirSync(dataA, { recursive: true });
  fs.writeFileSync(path.join(dataA, 'halley.conf.json'), JSON.stringify({ note: 'operator configuration kept beside the key' }));
  // Halley's release feed, on loopback.
  feed = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ latest_stable: '9.9.9', latest_prerelease: '10.0.0-rc1', downloads_url: 'https://releases.example.test/halley', updates_info: ['Faster restores'] }));
  });
  await new Promise<void>((r) => feed.listen(0, '127.0.0.1', r));
  const feedUrl = `http://127.0.0.1:${(feed.address() as { port: number }).port}/feed.json`;
  scratchA = await createScratchDatabase(process.env.DATABASE_URL!);
  scratchB = await createScratchDatabase(process.env.DATABASE_URL!);
  await applyMigrations(scratchA.url, { log: () => {} });
  redisA = await startRedis({ dir: path.join(work, 'redis-a'), port: await freePort() });
  redisB = await startRedis({ dir: path.join(work, 'redis-b'), port: await freePort() });
  halleyA = await startHalley({
    name: 'sb-a',
    databaseUrl: scratchA.url,
    workers: true,
    logDir: servicesDir,
    env: { REDIS_URL: redisA.url, HALLEY_SECRET_KEY: keyA, HALLEY_DATA_DIR: dataA, HALLEY_ALLOW_PRIVATE_TARGETS: 'true', HALLEY_SELF_BACKUP_STALE_SECONDS: '4', HALLEY_UPDATE_FEED_URL: feedUrl, LOG_LEVEL: 'info' },
  });
  const anon = new CometClient(halleyA.url, null);
  await anon.ok('/api/v1/admin/add-first-admin-user', { TargetUser: ROOT.username, TargetPassword: ROOT.password });
  rootA = new CometClient(halleyA.url, ROOT);

  // A populated server: a tenant with an admin, a user, a policy and jobs; a server webhook (sealed secret).
  fixture.tenantId = (await rootA.ok('/api/v1/admin/organization/set', { Organization: { Name: 'Backed-up tenant', Hosts: ['sb.example.test'] } })).ID;
  await rootA.ok('/api/v1/admin/admin-user/new', { TargetUser: fixture.tenantAdmin.username, TargetPassword: fixture.tenantAdmin.password, TargetOrgID: fixture.tenantId });
  const tenantAdmin = new CometClient(halleyA.url, fixture.tenantAdmin);
  fixture.policyId = (await tenantAdmin.ok('/api/v1/admin/policies/new', { Policy: { Description: 'Locked', Policy: { PreventDeleteStorageVault: true }, DefaultUserPolicy: true } })).PolicyID;
  await tenantAdmin.ok('/api/v1/admin/add-user', { TargetUser: fixture.user, TargetPassword: 'user-password-1' });
  await rootA.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { audit: { URL: 'http://127.0.0.1:9/hook', CustomHeaders: {}, Level: 'full', WhiteListedEventTypes: [] } } });
  const jobs = [jobDetail(fixture.user), jobDetail(fixture.user, { Status: 7001 })];
  fixture.jobs = jobs.map((j) => j.GUID);
  const saved = process.env.DATABASE_URL;
  process.env.DATABASE_URL = scratchA.url;
  try {
    await seedJobs(jobs, { [jobs[0]!.GUID]: [{ Time: 1, Severity: 'I', Message: 'started' }, { Time: 2, Severity: 'E', Message: 'tab\there, newline\nthere, backslash \\ and NULL-ish \\N' }] });
  } finally {
    process.env.DATABASE_URL = saved;
  }
  // A usage-ledger day in a month a fresh server has no partition for (the ledger is partitioned by month).
  await sql(scratchA.url, `SELECT halley_usage_ensure_partitions('2025-03-01'::date, '2025-03-31'::date)`);
  await sql(
    scratchA.url,
    `INSERT INTO "UsageAccountDay" ("tenantId", "accountId", "day", "username", "devices", "configuredDevices", "boosters", "boosterCounts", "office365Accounts", "storageBytes", "liveDevices")
     SELECT a."tenantId", a."id", '2025-03-15', a."username", 1, 1, 0, '{}'::jsonb, 0, 12345, 0 FROM "Account" a WHERE a."username" = $1`,
    [fixture.user],
  );
}, 240_000);

afterAll(async () => {
  feed?.close();
  await halleyB?.stop();
  await halleyA?.stop();
  await redisA?.stop();
  await redisB?.stop();
  await scratchA?.drop().catch(() => undefined);
  await scratchB?.drop().catch(() => undefined);
  fs.rmSync(work, { recursive: true, force: true });
});

function target(index: number, over: Record<string, unknown>) {
  return {
    Index: index,
    Schedule: [],
    ScheduleTimezone: 'Europe/Amsterdam',
    RetentionPolicy: { Mode: 801, Ranges: [] },
    Location: { DestinationType: 1002, LocalcopyPath: fullDir },
    EncryptionKey: PASSWORD,
    EncryptionKeyFormat: 0,
    Compression: 3,
    ExcludeJobsDB: false,
    IncludeServerLogs: false,
    ...over,
  };
}

describe('self-backup', () => {
  it('refuses bad targets, tenant admins and a start without targets', async () => {
    const tenantAdmin = new CometClient(halleyA.url, fixture.tenantAdmin);
    expect((await tenantAdmin.fails('/api/v1/admin/self-backup/start')).Status).toBe(403);
    expect((await tenantAdmin.fails('/api/v1/admin/meta/server-config/get')).Status).toBe(403);
    expect((await tenantAdmin.fails('/api/v1/admin/meta/server-config/set', { Config: {} })).Status).toBe(403);
    expect((await tenantAdmin.fails('/api/v1/admin/organization/export', { Options: {} })).Status).toBe(403);
    expect((await rootA.fails('/api/v1/admin/self-backup/start')).Message).toMatch(/No self-backup targets/);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ Location: { DestinationType: 1002, LocalcopyPath: 'relative/dir' } }, /absolute path/],
      [{ Location: { DestinationType: 1001 } }, /not supported/],
      [{ Location: { DestinationType: 1003 } }, /CometServer/],
      [{ Location: { DestinationType: 1000, S3Server: '' } }, /S3Server must be the S3 endpoint/],
      [{ EncryptionKey: '' }, /EncryptionKey/],
      [{ Compression: 9 }, /Compression/],
      [{ ScheduleTimezone: 'Mars/Olympus' }, /time zone/],
      [{ Schedule: [{ FrequencyType: 8010 }] }, /Schedule\[0\]/],
      [{ RestrictToSingleOrgID: 'no-such-org' }, /RestrictToSingleOrgID/],
    ];
    const config = await rootA.ok('/api/v1/admin/meta/server-config/get');
    for (const [over, message] of cases) {
      const r = await rootA.fails('/api/v1/admin/meta/server-config/set', { Config: { ...config, SelfBackup: { Targets: [target(0, over)] } } });
      expect(r.Status, JSON.stringify(over)).toBe(400);
      expect(r.Message).toMatch(message);
    }
    expect((await rootA.ok('/api/v1/admin/meta/server-config/get')).SelfBackup.Targets).toEqual([]);
    expect((await rootA.fails('/api/v1/admin/organization/export', { Options: { Location: { DestinationType: 1002, LocalcopyPath: fullDir }, EncryptionKey: PASSWORD } })).Message).toMatch(/RestrictToSingleOrgID/);
  });

  it('configures two targets through server-config, keeps other fields, hides the password, runs them', async () => {
    const config = await rootA.ok('/api/v1/admin/meta/server-config/get');
    const hourly = { FrequencyType: 8012, SecondsPast: 900 };
    await rootA.ok('/api/v1/admin/meta/server-config/set', {
      Config: {
        ...config,
        ExperimentalOptions: ['kept-as-sent'],
        License: { SerialNumber: 'round-trip-serial' },
        SelfBackup: {
          Targets: [
            target(0, { Compression: 1 }),
            target(1, { Location: { DestinationType: 1002, LocalcopyPath: lightDir }, ExcludeJobsDB: true, Compression: 5, Schedule: [hourly], RetentionPolicy: { Mode: 802, Ranges: [{ Type: 900, Jobs: 1 }] } }),
          ],
        },
      },
    });
    const after = await rootA.ok('/api/v1/admin/meta/server-config/get');
    expect(after.ExperimentalOptions).toEqual(['kept-as-sent']);
    expect(after.License.SerialNumber).toBe('round-trip-serial');
    expect(after.SelfBackup.Targets).toHaveLength(2);
    expect(after.SelfBackup.Targets.map((t: any) => t.EncryptionKey)).toEqual(['', '']);
    expect(after.SelfBackup.Targets[1].Schedule[0]).toMatchObject(hourly);
    expect(after.WebhookOptions.audit.URL).toBe('http://127.0.0.1:9/hook');
    // Saving what get answered (blank passwords) keeps the stored ones.
    await rootA.ok('/api/v1/admin/meta/server-config/set', { Config: after });
    const events = await sql(scratchA.url, `SELECT data FROM "Event" WHERE type = 4403 AND data ? 'ServerConfig' ORDER BY id`);
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(events)).not.toContain(PASSWORD);

    const started = await rootA.ok('/api/v1/admin/self-backup/start');
    expect(started.RunIDs).toHaveLength(2);
    const done = await waitFor('both runs finish', async () => {
      const runs = (await runsOf(rootA)).filter((r) => started.RunIDs.includes(r.ID));
      return runs.every((r) => r.Status === 'success' || r.Status === 'failed') ? runs : null;
    }, 120_000, 250);
    expect(done.map((r) => [r.TargetIndex, r.Status, r.Error])).toEqual(expect.arrayContaining([[0, 'success', ''], [1, 'success', '']]));
    const version = await rootA.ok('/api/v1/admin/meta/version');
    expect(version.SelfBackup).toHaveLength(2);
    for (const s of version.SelfBackup) {
      expect(s.LastRunSuccess).toBe(true);
      expect(s.LastRunSize).toBeGreaterThan(0);
      expect(s.LastRunEnd).toBeGreaterThanOrEqual(s.LastRunStart);
      expect(s.CurrentRunStart).toBe(0);
    }
    expect(zips(fullDir)).toHaveLength(1);
    expect(zips(lightDir)).toHaveLength(1);
    expect(partials(fullDir)).toEqual([]);
    const runEvents = await sql(scratchA.url, `SELECT data FROM "Event" WHERE type = 4403 AND data ? 'SelfBackupRun'`);
    expect(runEvents).toHaveLength(2);

    // The light target keeps only its newest archive (RetentionPolicy: most recent 1).
    const again = await rootA.ok('/api/v1/admin/self-backup/start', { TargetIndex: 1 });
    expect(again.RunIDs).toHaveLength(1);
    await waitFor('the second light run', async () => (await runsOf(rootA)).find((r) => r.ID === again.RunIDs[0] && r.Status === 'success'), 60_000, 250);
    expect(zips(lightDir)).toHaveLength(1);
    expect((await runsOf(rootA)).find((r) => r.ID === again.RunIDs[0]).FileName).toBe(zips(lightDir)[0]);
  }, 240_000);

  it('writes AES-256 zips that 7-Zip opens, with a manifest, the key, and without jobs when asked', async () => {
    const full = path.join(fullDir, zips(fullDir)[0]!);
    const listing = (await run('7z', ['l', '-slt', `-p${PASSWORD}`, full])).stdout;
    expect(listing).toMatch(/Method = AES-256/);
    const out = path.join(work, 'extract-full');
    await run('7z', ['x', '-y', `-p${PASSWORD}`, `-o${out}`, full]);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.format).toBe('halley-self-backup');
    expect(manifest.migrations.length).toBeGreaterThan(5);
    const byName = Object.fromEntries(manifest.tables.map((t: any) => [t.name, t]));
    expect(byName.Job.rows).toBe(2);
    expect(byName.JobLogEntry.rows).toBe(2);
    expect(byName.Account.rows).toBe(1);
    expect(fs.readFileSync(path.join(out, 'data', 'secret.key'), 'utf8').trim()).toBe(keyA);
    expect(fs.existsSync(path.join(out, 'data', 'halley.conf.json'))).toBe(true);
    await expect(run('7z', ['t', '-pwrong-password', full])).rejects.toThrow();

    const light = path.join(lightDir, zips(lightDir)[0]!);
    const out2 = path.join(work, 'extract-light');
    await run('7z', ['x', '-y', `-p${PASSWORD}`, `-o${out2}`, light]);
    const m2 = JSON.parse(fs.readFileSync(path.join(out2, 'manifest.json'), 'utf8'));
    expect(m2.excludeJobs).toBe(true);
    expect(m2.tables.map((t: any) => t.name)).not.toContain('Job');
    expect(m2.tables.map((t: any) => t.name)).not.toContain('JobLogEntry');
  });

  it('restores into a fresh database and data directory: the same server comes back', async () => {
    const archive = path.join(fullDir, zips(fullDir)[0]!);
    const wrong = await restore([archive, '--password', 'not it']);
    expect(wrong.code).toBe(2);
    expect(wrong.out).toMatch(/password does not open/);

    const dry = await restore([archive, '--password', PASSWORD]);
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toMatch(/nothing was written/);
    expect(await sql(scratchB.url, `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = current_schema()`)).toEqual([{ n: 0 }]);

    const applied = await restore([archive, '--password', PASSWORD, '--apply', '--data-dir', dataB, '--database-url', scratchB.url]);
    expect(applied.code, applied.out).toBe(0);
    expect(applied.out).toMatch(/restored Job: 2 rows/);
    expect(fs.readFileSync(path.join(dataB, 'secret.key'), 'utf8').trim()).toBe(keyA);
    expect(JSON.parse(fs.readFileSync(path.join(dataB, 'halley.conf.json'), 'utf8')).note).toMatch(/operator/);

    // A second restore into the now non-empty database is refused.
    const twice = await restore([archive, '--password', PASSWORD, '--apply', '--data-dir', dataB, '--database-url', scratchB.url]);
    expect(twice.code).toBe(2);
    expect(twice.out).toMatch(/not empty/);

    halleyB = await startHalley({
      name: 'sb-b',
      databaseUrl: scratchB.url,
      logDir: servicesDir,
      env: { REDIS_URL: redisB.url, HALLEY_SECRET_KEY: fs.readFileSync(path.join(dataB, 'secret.key'), 'utf8').trim(), HALLEY_DATA_DIR: dataB, LOG_LEVEL: 'warn' },
    });
    const rootB = new CometClient(halleyB.url, ROOT);
    const tenantA = new CometClient(halleyA.url, fixture.tenantAdmin);
    const tenantB = new CometClient(halleyB.url, fixture.tenantAdmin);
    const reads: Array<[CometClient, CometClient, string, Record<string, ParamValue>]> = [
      [rootA, rootB, '/api/v1/admin/list-users-full', {}],
      [rootA, rootB, '/api/v1/admin/get-user-profile', { TargetUser: fixture.user }],
      [rootA, rootB, '/api/v1/admin/organization/list', {}],
      [rootA, rootB, '/api/v1/admin/get-jobs-all', {}],
      [rootA, rootB, '/api/v1/admin/get-job-log-entries', { JobID: fixture.jobs[0] }],
      [rootA, rootB, '/api/v1/admin/meta/webhook-options/get', {}],
      [rootA, rootB, '/api/v1/admin/meta/webhook-options/get-secret', { WebhookID: 'audit' }],
      [rootA, rootB, '/api/v1/admin/admin-user/list', {}],
      [tenantA, tenantB, '/api/v1/admin/policies/list-full', {}],
      [tenantA, tenantB, '/api/v1/admin/list-users', {}],
    ];
    for (const [a, b, p, params] of reads) {
      expect(await b.ok(p, params), p).toEqual(await a.ok(p, params));
    }
    // The ledger's old month came back into a partition the restore created.
    expect(await sql(scratchB.url, `SELECT "storageBytes"::int AS b FROM "UsageAccountDay" WHERE "day" = '2025-03-15'`)).toEqual([{ b: 12345 }]);
    const config = await rootB.ok('/api/v1/admin/meta/server-config/get');
    expect(config.SelfBackup.Targets).toHaveLength(2);
    expect(config.License.SerialNumber).toBe('round-trip-serial');
    // The restored outbox continues: a change on B gets a higher event id than every restored one.
    const maxBefore = (await sql(scratchB.url, 'SELECT max(id)::text AS m FROM "Event"'))[0].m;
    await rootB.ok('/api/v1/admin/organization/set', { Organization: { Name: 'Created after restore', Hosts: [] } });
    const maxAfter = (await sql(scratchB.url, 'SELECT max(id)::text AS m FROM "Event"'))[0].m;
    expect(BigInt(maxAfter)).toBeGreaterThan(BigInt(maxBefore));
  }, 300_000);

  it('refuses an archive written by a newer Halley', async () => {
    const manifest = { format: 'halley-self-backup', formatVersion: 1, halleyVersion: '99.0.0', migrations: [], tables: [], sequences: [], files: [] };
    const writer = new ZipWriter(new BlobWriter('application/zip'), { password: PASSWORD, encryptionStrength: 3 });
    await writer.add('manifest.json', new TextReader(JSON.stringify(manifest)));
    const blob = await writer.close();
    const file = path.join(work, 'newer.zip');
    fs.writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
    const r = await restore([file, '--password', PASSWORD]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/newer than this Halley/);
  }, 60_000);

  it('exports one organization', async () => {
    const exportDir = path.join(work, 'exports');
    const r = await rootA.ok('/api/v1/admin/organization/export', {
      Options: { Location: { DestinationType: 1002, LocalcopyPath: exportDir }, EncryptionKey: PASSWORD, Compression: 2, RestrictToSingleOrgID: fixture.tenantId },
    });
    const row = await waitFor('the export', async () => (await runsOf(rootA)).find((x) => x.ID === r.RunID && x.Status !== 'queued' && x.Status !== 'running'), 60_000, 250);
    expect([row.Status, row.Error, row.Kind]).toEqual(['success', '', 'export']);
    const out = path.join(work, 'extract-export');
    await run('7z', ['x', '-y', `-p${PASSWORD}`, `-o${out}`, path.join(exportDir, zips(exportDir)[0]!)]);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.restrictToOrgId).toBe(fixture.tenantId);
    const names = manifest.tables.map((t: any) => t.name);
    expect(names).toEqual(expect.arrayContaining(['Tenant', 'Account', 'Policy', 'AdminUser', 'Job', 'JobLogEntry']));
    expect(names).not.toContain('ServerSetting');
    expect(manifest.tables.find((t: any) => t.name === 'Tenant').rows).toBe(1);
    expect(manifest.tables.find((t: any) => t.name === 'AdminUser').rows).toBe(1); // the tenant's admin, not the root admin
  });

  it('kill -9 of the workers mid-run publishes no partial archive, and the run is finished by the restarted workers', async () => {
    // Enough rows that the run takes a few seconds.
    await sql(scratchA.url, `INSERT INTO "JobLogEntry" ("jobId", time, severity, message)
      SELECT $1, g, 'I', md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text) FROM generate_series(1, 400000) g`, [fixture.jobs[0]]);
    const before = zips(fullDir);
    const started = await rootA.ok('/api/v1/admin/self-backup/start', { TargetIndex: 0 });
    const runId = started.RunIDs[0];
    await waitFor('the run to write its temporary file', () => partials(fullDir).some((n) => n.includes(runId)), 60_000, 20);
    await halleyA.killWorkers();
    expect(zips(fullDir)).toEqual(before);
    const runningRow = (await runsOf(rootA)).find((r) => r.ID === runId);
    expect(runningRow.Status).toBe('running');
    await halleyA.restartWorkers();
    const row = await waitFor('the handed-on run', async () => (await runsOf(rootA)).find((r) => r.ID === runId && (r.Status === 'success' || r.Status === 'failed')), 120_000, 250);
    expect([row.Status, row.Error]).toEqual(['success', '']);
    expect(zips(fullDir)).toHaveLength(before.length + 1);
    expect(partials(fullDir)).toEqual([]);
  }, 240_000);

  it('serves the daily server logs to top-level admins only, and the release feed', async () => {
    const today = Math.floor(Date.now() / 86_400_000) * 86_400;
    const days = await rootA.ok('/api/v1/admin/meta/list-available-log-days');
    expect(days).toContain(today);
    expect(fs.existsSync(path.join(dataA, 'logs', `halley-${new Date(today * 1000).toISOString().slice(0, 10).replace(/-/g, '')}.log`))).toBe(true);
    const text = (await rootA.call('/api/v1/admin/meta/read-logs', { Log: today })).text;
    expect(text).toMatch(/self-backup written/);
    expect(text).not.toContain(PASSWORD);
    expect((await rootA.call('/api/v1/admin/meta/read-select-logs', { Logs: [today - 86_400, today] })).text).toContain('self-backup written');
    const found = await rootA.ok('/api/v1/admin/meta/search-log', { Log: today, Contains: 'self-backup written', MinLevel: 'info' });
    expect(found.Entries.length).toBeGreaterThan(0);
    expect(found.Entries[0]).toMatchObject({ Level: 'info', Message: 'self-backup written' });
    expect((await rootA.ok('/api/v1/admin/meta/search-log', { Log: today, MinLevel: 'fatal' })).Entries).toEqual([]);
    expect((await rootA.fails('/api/v1/admin/meta/read-logs', { Log: today + 5 })).Status).toBe(400);
    expect((await rootA.fails('/api/v1/admin/meta/read-logs', { Log: today - 400 * 86_400 })).Status).toBe(404);
    expect((await rootA.fails('/api/v1/admin/meta/search-log', { Log: today, MinLevel: 'loud' })).Status).toBe(400);
    const tenantAdmin = new CometClient(halleyA.url, fixture.tenantAdmin);
    for (const [p, params] of [
      ['/api/v1/admin/meta/list-available-log-days', {}],
      ['/api/v1/admin/meta/read-logs', { Log: today }],
      ['/api/v1/admin/meta/read-select-logs', { Logs: [today] }],
      ['/api/v1/admin/meta/search-log', { Log: today }],
    ] as const) {
      expect((await tenantAdmin.fails(p, params)).Status, p).toBe(403);
    }
    const news = await tenantAdmin.ok('/api/v1/admin/meta/software-update-news');
    expect(news).toEqual({ latest_stable: '9.9.9', latest_prerelease: '10.0.0-rc1', downloads_url: 'https://releases.example.test/halley', updates_info: ['Faster restores'] });
  });

  it('console: Settings → Self-backup shows the targets and history, Run now starts a run; Settings → Logs filters', async () => {
    const browser = await launchBrowser();
    try {
      const page = await newPage(browser);
      await signIn(page, halleyA.url, ROOT.username, ROOT.password);
      await page.goto(`${halleyA.url}/settings/self-backup`);
      await page.getByRole('heading', { name: 'Run history' }).waitFor();
      expect(await page.getByText(fullDir).count()).toBeGreaterThan(0);
      expect(await page.getByText('Succeeded').count()).toBeGreaterThan(0);
      await shot(page, 'self-backup-settings');
      // A target with a relative folder is refused next to the form, in the UI language.
      await page.getByRole('button', { name: 'Add target' }).click();
      await page.locator('input[name="path"]').fill('relative/folder');
      await page.locator('input[name="password"]').fill('another-password');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Enter an absolute path').waitFor();
      await page.getByRole('button', { name: 'Cancel' }).click();
      const before = (await runsOf(rootA)).length;
      await page.getByRole('button', { name: 'Run now' }).first().click();
      await waitFor('a run from the console', async () => (await runsOf(rootA)).length > before, 30_000, 200);
      await page.getByText('Succeeded').first().waitFor();
      await page.goto(`${halleyA.url}/settings/logs`);
      await page.locator('input[name="filter"]').fill('self-backup written');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.getByRole('table').getByText('self-backup written').first().waitFor();
      await shot(page, 'self-backup-logs');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 180_000);

  it('a failed run is recorded, reported in meta/version, leaves nothing behind and is mailed to the admin report recipients, each in its language', async () => {
    const sink = await startSmtpSink();
    try {
      await rootA.ok('/api/v1/admin/meta/email-options/set', {
        EmailOptions: {
          Mode: 'smtp', SMTPHost: '127.0.0.1', SMTPPort: sink.port, SMTPAllowUnencrypted: true, FromEmail: 'halley@example.test', FromName: 'Halley',
          EmailReportingOptions: [
            { EmailReportConfig: { ReportType: 1, SummaryFrequency: [], Filter: { ClauseType: 'and', ClauseChildren: [] } }, LanguageCode: 'en_US', LocalTimezone: 'UTC', Recipients: ['ops@example.test'] },
            { EmailReportConfig: { ReportType: 1, SummaryFrequency: [], Filter: { ClauseType: 'and', ClauseChildren: [] } }, LanguageCode: 'de_DE', LocalTimezone: 'Europe/Berlin', Recipients: ['betrieb@example.test'] },
          ],
        },
      });
      const config = await rootA.ok('/api/v1/admin/meta/server-config/get');
      const refused = '/proc/halley-self-backup-refused';
      await rootA.ok('/api/v1/admin/meta/server-config/set', { Config: { ...config, SelfBackup: { Targets: [...config.SelfBackup.Targets, target(2, { Location: { DestinationType: 1002, LocalcopyPath: refused } })] } } });
      const started = await rootA.ok('/api/v1/admin/self-backup/start', { TargetIndex: 2 });
      const row = await waitFor('the failing run', async () => (await runsOf(rootA)).find((r) => r.ID === started.RunIDs[0] && r.Status === 'failed'), 60_000, 250);
      expect(row.Error).toMatch(/cannot be written/);
      const version = await rootA.ok('/api/v1/admin/meta/version');
      expect(version.SelfBackup).toHaveLength(3);
      expect(version.SelfBackup[2]).toMatchObject({ LastRunSuccess: false, LastRunSize: 0, CurrentRunStart: 0 });
      const mail = await sink.waitFor((m) => m.envelopeTo.includes('ops@example.test') && /self-backup target 2 failed/.test(m.mail.subject ?? ''));
      expect(mail.mail.text).toContain(refused);
      expect(mail.mail.text).toContain(`Error: ${row.Error}`);
      expect(mail.mail.text).not.toContain(PASSWORD);
      // The German recipient: subject, text and html in German, the run's Error as the run history answers it in German.
      const german = await sink.waitFor((m) => m.envelopeTo.includes('betrieb@example.test'));
      expect(german.mail.subject).toMatch(/^.+: Selbstsicherungsziel 2 fehlgeschlagen$/);
      const errorDe = (await callIn(rootA, 'de', '/api/v1/admin/self-backup/runs', { Limit: 100 })).Runs.find((r: any) => r.ID === row.ID).Error;
      expect(errorDe).not.toBe(row.Error);
      expect(german.mail.text).toMatch(/^Selbstsicherungsziel 2: der Lauf, gestartet \S+, ist fehlgeschlagen\.$/m);
      expect(german.mail.text).toMatch(/^Speicherort: .*\/proc\/halley-self-backup-refused$/m);
      expect(german.mail.text).toContain(`Fehler: ${errorDe}`);
      expect(german.mail.text).toContain('Es wurde kein unvollständiges Archiv zurückgelassen.');
      expect(german.mail.html).toContain('<html lang="de">');
      expect(german.mail.text).not.toContain(PASSWORD);
      const events = await sql(scratchA.url, `SELECT data FROM "Event" WHERE type = 4403 AND "resourceId" = $1`, [row.ID]);
      expect(events.map((e) => e.data.SelfBackupRun.Success)).toEqual([false]);
    } finally {
      await sink.close();
    }
  }, 120_000);
});
