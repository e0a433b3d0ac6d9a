// Settings → Self-backup in a real browser (issue 17): the target editor's location kinds. A top-level admin
// sees the S3 fields' error in the UI language, adds an S3-compatible target (s3rver on 127.0.0.1) and runs
// it with "Run now" (the history shows it succeeded, the archive is in the bucket), then adds a Storage Role
// target (a bucket of this server); the secrets are stored (server-config/get blanks them) and never shown.
// Settings → Server: restart / shutdown behind a confirmation, with the note that only this node is reached.
import type { AddressInfo } from 'node:net';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import type { CometClient } from '../helpers/comet-client';
import { makeTenant, ROOT, rootClient } from '../helpers/fixtures';
import { tempDir } from '../helpers/live';
import { allowPrivateTargets } from '../helpers/private-targets';
import { halleyUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

const BUCKET = 'console-self-backups';
let root: CometClient;
let browser: Browser;
let page: Page;
let s3: S3rver;
let s3Endpoint = '';
let restorePrivate: () => Promise<void>;
let configBefore: any;

beforeAll(async () => {
  root = await rootClient();
  configBefore = await root.ok('/api/v1/admin/meta/server-config/get');
  restorePrivate = await allowPrivateTargets(true);
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: tempDir('s3rver-sb-ui'), configureBuckets: [{ name: BUCKET, configs: [] }] });
  s3Endpoint = `127.0.0.1:${((await s3.run()) as AddressInfo).port}`;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (configBefore) await root.ok('/api/v1/admin/meta/server-config/set', { Config: configBefore }).catch(() => undefined);
  await restorePrivate?.();
  await s3?.close();
});

describe('Settings → Self-backup target editor (browser)', () => {
  it('adds an S3 target, runs it, and adds a Storage Role target', { timeout: 240_000 }, async () => {
    page = await newPage(browser);
    await signIn(page, halleyUrl(), ROOT.username, ROOT.password);
    await page.goto(`${halleyUrl()}/settings/self-backup`);
    await page.waitForLoadState('networkidle');

    await page.getByRole('button', { name: 'Add target' }).click();
    const form = page.getByRole('form', { name: 'Add target' });
    await form.locator('[name="kind"]').selectOption('s3');
    await form.locator('[name="password"]').fill('console s3 pass phrase');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText(/Enter the S3 endpoint, a valid bucket name/).waitFor();
    await shot(page, 'self-backup-1-s3-error');

    await form.locator('[name="s3Server"]').fill(s3Endpoint);
    await form.locator('[name="s3Bucket"]').fill(BUCKET);
    await form.locator('[name="s3Subdir"]').fill('console');
    await form.locator('[name="s3AccessKey"]').fill('S3RVER');
    await form.locator('[name="s3SecretKey"]').fill('S3RVER');
    await form.locator('[name="keep"]').fill('2');
    await form.locator('[name="excludeJobs"]').check();
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    const s3Row = page.getByRole('row').filter({ hasText: `s3://${s3Endpoint}/${BUCKET}/console` });
    await s3Row.waitFor();

    const stored = (await root.ok('/api/v1/admin/meta/server-config/get')).SelfBackup.Targets;
    const s3Target = stored.find((x: any) => x.Location.DestinationType === 1000);
    expect(s3Target.Location).toMatchObject({ S3Server: s3Endpoint, S3BucketName: BUCKET, S3Subdir: 'console', S3AccessKey: 'S3RVER', S3SecretKey: '' });
    expect(s3Target.ExcludeJobsDB).toBe(true);

    // Runs of this target index that earlier test files left behind are not this run.
    const earlier = new Set(((await root.ok('/api/v1/admin/self-backup/runs', { Limit: 100, TargetIndex: s3Target.Index })).Runs as any[]).map((r) => r.ID));
    await s3Row.getByRole('button', { name: 'Run now' }).click();
    const done = await waitFor('the S3 run to end', async () => {
      const runs = (await root.ok('/api/v1/admin/self-backup/runs', { Limit: 5, TargetIndex: s3Target.Index })).Runs as any[];
      return runs.find((r) => !earlier.has(r.ID) && (r.Status === 'success' || r.Status === 'failed'));
    }, 120_000, 500);
    expect([done.Status, done.Error]).toEqual(['success', '']);
    const direct = new S3Client({ endpoint: `http://${s3Endpoint}`, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const listed = await direct.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'console/' }));
    direct.destroy();
    expect((listed.Contents ?? []).map((o) => o.Key)).toEqual([`console/${done.FileName}`]);
    await page.reload();
    await page.getByRole('row').filter({ hasText: done.FileName }).getByText('Succeeded').waitFor();
    await shot(page, 'self-backup-2-s3-run');

    // A Storage Role bucket of this server.
    const made = await root.ok('/api/v1/admin/storage/register-bucket');
    await page.waitForLoadState('networkidle');
    await page.getByRole('button', { name: 'Add target' }).click();
    const form2 = page.getByRole('form', { name: 'Add target' });
    await form2.locator('[name="kind"]').selectOption('role');
    await form2.locator('[name="roleServer"]').fill(halleyUrl('/'));
    await form2.locator('[name="roleBucket"]').fill(made.NewBucketID);
    await form2.locator('[name="roleBucketKey"]').fill(made.NewBucketKey);
    await form2.locator('[name="password"]').fill('console role pass phrase');
    await shot(page, 'self-backup-3-role-form');
    await form2.getByRole('button', { name: 'Save' }).click();
    await form2.waitFor({ state: 'detached' });
    await page.getByRole('row').filter({ hasText: made.NewBucketID }).waitFor();
    const role = (await root.ok('/api/v1/admin/meta/server-config/get')).SelfBackup.Targets.find((x: any) => x.Location.DestinationType === 1003);
    expect(role.Location).toMatchObject({ CometBucket: made.NewBucketID, CometBucketKey: '' });
    // The secrets are nowhere on the page.
    const html = await page.content();
    expect(html).not.toContain(made.NewBucketKey);
    expect(html).not.toContain('console s3 pass phrase');
    await shot(page, 'self-backup-4-targets');
    expect(pageErrors(page)).toEqual([]);
  });

  it('Settings → Server: restart and shutdown behind a confirmation, the one-node note, and the endpoint\'s reason without a supervisor', { timeout: 120_000 }, async () => {
    page ??= await newPage(browser);
    if (!page.url().startsWith(halleyUrl())) await signIn(page, halleyUrl(), ROOT.username, ROOT.password);
    await page.goto(`${halleyUrl()}/settings/server`);
    await page.waitForLoadState('networkidle');
    await page.getByText('The request reaches only the node that takes it').waitFor();
    expect(await page.getByTestId('server-version').textContent()).toMatch(/^Halley /);

    // Cancel closes the confirmation without asking anything.
    await page.getByRole('button', { name: 'Restart' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restart this node?' });
    await dialog.waitFor();
    await shot(page, 'server-1-restart-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The suite's server is not under npm start's supervisor: the endpoint's reason shows in the dialog.
    await page.getByRole('button', { name: 'Shut down' }).click();
    const shutdown = page.getByRole('dialog', { name: 'Shut down this node?' });
    await shutdown.getByRole('button', { name: 'Shut down' }).click();
    await shutdown.getByText(/not running under the supervisor of `npm start` on this node/).waitFor();
    await shot(page, 'server-2-no-supervisor');
    expect((await fetch(halleyUrl('/healthz'))).status).toBe(200);
    expect(pageErrors(page)).toEqual([]);

    // A tenant admin has no Server tab and the page is not found.
    const t = await makeTenant('srv-ui');
    const other = await newPage(browser);
    await signIn(other, halleyUrl(), t.adminName, t.admin.creds!.password!);
    const res = await other.goto(`${halleyUrl()}/settings/server`);
    expect(res?.status()).toBe(404);
    await other.context().close();
  });
});
