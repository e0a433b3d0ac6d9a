// Issue 14's "Done when", twice: once in a real browser (the console only) and once through the API with
// Comet's form encoding (the curl walkthrough). A new MSP admin creates an S3 template (s3rver) and a
// Halley Storage Role template, adds a user, requests a vault of each kind for it, adds a files-and-folders
// item and an hourly schedule, starts the reference agent as its own process (`npm run agent`), runs
// backups that land in both buckets (the objects are checked in s3rver and through the Storage Role's
// bucket-properties), tests the connection to a vault from the chosen device, and bulk-replaces the Storage
// Role address (find, replace, undo), each result visible. The tenant admin and its AllowEditRemoteStorage
// permission are set up through the API (the top-level admin's part); everything after that is the journey.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import S3rver from 's3rver';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobStatus } from '../../lib/comet/constants';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import type { CometClient } from '../helpers/comet-client';
import { makeTenant, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { servicesDir } from '../helpers/isolated-services';
import { finishedJob, makeSourceTree, tempDir } from '../helpers/live';
import { allowPrivateTargets } from '../helpers/private-targets';
import { halleyUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

let root: CometClient;
let restorePrivate: () => Promise<void>;
let s3: S3rver;
let s3Port: number;
const s3Url = () => `http://127.0.0.1:${s3Port}`;
const agents: AgentProcess[] = [];

type AgentProcess = { child: ChildProcess; output: () => string; stop: () => Promise<void> };

/** The reference agent as its own process, the way an operator runs it: `npm run agent -- --url … --username …`. */
function spawnAgent(username: string, password: string, name: string): AgentProcess {
  const child = spawn(path.resolve('node_modules/.bin/tsx'), ['agent/index.ts', '--url', halleyUrl(), '--username', username, '--state-dir', tempDir('journey-agent'), '--name', name], {
    env: { ...process.env, HALLEY_AGENT_PASSWORD: password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  const agent: AgentProcess = {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
  agents.push(agent);
  return agent;
}

/** The objects of an s3rver bucket (key -> size). */
async function s3Objects(bucket: string): Promise<Map<string, number>> {
  const c = new S3Client({ endpoint: s3Url(), region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  try {
    const listed = await c.send(new ListObjectsV2Command({ Bucket: bucket }));
    return new Map((listed.Contents ?? []).map((o) => [o.Key!, o.Size ?? 0]));
  } finally {
    c.destroy();
  }
}

/** The files of a Storage Role bucket on this server's disk (object key -> size): HALLEY_STORAGE_DIR/<bucket>/o/<key>. */
function roleBucketFiles(bucket: string): Map<string, number> {
  const dir = path.join(servicesDir, `storage-${new URL(halleyUrl()).port}`, bucket, 'o');
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(dir, f)).isFile());
  return new Map(files.map((f) => [f.split(path.sep).join('/'), fs.statSync(path.join(dir, f)).size]));
}

/** A Storage Role bucket's size, measured after `since` (bucket-properties with AfterTimestamp). */
async function bucketSize(admin: CometClient, bucket: string, since: number): Promise<number> {
  return (await admin.ok('/api/v1/admin/storage/bucket-properties', { BucketID: bucket, AfterTimestamp: since })).Size.Size;
}

beforeAll(async () => {
  root = await rootClient();
  restorePrivate = await allowPrivateTargets(true);
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: tempDir('s3rver-journey') });
  s3Port = ((await s3.run()) as AddressInfo).port;
}, 60_000);

afterAll(async () => {
  for (const a of agents) await a.stop();
  await restorePrivate?.();
  await s3?.close();
});

async function newMsp(label: string): Promise<TenantFixture> {
  const t = await makeTenant(label);
  await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: t.adminName, Permissions: { AllowEditRemoteStorage: true } });
  return t;
}

describe('the Done-when journey in the console', () => {
  let browser: Browser;
  let page: Page;
  let t: TenantFixture;
  afterAll(async () => browser?.close());

  it('templates, a user with a vault of each kind, item + hourly schedule, agent backups in both buckets, test connection, bulk replace', async () => {
    t = await newMsp('journey-ui');
    browser = await launchBrowser();
    page = await newPage(browser);
    page.on('dialog', (d) => void d.accept());
    await signIn(page, halleyUrl(), t.adminName, t.admin.creds!.password!);
    const dialog = page.getByRole('dialog');

    // 1. Settings → Storage templates: an S3-compatible template on s3rver (tested first) and Halley's Storage Role.
    await page.goto(`${halleyUrl()}/settings/storage`);
    await page.getByText('No storage templates yet.').waitFor();
    await page.waitForLoadState('networkidle');
    await page.getByTestId('storage-add-type').selectOption('s3');
    await page.getByTestId('storage-add').click();
    await dialog.locator('[name="Description"]').fill('Journey S3');
    await dialog.locator('[name="S3Endpoint"]').fill(s3Url());
    await dialog.locator('[name="Region"]').fill('us-east-1');
    await dialog.locator('[name="AccessKey"]').fill('S3RVER');
    await dialog.locator('[name="SecretKey"]').fill('S3RVER');
    await dialog.locator('[name="Prefix"]').fill('journey');
    await dialog.getByTestId('storage-test').click();
    await dialog.getByTestId('storage-test-result').waitFor();
    expect(await dialog.getByTestId('storage-test-result').textContent()).toMatch(/^The template works/);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('storage-template-Journey S3').waitFor();

    await page.getByTestId('storage-add-type').selectOption('comet');
    await page.getByTestId('storage-add').click();
    await dialog.locator('[name="Description"]').fill('Journey Halley');
    await dialog.locator('[name="StorageLimitEnabled"]').check();
    await dialog.locator('[name="StorageLimitGiB"]').fill('1.5');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('storage-template-Journey Halley').waitFor();
    await shot(page, 'journey-01-templates');

    // 2. Users → Add user, then Request storage vault twice (one per template).
    const username = uniq('journey-user');
    const password = 'Journey-Horse-42';
    await page.goto(`${halleyUrl()}/users`);
    await page.waitForLoadState('networkidle');
    await page.getByRole('button', { name: 'Add user' }).click();
    await dialog.locator('[name="username"]').fill(username);
    await dialog.locator('[name="password"]').fill(password);
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await page.waitForURL((u) => u.pathname === `/users/${username}`);
    await page.waitForLoadState('networkidle');
    for (const name of ['Journey S3', 'Journey Halley']) {
      await page.getByTestId('request-storage-vault').click();
      await dialog.getByTestId('request-storage-provider').selectOption({ label: name });
      await dialog.getByRole('button', { name: 'Request vault' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByTestId('request-storage-done').getByText(name).waitFor();
    }
    const userUrl = (tab: string) => `${halleyUrl()}/users/${encodeURIComponent(username)}?tab=${tab}`;
    await page.goto(userUrl('vaults'));
    await page.getByRole('cell', { name: 'Journey S3' }).waitFor();
    await page.getByRole('cell', { name: 'Journey Halley' }).waitFor();
    await shot(page, 'journey-02-user-vaults');
    // The template's 1.5 GiB limit (not a whole number: no step may refuse it) neither blocks the form nor changes on a save.
    await page.getByRole('row', { name: /Journey Halley/ }).getByRole('button', { name: 'Edit' }).click();
    const vaultEditor = page.getByTestId('vault-editor');
    expect(await vaultEditor.getByLabel('Limit (GiB)').inputValue()).toBe('1.5');
    await shot(page, 'journey-02b-vault-limit');
    await vaultEditor.getByRole('button', { name: 'Save' }).click();
    await vaultEditor.waitFor({ state: 'detached' });

    // 3. A files-and-folders item and an hourly schedule to the S3 vault.
    const sourceDir = tempDir('journey-ui-source');
    const tree = makeSourceTree(sourceDir);
    await page.goto(userUrl('items'));
    await page.waitForLoadState('networkidle');
    await page.getByTestId('add-Sources').click();
    const item = page.getByTestId('item-editor');
    await item.getByLabel('Name', { exact: true }).fill('Documents');
    await item.getByLabel('Folders and files to back up', { exact: true }).fill(sourceDir);
    await item.getByRole('button', { name: 'Save' }).click();
    await item.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'Documents' }).waitFor();

    await page.goto(userUrl('schedules'));
    await page.waitForLoadState('networkidle');
    await page.getByTestId('add-BackupRules').click();
    const rule = page.getByTestId('rule-editor');
    await rule.getByLabel('Name', { exact: true }).fill('Hourly to S3');
    await rule.locator('select[name="Source"]').selectOption({ label: 'Documents' });
    await rule.locator('select[name="Destination"]').selectOption({ label: 'Journey S3' });
    await rule.locator('select[name="Schedules.0.FrequencyType"]').selectOption('8012');
    await rule.getByLabel('Minutes past the hour', { exact: true }).fill('20');
    await expect.poll(() => rule.getByTestId('next-runs-0').locator('li').count()).toBe(5);
    expect(await rule.getByTestId('next-runs-0').locator('li').first().textContent()).toMatch(/:20/);
    await shot(page, 'journey-03-hourly-schedule');
    await rule.getByRole('button', { name: 'Save' }).click();
    await rule.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'Hourly to S3' }).waitFor();

    // The profile the console wrote (read back through the API, the test's eyes only).
    const { Profile } = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: username });
    const vaults = Object.entries<any>(Profile.Destinations);
    const [s3Vault, s3Loc] = vaults.find(([, v]) => v.Description === 'Journey S3')!;
    const [roleVault, roleLoc] = vaults.find(([, v]) => v.Description === 'Journey Halley')!;
    expect(s3Loc).toMatchObject({ DestinationType: 1000, S3Server: `127.0.0.1:${s3Port}`, S3UsesTLS: false });
    expect(s3Loc.S3BucketName).toMatch(/^journey-/);
    expect(roleLoc).toMatchObject({ DestinationType: 1003, CometServer: halleyUrl(), StorageLimitEnabled: true, StorageLimitBytes: 1.5 * 1024 ** 3 });
    const savedRule = Object.values<any>(Profile.BackupRules)[0];
    expect(savedRule).toMatchObject({ Description: 'Hourly to S3', Destination: s3Vault });
    expect(savedRule.Schedules).toEqual([expect.objectContaining({ FrequencyType: 8012, SecondsPast: 1200 })]);

    // 4. The reference agent, its own process, signed in as the user; the Devices page shows it online.
    spawnAgent(username, password, 'journey-laptop');
    await page.goto(`${halleyUrl()}/devices`);
    const deviceRow = page.locator('tr', { hasText: 'journey-laptop' });
    await waitFor(
      'the agent to show up online on the Devices page',
      async () => {
        await page.reload();
        await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
        return (await deviceRow.getByText('Online').count()) === 1;
      },
      60_000,
      1000,
    );
    await page.waitForLoadState('networkidle');
    await shot(page, 'journey-04-device-online');

    // 5. Backups from the device's actions dialog: the hourly rule (S3 vault), and the item to the Storage Role vault.
    const since = Math.floor(Date.now() / 1000);
    await deviceRow.getByRole('button', { name: 'Actions' }).click();
    await dialog.getByText('Actions for journey-laptop').waitFor();
    await dialog.locator('select[name="command"]').selectOption('run-backup');
    await expect.poll(() => dialog.locator('select[name="rule"] option').allTextContents()).toEqual(['Hourly to S3']);
    await dialog.getByRole('button', { name: 'Send' }).click();
    const answer = dialog.getByRole('status').filter({ hasText: 'job' });
    await answer.waitFor();
    const s3Job = /job ([0-9a-f-]{36})/.exec((await answer.textContent()) ?? '')![1];
    await shot(page, 'journey-05-backup-sent');
    const first = await finishedJob(t.admin, s3Job);
    expect(first, JSON.stringify(first)).toMatchObject({ Status: JobStatus.JOB_STATUS_STOP_SUCCESS, SourceGUID: savedRule.Source, DestinationGUID: s3Vault, TotalFiles: tree.files, TotalSize: tree.bytes });

    await dialog.locator('select[name="command"]').selectOption('run-backup-custom');
    await dialog.locator('select[name="item"]').selectOption({ label: 'Documents' });
    await dialog.locator('select[name="vault"]').selectOption({ label: 'Journey Halley' });
    await dialog.getByRole('button', { name: 'Send' }).click();
    await waitFor('the second job id', async () => {
      const text = (await answer.textContent().catch(() => '')) ?? '';
      const id = /job ([0-9a-f-]{36})/.exec(text)?.[1];
      return id && id !== s3Job ? id : undefined;
    });
    const roleJob = /job ([0-9a-f-]{36})/.exec((await answer.textContent()) ?? '')![1];
    const second = await finishedJob(t.admin, roleJob);
    expect(second, JSON.stringify(second)).toMatchObject({ Status: JobStatus.JOB_STATUS_STOP_SUCCESS, DestinationGUID: roleVault, TotalFiles: tree.files, TotalSize: tree.bytes });

    // Both landed: the vault's objects in its s3rver bucket, and in the Storage Role bucket (measured at the job's size, and as files on disk).
    const objects = await s3Objects(s3Loc.S3BucketName);
    expect([...objects.keys()]).toContain('halley-vault.json');
    expect([...objects.keys()].filter((k) => k.startsWith('snapshots/'))).toEqual([`snapshots/${first.SnapshotID}`]);
    expect([...objects.keys()].some((k) => k.startsWith('chunks/'))).toBe(true);
    expect([...objects.values()].reduce((n, s) => n + s, 0)).toBe(first.DestinationSizeEnd.Size);
    expect(await bucketSize(t.admin, roleLoc.CometBucket, since)).toBe(second.DestinationSizeEnd.Size);
    expect(second.DestinationSizeEnd.Size).toBeGreaterThanOrEqual(second.UploadSize);
    const roleFiles = roleBucketFiles(roleLoc.CometBucket);
    expect([...roleFiles.keys()]).toContain('halley-vault.json');
    expect([...roleFiles.keys()].filter((k) => k.startsWith('snapshots/'))).toEqual([`snapshots/${second.SnapshotID}`]);
    expect([...roleFiles.values()].reduce((n, s) => n + s, 0)).toBe(second.DestinationSizeEnd.Size);

    // Each job's page in the console names its vault and shows it succeeded.
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    for (const [job, vault] of [[s3Job, 'Journey S3'], [roleJob, 'Journey Halley']] as const) {
      await page.goto(`${halleyUrl()}/jobs/${job}`);
      await page.getByRole('cell', { name: vault, exact: true }).or(page.getByText(vault, { exact: true })).first().waitFor();
      expect(await page.getByText('Success', { exact: true }).count()).toBeGreaterThan(0);
    }
    await shot(page, 'journey-06-storage-role-job');

    // 6. Test connection: "What to test" = the S3 vault, from this device.
    await page.goto(`${halleyUrl()}/devices`);
    await deviceRow.waitFor();
    await page.waitForLoadState('networkidle');
    await deviceRow.getByRole('button', { name: 'Actions' }).click();
    await dialog.locator('select[name="command"]').selectOption('ping-destination');
    await expect.poll(() => dialog.getByLabel('What to test').locator('option').allTextContents()).toEqual(expect.arrayContaining(['Journey S3', 'Journey Halley', 'A folder on the device']));
    await dialog.getByLabel('What to test').selectOption({ label: 'Journey S3' });
    await dialog.getByRole('button', { name: 'Send' }).click();
    const pinged = dialog.getByRole('status');
    await pinged.waitFor();
    expect(await pinged.textContent()).toMatch(/reachable and writable/);
    await shot(page, 'journey-07-test-connection');
    await dialog.getByRole('button', { name: 'Close' }).first().click();

    // 7. Users → Advanced → Bulk replace addresses: find the Storage Role address, replace it, undo.
    const port = new URL(halleyUrl()).port;
    const renamed = `http://localhost:${port}/`;
    await page.goto(`${halleyUrl()}/users`);
    await page.waitForLoadState('networkidle');
    await page.getByRole('button', { name: 'Advanced' }).click();
    await page.getByRole('menuitem', { name: 'Bulk replace addresses' }).click();
    await page.getByRole('heading', { name: 'Bulk replace addresses' }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.getByLabel('Current address', { exact: true }).fill(`${halleyUrl()}/`);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    const matches = page.getByTestId('bulk-matches');
    await matches.getByText('1 vault uses this address').waitFor();
    expect(await matches.locator('tbody tr').textContent()).toContain('Journey Halley');
    await shot(page, 'journey-08-bulk-find');

    await page.getByLabel('New address', { exact: true }).fill(renamed);
    await page.getByRole('button', { name: 'Replace on 1 vault' }).click();
    await page.getByText('1 vault now uses the new address.').waitFor();
    const operation = page.locator('[data-operation]').first();
    await operation.getByText('Done', { exact: true }).waitFor();
    const address = async () => (await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: username })).Destinations[roleVault].CometServer;
    expect(await address()).toBe(renamed);
    await shot(page, 'journey-09-bulk-replaced');

    await operation.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('1 restored, 0 left alone').waitFor();
    await operation.getByText('Undone', { exact: true }).waitFor();
    expect(await address()).toBe(halleyUrl());
    await shot(page, 'journey-10-bulk-undone');
    expect(pageErrors(page)).toEqual([]);
  }, 360_000);
});

// The same journey as the README's "Storage in five minutes with curl": every call below is one `curl -d …` line
// (form encoding, JSON in a form field where Comet has one), in that order; there by the first administrator of a
// fresh server, here by a tenant admin.
describe('the Done-when journey through the API (form encoding, as curl sends it)', () => {
  it('templates, vaults, item + hourly rule, agent backups in both buckets, ping, bulk replace find/replace/undo', async () => {
    const t = await newMsp('journey-api');
    const api = t.admin;

    // Templates: test the S3 one, then store both.
    const s3Template = { ID: 's3', Type: 's3', Description: 'S3 (s3rver)', S3: { S3Endpoint: s3Url(), Region: 'us-east-1', AccessKey: 'S3RVER', SecretKey: 'S3RVER', Prefix: 'curl' } };
    const roleTemplate = { ID: 'halley', Type: 'comet', Description: 'Halley Storage Role', StorageLimitEnabled: true, StorageLimitBytes: 1_000_000_000 };
    expect(await api.ok('/api/v1/admin/meta/remote-storage-vault/test', { TemplateOptions: s3Template })).toMatchObject({ Status: 200 });
    await api.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: [s3Template, roleTemplate] });
    const stored = await api.ok('/api/v1/admin/meta/remote-storage-vault/get');
    expect(stored.map((x: any) => x.ID)).toEqual(['s3', 'halley']);
    expect(stored[0].S3.SecretKey).toBe(''); // write-only
    // Bad input: a template without its endpoint is refused, nothing stored.
    expect((await api.fails('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: [{ Type: 's3', Description: 'no endpoint', S3: { AccessKey: 'a' } }] })).Message).toMatch(/S3Endpoint/);

    // A user, and a vault of each kind.
    const username = uniq('curl-user');
    const password = 'Curl-Horse-42';
    await api.ok('/api/v1/admin/add-user', { TargetUser: username, TargetPassword: password });
    const providers = await api.ok('/api/v1/admin/request-storage-vault-providers');
    expect(providers).toEqual({ s3: 'S3 (s3rver)', halley: 'Halley Storage Role' });
    const s3Made = await api.ok('/api/v1/admin/request-storage-vault', { TargetUser: username, StorageProvider: 's3' });
    const roleMade = await api.ok('/api/v1/admin/request-storage-vault', { TargetUser: username, StorageProvider: 'halley' });
    expect((await api.fails('/api/v1/admin/request-storage-vault', { TargetUser: username, StorageProvider: 'no-such-template' })).Status).toBeGreaterThanOrEqual(400);

    // A files-and-folders item and an hourly rule (20 past each hour) to the S3 vault, written with the hash check.
    const sourceDir = tempDir('journey-api-source');
    const tree = makeSourceTree(sourceDir);
    const { Profile, ProfileHash } = await api.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: username });
    Profile.Sources = { documents: { Engine: 'engine1/file', Description: 'Documents', EngineProps: { INCLUDE0: sourceDir } } };
    Profile.BackupRules = { hourly: { Description: 'Hourly to S3', Source: 'documents', Destination: s3Made.DestinationID, Schedules: [{ FrequencyType: 8012, SecondsPast: 1200 }] } };
    await api.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: username, ProfileData: Profile, RequireHash: ProfileHash });
    const s3Loc = Profile.Destinations[s3Made.DestinationID];
    const roleLoc = Profile.Destinations[roleMade.DestinationID];
    expect(roleLoc).toMatchObject({ DestinationType: 1003, CometServer: halleyUrl(), StorageLimitEnabled: true, StorageLimitBytes: 1_000_000_000 });

    // The agent (`npm run agent -- --url … --username …`), then its live connection.
    const agent = spawnAgent(username, password, 'curl-laptop');
    const targetId = await waitFor(
      'the agent to connect',
      async () => Object.entries<any>(await api.ok('/api/v1/admin/dispatcher/list-active')).find(([, c]) => c.Username === username)?.[0],
      60_000,
      250,
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n${agent.output()}`);
    });

    const since = Math.floor(Date.now() / 1000);
    const first = await finishedJob(api, (await api.ok('/api/v1/admin/dispatcher/run-backup', { TargetID: targetId, BackupRule: 'hourly' })).JobID);
    expect(first, JSON.stringify(first)).toMatchObject({ Status: JobStatus.JOB_STATUS_STOP_SUCCESS, DestinationGUID: s3Made.DestinationID, TotalFiles: tree.files, TotalSize: tree.bytes });
    const second = await finishedJob(api, (await api.ok('/api/v1/admin/dispatcher/run-backup-custom', { TargetID: targetId, Source: 'documents', Destination: roleMade.DestinationID })).JobID);
    expect(second, JSON.stringify(second)).toMatchObject({ Status: JobStatus.JOB_STATUS_STOP_SUCCESS, DestinationGUID: roleMade.DestinationID, TotalFiles: tree.files, TotalSize: tree.bytes });
    const objects = await s3Objects(s3Loc.S3BucketName);
    expect([...objects.keys()].filter((k) => k.startsWith('snapshots/'))).toEqual([`snapshots/${first.SnapshotID}`]);
    expect([...objects.values()].reduce((n, s) => n + s, 0)).toBe(first.DestinationSizeEnd.Size);
    expect(await bucketSize(api, roleLoc.CometBucket, since)).toBe(second.DestinationSizeEnd.Size);

    // Test connection from this device, to each stored vault; an unknown vault is refused.
    for (const vault of [s3Made.DestinationID, roleMade.DestinationID]) {
      const pinged = await api.ok('/api/v1/admin/dispatcher/ping-destination', { TargetID: targetId, Destination: vault, ExtraData: {} });
      expect(pinged.Message).toMatch(/reachable and writable/);
    }
    expect((await api.fails('/api/v1/admin/dispatcher/ping-destination', { TargetID: targetId, Destination: 'no-such-vault', ExtraData: {} })).Status).toBe(404);

    // Bulk replace: find (no writes), replace, undo.
    const renamed = `http://localhost:${new URL(halleyUrl()).port}/`;
    const found = await api.ok('/api/v1/admin/bulk-replace-addresses/find', { Find: `${halleyUrl()}/` });
    expect(found).toEqual([{ Username: username, DestinationID: roleMade.DestinationID, Description: 'Halley Storage Role', Address: halleyUrl() }]);
    const replaced = await api.ok('/api/v1/admin/bulk-replace-addresses/replace', { Find: halleyUrl(), Replace: renamed });
    expect(replaced.Changed).toBe(1);
    const address = async () => (await api.ok('/api/v1/admin/get-user-profile', { TargetUser: username })).Destinations[roleMade.DestinationID].CometServer;
    expect(await address()).toBe(renamed);
    // The vault as now stored, tested from the device: the same Storage Role answers at the new address.
    await waitFor('the vault to answer at its new address', async () => /reachable and writable/.test((await api.ok('/api/v1/admin/dispatcher/ping-destination', { TargetID: targetId, Destination: roleMade.DestinationID, ExtraData: {} })).Message));
    expect(await api.ok('/api/v1/admin/bulk-replace-addresses/undo', { OperationID: replaced.OperationID })).toEqual({ Restored: 1, Skipped: 0 });
    expect(await address()).toBe(halleyUrl());
    expect((await api.fails('/api/v1/admin/bulk-replace-addresses/undo', { OperationID: replaced.OperationID })).Status).toBe(409);
  }, 240_000);
});
