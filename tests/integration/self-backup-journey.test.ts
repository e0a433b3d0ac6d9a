// Issue 17's Done-when as one journey, in a real browser on a Halley of its own (web + workers, scratch
// database, own Redis and data directory): a new administrator creates itself on /setup, configures two
// targets in Settings → Self-backup (a folder on the server every hour without the job history, an s3rver
// bucket every day with everything incl. the server logs), clicks Run now on both and sees both runs in the
// history (duration, size, result). The S3 archive is then restored with the commands the console's restore
// procedure shows (run as shown, paths and password filled in) into a fresh data directory and an empty
// database, and a Halley started on the result answers the same API reads; its secrets still decrypt with the
// restored key: a storage vault's keys reach a device, the SMTP password still signs in to the mail server,
// an admin's and a user's TOTP take codes from the same secrets, the webhook secret, the PSA keys.
// The same through the API: tests/integration/self-backup.test.ts (server-config/set, self-backup/start,
// restore, kill -9 mid-run).
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { generateSecret } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentDevice } from '../../agent/device';
import { applyMigrations } from '../../lib/db/migrate';
import { createScratchDatabase } from '../../lib/db/schema-diff';
import { freePort, randomHex, repoRoot, startRedis, type RunningService } from '../../scripts/lib/services.mjs';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { CometClient, type ParamValue } from '../helpers/comet-client';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';
import { jobDetail, seedJobs } from '../helpers/jobs';
import { startAgent } from '../helpers/live';
import { PsaMock } from '../helpers/psa-mock';
import { sampleProfile } from '../helpers/sample-profile';
import { totpCode } from '../helpers/security';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { waitFor } from '../helpers/wait';

const run = promisify(execFile);
const servicesDir = process.env.HALLEY_TEST_SERVICES_DIR ?? path.join(repoRoot, '.test-services');
const work = path.join(servicesDir, `self-backup-journey-${randomHex(4)}`);
const dataA = path.join(work, 'data-a');
const dataB = path.join(work, 'data-b');
const folder = path.join(work, 'hourly-backups');
const BUCKET = 'halley-self-backups';
const keyA = randomHex(32);
const LOCAL_PASSWORD = 'hourly folder pass phrase 7';
const S3_PASSWORD = 'daily bucket pass phrase 9';
const ADMIN = { username: 'journey-admin', password: 'Correct-Horse-42' };
const OPS = { username: 'journey-ops', password: 'Ops-Battery-Staple-43' };
const TENANT_ADMIN = { username: 'journey-tenant-admin', password: 'Tenant-Staple-44' };
const USER = { username: 'journey-user', password: 'User-Staple-Horse-45' };
const SMTP = { username: 'halley-mailer', password: `smtp-${randomHex(8)}` };
const VAULT_SECRET = `vault-secret-${randomHex(8)}`;
const VAULT_ENCRYPTION_KEY = `vault-encryption-${randomHex(8)}`;
const PSA_KEY = `psa-partner-${randomHex(8)}`;
const PSA_HEADER = `psa-header-${randomHex(8)}`;
const userTotp = generateSecret();
const MINUTE = String((new Date().getUTCMinutes() + 30) % 60).padStart(2, '0');

let scratchA: { url: string; drop: () => Promise<void> };
let scratchB: { url: string; drop: () => Promise<void> };
let redisA: RunningService;
let redisB: RunningService;
let halleyA: HalleyProcess;
let halleyB: HalleyProcess | undefined;
let s3: S3rver;
let s3Endpoint = '';
let sink: SmtpSink;
let psa: PsaMock;
let browser: Browser;
let page: Page;
let rootA: CometClient;
const agents: AgentDevice[] = [];
const state = { tenantId: '', opsTotp: '', jobs: [] as string[], localRuns: [] as any[], s3Run: null as any, archive: '' };

async function runsOf(client: CometClient): Promise<any[]> {
  return (await client.ok('/api/v1/admin/self-backup/runs', { Limit: 100 })).Runs;
}

const zips = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.zip')).sort() : []);
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs a command line through bash in the repository, as an operator would type it. */
async function shell(line: string, env: Record<string, string | undefined>): Promise<{ code: number; out: string }> {
  const base: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && k !== 'DATABASE_URL' && k !== 'HALLEY_DATA_DIR' && k !== 'HALLEY_SECRET_KEY') base[k] = v;
  try {
    const r = await run('bash', ['-c', line], { cwd: repoRoot, env: { ...base, ...env } as NodeJS.ProcessEnv, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** The entries of an archive as 7-Zip lists them. */
async function entriesOf(archive: string, password: string): Promise<string[]> {
  const listing = (await run('7z', ['l', '-slt', `-p${password}`, archive], { maxBuffer: 16 * 1024 * 1024 })).stdout;
  return [...listing.matchAll(/^Path = (.+)$/gm)].map((m) => m[1]!).filter((p) => p !== archive);
}

beforeAll(async () => {
  fs.mkdirSync(dataA, { recursive: true });
  fs.writeFileSync(path.join(dataA, 'halley.conf.json'), JSON.stringify({ note: 'operator configuration kept beside the key' }));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: path.join(work, 's3rver'), configureBuckets: [{ name: BUCKET, configs: [] }] });
  s3Endpoint = `127.0.0.1:${((await s3.run()) as AddressInfo).port}`;
  sink = await startSmtpSink({ credentials: SMTP });
  psa = await new PsaMock().start();
  scratchA = await createScratchDatabase(process.env.DATABASE_URL!);
  scratchB = await createScratchDatabase(process.env.DATABASE_URL!);
  await applyMigrations(scratchA.url, { log: () => {} });
  redisA = await startRedis({ dir: path.join(work, 'redis-a'), port: await freePort() });
  redisB = await startRedis({ dir: path.join(work, 'redis-b'), port: await freePort() });
  halleyA = await startHalley({
    name: 'sbj-a',
    databaseUrl: scratchA.url,
    workers: true,
    logDir: servicesDir,
    env: { REDIS_URL: redisA.url, HALLEY_SECRET_KEY: keyA, HALLEY_DATA_DIR: dataA, HALLEY_ALLOW_PRIVATE_TARGETS: 'true', LOG_LEVEL: 'info' },
  });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  for (const a of agents) a.stop();
  await browser?.close();
  await halleyB?.stop();
  await halleyA?.stop();
  await redisA?.stop();
  await redisB?.stop();
  await s3?.close();
  await sink?.close();
  await psa?.stop();
  await scratchA?.drop().catch(() => undefined);
  await scratchB?.drop().catch(() => undefined);
  fs.rmSync(work, { recursive: true, force: true });
});

describe('self-backup, the Done-when journey', () => {
  it('a new administrator creates itself on /setup; the server fills with tenants, users, jobs and secrets', async () => {
    page = await newPage(browser);
    // A fresh server's first pages on a busy shared machine: more than Playwright's 30 s default, still bounded.
    page.setDefaultTimeout(90_000);
    page.setDefaultNavigationTimeout(90_000);
    await page.goto(`${halleyA.url}/login`);
    await page.waitForURL(/\/setup$/);
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.getByRole('link', { name: 'Continue to sign in' }).waitFor();
    await shot(page, 'self-backup-journey-1-setup');
    await signIn(page, halleyA.url, ADMIN.username, ADMIN.password);
    rootA = new CometClient(halleyA.url, ADMIN);

    // A populated server: a tenant with its admin, a user with a storage vault and TOTP, jobs, a PSA integration.
    state.tenantId = (await rootA.ok('/api/v1/admin/organization/set', { Organization: { Name: 'Journey tenant', Hosts: ['journey.example.test'] } })).ID;
    await rootA.ok('/api/v1/admin/admin-user/new', { TargetUser: TENANT_ADMIN.username, TargetPassword: TENANT_ADMIN.password, TargetOrgID: state.tenantId });
    const tenantAdmin = new CometClient(halleyA.url, TENANT_ADMIN);
    await tenantAdmin.ok('/api/v1/admin/add-user', { TargetUser: USER.username, TargetPassword: USER.password });
    const profile = await tenantAdmin.ok('/api/v1/admin/get-user-profile', { TargetUser: USER.username });
    const vault = { ...sampleProfile(USER.username).Destinations['vault-s3'], S3SecretKey: VAULT_SECRET, EncryptionKey: VAULT_ENCRYPTION_KEY, EncryptionKeyEncryptionMethod: 1 };
    await tenantAdmin.ok('/api/v1/admin/set-user-profile', {
      TargetUser: USER.username,
      ProfileData: { ...profile, Destinations: { 'vault-s3': vault }, TOTPKey: userTotp, TOTPKeyEncryptionFormat: 0, AllowPasswordAndTOTPLogin: true, AllowPasswordLogin: false },
    });
    await tenantAdmin.ok('/api/v1/admin/meta/psa-config-list/set', {
      PSAConfigList: [{ Type: 0, URL: `${psa.url}/usage`, PartnerKey: PSA_KEY, CustomHeaders: { 'X-Api-Key': PSA_HEADER }, AlertsDisabled: false, GroupedBy: { Users: true, Tenants: false, AccountName: false } }],
    });
    const jobs = [jobDetail(USER.username), jobDetail(USER.username, { Status: 7001 })];
    state.jobs = jobs.map((j) => j.GUID);
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = scratchA.url;
    try {
      await seedJobs(jobs, { [jobs[0]!.GUID]: [{ Time: 1, Severity: 'I', Message: 'started' }, { Time: 2, Severity: 'E', Message: 'tab\there and a backslash \\' }] });
    } finally {
      process.env.DATABASE_URL = saved;
    }

    // Server-wide secrets: a webhook, SMTP with a password, a second top-level admin with TOTP.
    await rootA.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { audit: { URL: 'http://127.0.0.1:9/hook', CustomHeaders: {}, Level: 'full', WhiteListedEventTypes: [] } } });
    await rootA.ok('/api/v1/admin/meta/email-options/set', {
      EmailOptions: { Mode: 'smtp', SMTPHost: '127.0.0.1', SMTPPort: sink.port, SMTPUsername: SMTP.username, SMTPPassword: SMTP.password, SMTPAllowUnencrypted: true, FromEmail: 'halley@example.test', FromName: 'Halley' },
    });
    await rootA.ok('/api/v1/admin/admin-user/new', { TargetUser: OPS.username, TargetPassword: OPS.password });
    const ops = new CometClient(halleyA.url, OPS);
    const regen = await ops.ok('/api/v1/admin/account/regenerate-totp');
    await ops.ok('/api/v1/admin/account/validate-totp', { TOTPCode: await totpCode(regen.Secret) });
    state.opsTotp = regen.Secret;
    expect((await ops.fails('/api/v1/admin/meta/version')).Message).toBe('ERR_TOTP_REQUIRED');
  }, 120_000);

  it('configures a folder every hour without jobs and s3rver every day with everything, runs both, sees the history', async () => {
    await page.goto(`${halleyA.url}/settings/self-backup`);
    await page.getByText('No target yet').waitFor();

    // 1. A folder on the server, every hour (at a minute half an hour away, so that no scheduled run joins the
    //    ones this test starts), without the job history, keeping the newest 2 archives.
    await page.getByRole('button', { name: 'Add target' }).click();
    const local = page.getByRole('form', { name: 'Add target' });
    await local.locator('[name="path"]').fill(folder);
    await local.locator('[name="password"]').fill(LOCAL_PASSWORD);
    await local.locator('[name="schedule"]').selectOption('hourly');
    await local.locator('[name="time"]').fill(`00:${MINUTE}`);
    await local.locator('[name="keep"]').fill('2');
    await local.locator('[name="excludeJobs"]').check();
    await shot(page, 'self-backup-journey-2-local-form');
    await local.getByRole('button', { name: 'Save' }).click();
    await local.waitFor({ state: 'detached' });
    const localRow = page.getByRole('row').filter({ hasText: folder });
    await localRow.getByText(`Every hour at :${MINUTE}`).waitFor();
    await localRow.getByText('Without job history').waitFor();

    // 2. An S3-compatible bucket (s3rver), every day at 02:30, everything and the server logs.
    await page.getByRole('button', { name: 'Add target' }).click();
    const remote = page.getByRole('form', { name: 'Add target' });
    await remote.locator('[name="kind"]').selectOption('s3');
    await remote.locator('[name="s3Server"]').fill(s3Endpoint);
    await remote.locator('[name="s3Bucket"]').fill(BUCKET);
    await remote.locator('[name="s3Subdir"]').fill('daily');
    await remote.locator('[name="s3AccessKey"]').fill('S3RVER');
    await remote.locator('[name="s3SecretKey"]').fill('S3RVER');
    await remote.locator('[name="password"]').fill(S3_PASSWORD);
    await remote.locator('[name="schedule"]').selectOption('daily');
    await remote.locator('[name="time"]').fill('02:30');
    await remote.locator('[name="includeLogs"]').check();
    await remote.getByRole('button', { name: 'Save' }).click();
    await remote.waitFor({ state: 'detached' });
    const s3Row = page.getByRole('row').filter({ hasText: `s3://${s3Endpoint}/${BUCKET}/daily` });
    await s3Row.getByText('Every day at 02:30').waitFor();
    await s3Row.getByText('Everything, with server logs').waitFor();
    // The schedule's time zone (the browser's, the form's default) is shown with it.
    const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    await s3Row.getByText(zone, { exact: true }).waitFor();
    await shot(page, 'self-backup-journey-3-targets');

    const targets = (await rootA.ok('/api/v1/admin/meta/server-config/get')).SelfBackup.Targets as any[];
    expect(targets).toHaveLength(2);
    expect(targets[0]).toMatchObject({ ExcludeJobsDB: true, IncludeServerLogs: false, Schedule: [{ FrequencyType: 8012, SecondsPast: Number(MINUTE) * 60 }], Location: { DestinationType: 1002, LocalcopyPath: folder }, EncryptionKey: '' });
    expect(targets[1]).toMatchObject({ ExcludeJobsDB: false, IncludeServerLogs: true, Schedule: [{ FrequencyType: 8011, SecondsPast: 9000 }], Location: { DestinationType: 1000, S3BucketName: BUCKET, S3SecretKey: '' }, EncryptionKey: '' });
    // Run now on each row; the history shows both runs with duration, size and result.
    await localRow.getByRole('button', { name: 'Run now' }).click();
    await s3Row.getByRole('button', { name: 'Run now' }).click();
    const done = await waitFor('both runs to end', async () => {
      const runs = await runsOf(rootA);
      return runs.length >= 2 && runs.every((r) => r.Status === 'success' || r.Status === 'failed') ? runs : null;
    }, 120_000, 250);
    expect(done.map((r) => [r.TargetIndex, r.Status, r.Error, r.Trigger]).sort()).toEqual([[0, 'success', '', 'manual'], [1, 'success', '', 'manual']]);
    state.s3Run = done.find((r) => r.TargetIndex === 1);
    const history = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Duration' }) });
    for (const r of done) {
      const row = history.getByRole('row').filter({ hasText: r.FileName });
      await row.getByText('Succeeded').waitFor();
      const cells = await row.getByRole('cell').allTextContents();
      expect(cells[2], 'duration').toMatch(/\d/);
      expect(cells[3], 'size').toMatch(/^[\d.,]+\s?(B|KB|kB|MB|KiB|MiB)$/);
    }
    await shot(page, 'self-backup-journey-4-history');
    expect(zips(folder)).toEqual([done.find((r) => r.TargetIndex === 0).FileName]);
    const direct = new S3Client({ endpoint: `http://${s3Endpoint}`, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    try {
      const listed = await direct.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'daily/' }));
      expect((listed.Contents ?? []).map((o) => o.Key)).toEqual([`daily/${state.s3Run.FileName}`]);
      // The operator copies the archive to where the restore runs.
      const got = await direct.send(new GetObjectCommand({ Bucket: BUCKET, Key: `daily/${state.s3Run.FileName}` }));
      state.archive = path.join(work, state.s3Run.FileName);
      fs.writeFileSync(state.archive, Buffer.from(await got.Body!.transformToByteArray()));
    } finally {
      direct.destroy();
    }
    const version = await rootA.ok('/api/v1/admin/meta/version');
    expect(version.SelfBackup.map((s: any) => [s.LastRunSuccess, s.LastRunSize > 0, s.CurrentRunStart])).toEqual([[true, true, 0], [true, true, 0]]);
    expect(pageErrors(page)).toEqual([]);
  }, 240_000);

  it('IncludeServerLogs puts the log files in the archive (and only then); ExcludeJobsDB leaves the job tables out', async () => {
    const full = await entriesOf(state.archive, S3_PASSWORD);
    const light = await entriesOf(path.join(folder, zips(folder)[0]!), LOCAL_PASSWORD);
    const logFiles = fs.readdirSync(path.join(dataA, 'logs')).filter((n) => n.endsWith('.log'));
    expect(logFiles.length).toBeGreaterThan(0);
    for (const f of logFiles) expect(full).toContain(`logs/${f}`);
    expect(light.filter((e) => e.startsWith('logs/'))).toEqual([]);
    expect(full.some((e) => /^database\/\d+-Job\.copy$/.test(e))).toBe(true);
    expect(full.some((e) => /^database\/\d+-JobLogEntry\.copy$/.test(e))).toBe(true);
    expect(light.some((e) => /-Job(LogEntry)?\.copy$/.test(e))).toBe(false);
    expect(light).toContain('data/secret.key');
    expect(light).toContain('manifest.json');
  });

  it('retention: Run now twice more on the folder target keeps its newest 2 archives and removes the oldest', async () => {
    const localRow = page.getByRole('row').filter({ hasText: folder });
    for (let i = 0; i < 2; i++) {
      const before = new Set((await runsOf(rootA)).map((r) => r.ID));
      await localRow.getByRole('button', { name: 'Run now' }).click();
      const r = await waitFor('the folder run', async () => (await runsOf(rootA)).find((x) => !before.has(x.ID) && (x.Status === 'success' || x.Status === 'failed')), 60_000, 250);
      expect([r.Status, r.Error]).toEqual(['success', '']);
    }
    const localRuns = (await runsOf(rootA)).filter((r) => r.TargetIndex === 0).sort((a, b) => a.StartTime - b.StartTime || a.FileName.localeCompare(b.FileName));
    expect(localRuns).toHaveLength(3);
    expect(zips(folder)).toEqual(localRuns.slice(1).map((r) => r.FileName).sort());
    expect(fs.readdirSync(folder).filter((n) => n.includes('.partial-'))).toEqual([]);
  }, 120_000);

  it('restores the S3 archive with the commands the console shows into a fresh data directory and database; the same server answers', async () => {
    // The restore procedure as the console shows it.
    const commands = (await page.locator('pre').allTextContents()).map((t) => t.trim());
    const dry = commands.find((c) => c.startsWith('npm run restore') && !c.includes('--apply'));
    const apply = commands.find((c) => c.includes('npm run restore') && c.includes('--apply'));
    expect(dry, commands.join('\n')).toBeTruthy();
    expect(apply, commands.join('\n')).toMatch(/^HALLEY_DATA_DIR=\S+ npm run restore -- \S+\.zip --password '…' --apply$/);
    const fill = (c: string) => c.replace(/^HALLEY_DATA_DIR=\S+/, `HALLEY_DATA_DIR=${shellQuote(dataB)}`).replace(/ \S+\.zip /, ` ${shellQuote(state.archive)} `).replace(`'…'`, shellQuote(S3_PASSWORD));

    const checked = await shell(fill(dry!), {});
    expect(checked.code, checked.out).toBe(0);
    expect(checked.out).toMatch(/archive is complete and intact: .* nothing was written/);
    expect(fs.existsSync(dataB)).toBe(false);

    // "…and, with DATABASE_URL, an empty database": a new, empty PostgreSQL database.
    const restored = await shell(fill(apply!), { DATABASE_URL: scratchB.url });
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toMatch(/restored Job: 2 rows/);
    expect(restored.out).toMatch(new RegExp(`restored \\d+ tables \\(\\d+ rows\\) and \\d+ files into ${dataB.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(fs.readFileSync(path.join(dataB, 'secret.key'), 'utf8').trim()).toBe(keyA);
    expect(JSON.parse(fs.readFileSync(path.join(dataB, 'halley.conf.json'), 'utf8')).note).toMatch(/operator/);
    expect(fs.readdirSync(path.join(dataB, 'logs')).filter((n) => n.endsWith('.log')).length).toBeGreaterThan(0);

    // Step 4: Halley on that data directory (its secret.key) and database.
    halleyB = await startHalley({
      name: 'sbj-b',
      databaseUrl: scratchB.url,
      workers: true,
      logDir: servicesDir,
      env: { REDIS_URL: redisB.url, HALLEY_SECRET_KEY: fs.readFileSync(path.join(dataB, 'secret.key'), 'utf8').trim(), HALLEY_DATA_DIR: dataB, HALLEY_ALLOW_PRIVATE_TARGETS: 'true', LOG_LEVEL: 'warn' },
    });
    const rootB = new CometClient(halleyB.url, ADMIN);
    const tenantA = new CometClient(halleyA.url, TENANT_ADMIN);
    const tenantB = new CometClient(halleyB.url, TENANT_ADMIN);
    const reads: Array<[CometClient, CometClient, string, Record<string, ParamValue>]> = [
      [rootA, rootB, '/api/v1/admin/list-users-full', {}],
      [rootA, rootB, '/api/v1/admin/get-user-profile', { TargetUser: USER.username }],
      [rootA, rootB, '/api/v1/admin/organization/list', {}],
      [rootA, rootB, '/api/v1/admin/get-jobs-all', {}],
      [rootA, rootB, '/api/v1/admin/get-job-log-entries', { JobID: state.jobs[0] }],
      [rootA, rootB, '/api/v1/admin/admin-user/list', {}],
      [rootA, rootB, '/api/v1/admin/meta/webhook-options/get', {}],
      [rootA, rootB, '/api/v1/admin/meta/webhook-options/get-secret', { WebhookID: 'audit' }],
      [rootA, rootB, '/api/v1/admin/meta/email-options/get', {}],
      [tenantA, tenantB, '/api/v1/admin/list-users', {}],
      [tenantA, tenantB, '/api/v1/admin/policies/list-full', {}],
      [tenantA, tenantB, '/api/v1/admin/meta/psa-config-list/get', {}],
    ];
    for (const [a, b, p, params] of reads) {
      expect(await b.ok(p, params), p).toEqual(await a.ok(p, params));
    }
    const profileB = await rootB.ok('/api/v1/admin/get-user-profile', { TargetUser: USER.username });
    expect(profileB.Destinations['vault-s3'].EncryptionKey).toBe(VAULT_ENCRYPTION_KEY);
    expect((await rootB.ok('/api/v1/admin/meta/webhook-options/get-secret', { WebhookID: 'audit' })).Secret.length).toBeGreaterThan(0);
    const config = await rootB.ok('/api/v1/admin/meta/server-config/get');
    expect(config.SelfBackup.Targets.map((t: any) => t.Location.DestinationType)).toEqual([1002, 1000]);
    // The run that wrote the archive was in progress in its own snapshot: the restore records it as the success it was.
    const ownRun = (await runsOf(rootB)).find((r) => r.ID === state.s3Run.ID);
    expect(ownRun).toMatchObject({ Status: 'success', Error: '', FileName: state.s3Run.FileName, Size: fs.statSync(state.archive).size });
    expect((await rootB.ok('/api/v1/admin/meta/version')).SelfBackup[1]).toMatchObject({ LastRunSuccess: true, LastRunSize: fs.statSync(state.archive).size, CurrentRunStart: 0 });

    // The console of the restored server, signed in with the same administrator.
    const pageB = await newPage(browser);
    pageB.setDefaultTimeout(90_000);
    pageB.setDefaultNavigationTimeout(90_000);
    await signIn(pageB, halleyB.url, ADMIN.username, ADMIN.password);
    await pageB.goto(`${halleyB.url}/settings/self-backup`);
    await pageB.getByRole('row').filter({ hasText: folder }).waitFor();
    await pageB.getByRole('row').filter({ hasText: state.s3Run.FileName }).getByText('Succeeded').waitFor();
    await shot(pageB, 'self-backup-journey-5-restored-server');
    expect(pageErrors(pageB)).toEqual([]);
    await pageB.context().close();
  }, 360_000);

  it('on the restored server every secret still decrypts with the restored key', async () => {
    expect(halleyB).toBeDefined();
    const b = halleyB!;
    // The SMTP password: a test message through the stored settings signs in to the mail server.
    const rootB = new CometClient(b.url, ADMIN);
    const options = await rootB.ok('/api/v1/admin/meta/email-options/get');
    expect(options.SMTPPassword ?? '').toBe('');
    const mark = sink.messages.length;
    await rootB.ok('/api/v1/admin/meta/send-test-email', { EmailOptions: options, Recipient: 'restored@example.test' });
    await sink.waitFor((m) => sink.messages.indexOf(m) >= mark && m.envelopeTo.includes('restored@example.test'));

    // An admin's TOTP: the password alone is not enough, a code from the same secret is.
    expect((await new CometClient(b.url, OPS).fails('/api/v1/admin/meta/version')).Message).toBe('ERR_TOTP_REQUIRED');
    const props = await new CometClient(b.url, { ...OPS, totp: await totpCode(state.opsTotp) }).ok('/api/v1/admin/account/properties');
    expect(props.Security.AllowPasswordAndTOTPLogin).toBe(true);

    // A user's TOTP, and the storage vault's keys as a device receives them (unsealed with the restored key).
    expect((await new CometClient(b.url, USER).fails('/api/v1/user/web/get-user-profile-and-hash')).Message).toBe('ERR_TOTP_REQUIRED');
    await new CometClient(b.url, { ...USER, totp: await totpCode(userTotp) }).ok('/api/v1/user/web/get-user-profile-and-hash');
    const device = startAgent(b.url, { ...USER, totp: await totpCode(userTotp) });
    agents.push(device);
    const vault = await waitFor('the device to receive its profile', () => device.profile.Destinations?.['vault-s3'], 60_000, 100);
    expect(vault).toMatchObject({ S3AccessKey: 'AKIAEXAMPLE', S3SecretKey: VAULT_SECRET, EncryptionKey: VAULT_ENCRYPTION_KEY });
    device.stop();

    // The PSA keys: a push signed with the PartnerKey, the secret header sent as stored.
    const before = psa.requests.length;
    await new CometClient(b.url, TENANT_ADMIN).ok('/api/v1/admin/meta/psa-config-list/sync-now');
    const pushed = await waitFor('the PSA push from the restored server', () => psa.requests.slice(before).find((r) => r.method === 'POST' && r.path === '/usage' && r.json?.Trigger === 'sync-now'), 60_000, 100);
    expect(pushed.headers['x-api-key']).toBe(PSA_HEADER);
    const ts = String(pushed.headers['x-halley-timestamp']);
    expect(pushed.headers['x-halley-signature']).toBe(`sha256=${createHmac('sha256', PSA_KEY).update(`${ts}.${pushed.body}`).digest('hex')}`);
    expect(pushed.json).toMatchObject({ Source: 'Halley', Trigger: 'sync-now', OrganizationID: state.tenantId });

    // The self-backup targets' own secrets: a Run now on the restored server writes to the bucket again.
    const started = await rootB.ok('/api/v1/admin/self-backup/start', { TargetIndex: 1 });
    const r = await waitFor('a run on the restored server', async () => (await runsOf(rootB)).find((x) => x.ID === started.RunIDs[0] && (x.Status === 'success' || x.Status === 'failed')), 120_000, 250);
    expect([r.Status, r.Error]).toEqual(['success', '']);
  }, 240_000);
});
