// Constellation's bucket report and restore-from-quarantine (Halley extensions admin/constellation/buckets and
// restore-bucket), then Settings → Constellation in a real browser: the top-level admin sees a quarantined bucket
// in the "Bucket users" report, restores it, runs a report and confirms a prune that lists what it would touch.
// Guards are shortened by moving remembered times back in PostgreSQL (as constellation.test.ts does); only this
// file's own buckets are moved, so the shared top-level Constellation's other buckets are never deleted.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CometClient } from '../helpers/comet-client';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { makeTenant, makeUser, ROOT, rootClient, type TenantFixture } from '../helpers/fixtures';
import { allowPrivateTargets } from '../helpers/private-targets';
import { sql } from '../helpers/security';
import { halleyUrl } from '../helpers/server';

const ENABLED = { RoleEnabled: true, DeleteUnusedData: true, Servers: [] };
const OFF = { RoleEnabled: false, DeleteUnusedData: false, Servers: [] };

let root: CometClient;
let tenant: TenantFixture;
let browser: Browser | undefined;

beforeAll(async () => {
  root = await rootClient();
  tenant = await makeTenant('constel-ui');
});

afterAll(async () => {
  await browser?.close();
  await root.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: OFF });
});

/** Runs top-level sweeps until `bucket` is quarantined, moving only its own clocks back. */
async function quarantine(bucket: string): Promise<void> {
  const prune = () => root.ok('/api/v1/admin/constellation/prune-now');
  for (let i = 0; i < 3; i++) await prune();
  await sql(`UPDATE "ConstellationBucket" SET "unusedSince" = "unusedSince" - 25 * 3600 WHERE "bucketId" = $1`, [bucket]);
  await sql(`UPDATE "StorageBucket" SET "createdAt" = "createdAt" - interval '25 hours' WHERE id = $1`, [bucket]);
  await prune();
}

const row = (answer: { Buckets: Array<{ BucketID: string }> }, id: string) => answer.Buckets.find((b) => b.BucketID === id) as Record<string, unknown> | undefined;

describe('admin/constellation/buckets and restore-bucket', () => {
  it('lists the last report per bucket with verdict, users and memory, and restores a quarantined bucket', async () => {
    await root.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: ENABLED });
    const parked = (await root.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    const used = (await root.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    const holder = await makeUser(root);
    const { Profile, ProfileHash } = await root.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: holder.username });
    Profile.Destinations = { v: { Description: 'Halley bucket', DestinationType: 1003, CometServer: halleyUrl(''), CometBucket: used, CometBucketKey: 'bucket-key-value' } };
    await root.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: holder.username, ProfileData: Profile, RequireHash: ProfileHash });

    await quarantine(parked);
    const listed = await root.ok('/api/v1/admin/constellation/buckets');
    expect(listed.Guards).toEqual({ UnusedReports: 3, UnusedHours: 24, GraceHours: 24, QuarantineHours: 72 });
    expect(listed.CheckCompleted).toBeGreaterThanOrEqual(listed.CheckStarted);
    expect(row(listed, parked)).toMatchObject({ State: 'quarantined', InUseBy: [], UnusedStreak: 4, QuarantinedAt: expect.any(Number), DeletedAt: 0, NextSweep: '' });
    expect(row(listed, parked)!.QuarantinedAt).toBeGreaterThan(0);
    expect(row(listed, used)).toMatchObject({ State: 'in-use', InUseBy: [holder.username], UnusedStreak: 0, QuarantinedAt: 0, NextSweep: '' });

    // Restoring forgets the streak: the guards start again, the bucket and its data stay.
    await root.ok('/api/v1/admin/constellation/restore-bucket', { BucketID: parked });
    const after = await root.ok('/api/v1/admin/constellation/buckets');
    expect(row(after, parked)).toMatchObject({ State: 'unused', Reason: expect.stringMatching(/Restored/), UnusedStreak: 0, QuarantinedAt: 0 });
    expect(Object.keys(await root.ok('/api/v1/admin/storage/list-buckets'))).toContain(parked);
    await root.ok('/api/v1/admin/constellation/prune-now');
    expect(row(await root.ok('/api/v1/admin/constellation/buckets'), parked)).toMatchObject({ State: 'unused', Reason: expect.stringMatching(/1 of the 3/) });

    // Bad input and other organizations: not quarantined is 400; unknown, deleted or foreign answer alike (404).
    expect((await root.fails('/api/v1/admin/constellation/restore-bucket', { BucketID: parked })).Status).toBe(400);
    const missing = await root.fails('/api/v1/admin/constellation/restore-bucket', { BucketID: 'no-such-bucket' });
    expect(missing.Status).toBe(404);
    await tenant.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { ...ENABLED, DeleteUnusedData: false } });
    const foreign = await tenant.admin.fails('/api/v1/admin/constellation/restore-bucket', { BucketID: parked });
    expect(foreign.Status).toBe(404);
    expect(foreign.Message.replace(parked, 'X')).toBe(missing.Message.replace('no-such-bucket', 'X'));
    expect((await tenant.admin.ok('/api/v1/admin/constellation/buckets')).Buckets).toEqual([]);
    const own = (await tenant.admin.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    await tenant.admin.ok('/api/v1/admin/constellation/new-report');
    const mine = await tenant.admin.ok('/api/v1/admin/constellation/buckets');
    expect(mine.Buckets.map((b: { BucketID: string }) => b.BucketID)).toEqual([own]);
    expect(row(mine, own)).toMatchObject({ State: 'unused', Reason: expect.stringMatching(/DeleteUnusedData is off/) });
    // Another admin without the Constellation permission is refused.
    await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: tenant.adminName, Permissions: { DenyConstellationRole: true } });
    expect((await tenant.admin.fails('/api/v1/admin/constellation/buckets')).Status).toBe(403);
    await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: tenant.adminName, Permissions: { DenyConstellationRole: false } });
  });
});

describe('Settings → Constellation', () => {
  it('shows the bucket report, restores a quarantined bucket, runs a report and confirms a prune', async () => {
    await root.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: ENABLED });
    const parked = (await root.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    await quarantine(parked);
    browser = await launchBrowser();
    const page = await newPage(browser);
    page.on('dialog', (d) => void d.accept());
    await signIn(page, halleyUrl(), ROOT.username, ROOT.password);
    await page.goto(`${halleyUrl()}/settings`);
    await page.getByRole('link', { name: 'Constellation' }).click();
    await page.waitForURL(/\/settings\/constellation$/);
    await page.getByLabel('State').selectOption('quarantined');
    const bucketRow = page.getByTestId(`bucket-${parked}`);
    await expect.poll(() => bucketRow.textContent()).toContain('Quarantined');
    await shot(page, 'constellation-1-quarantined');
    await bucketRow.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('status').filter({ hasText: 'is out of quarantine' }).waitFor();
    await page.getByLabel('State').selectOption('all');
    await page.getByLabel('Search bucket or user').fill(parked);
    await expect.poll(() => bucketRow.textContent()).toContain('Restored from quarantine');

    await page.getByRole('button', { name: 'Run report now' }).click();
    await page.getByRole('status').filter({ hasText: 'Report finished.' }).waitFor();
    await page.getByRole('button', { name: 'Prune now' }).click();
    const confirm = page.getByTestId('prune-confirm');
    await confirm.waitFor();
    await shot(page, 'constellation-2-prune-confirm');
    await confirm.getByRole('button', { name: 'Prune now' }).click();
    await page.getByRole('status').filter({ hasText: 'Sweep finished.' }).waitFor();
    expect(Object.keys(await root.ok('/api/v1/admin/storage/list-buckets'))).toContain(parked);

    // Targets: a bad URL is refused next to its field; a server that does not answer makes the report partial.
    await page.getByLabel('Server URL').fill('not a url');
    await page.getByRole('button', { name: 'Add server' }).click();
    await page.getByText('Enter an http:// or https:// URL').waitFor();
    const restorePrivate = await allowPrivateTargets(true);
    try {
      await page.locator('input[name=server-Description]').fill('Server that is down');
      await page.getByLabel('Server URL').fill('http://127.0.0.1:9');
      await page.locator('input[name=server-Username]').fill('someone');
      await page.locator('input[name=server-Password]').fill('Correct-Horse-42');
      await page.getByRole('button', { name: 'Add server' }).click();
      await page.getByRole('status').filter({ hasText: 'Server added.' }).waitFor();
      expect((await root.ok('/api/v1/admin/meta/constellation/config/get')).Servers).toEqual([{ Type: 'comet', Description: 'Server that is down', RemoteAddress: 'http://127.0.0.1:9', Username: 'someone', Password: '' }]);
      // Test connection: the saved server (with its stored password) does not answer, said in words; this server
      // itself, typed into the form with an admin's credentials, answers with its buckets.
      await page.getByRole('button', { name: 'Test connection: Server that is down' }).click();
      await page.getByText('Could not list the buckets of http://127.0.0.1:9 with these credentials').waitFor();
      await page.getByLabel('Server URL').fill(halleyUrl('').replace(/\/+$/, ''));
      await page.locator('input[name=server-Username]').fill(ROOT.username);
      await page.locator('input[name=server-Password]').fill(ROOT.password);
      await page.getByTestId('test-new-server').click();
      await page.getByRole('status').filter({ hasText: /answered: \d+ buckets? listed/ }).waitFor();
      await shot(page, 'constellation-4-test-connection');
      for (const name of ['server-RemoteAddress', 'server-Username', 'server-Password']) await page.locator(`input[name=${name}]`).fill('');
      await page.getByRole('button', { name: 'Run report now' }).click();
      await page.getByRole('status').filter({ hasText: 'Report finished.' }).waitFor();
      const targets = page.getByTestId('constellation-targets');
      await expect.poll(() => targets.textContent()).toContain('Did not answer');
      await page.getByText('Not every target answered in the last report').waitFor();
      await shot(page, 'constellation-3-partial-target');
      await page.getByRole('button', { name: 'Remove', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Server removed.' }).waitFor();
    } finally {
      await restorePrivate();
    }

    // Switching deletion off is saved through the API.
    await page.getByLabel('Delete unused buckets').uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    expect(await root.ok('/api/v1/admin/meta/constellation/config/get')).toEqual({ RoleEnabled: true, DeleteUnusedData: false, Servers: [] });
    expect(pageErrors(page)).toEqual([]);
  });
});
