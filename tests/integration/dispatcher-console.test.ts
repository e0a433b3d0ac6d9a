// The snapshot browser (issue 15) in a real browser, with the reference agent connected through the relay:
// the user's devices tab opens the device's snapshots, browses one folder by folder, restores two chosen files
// into a folder on the device, and deletes a snapshot after a confirmation.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AgentDevice } from '../../agent/device';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { makeTenant, makeUser, rootClient, type TenantFixture } from '../helpers/fixtures';
import { finishedJob, liveConnectionId, makeSourceTree, setUpBackupProfile, startAgent, tempDir, waitFor, type LiveAccount } from '../helpers/live';
import { halleyUrl } from '../helpers/server';

let browser: Browser;
let page: Page;
let t: TenantFixture;
let account: LiveAccount;
let agent: AgentDevice;
let conn: string;
const snapshots: string[] = [];

beforeAll(async () => {
  await rootClient();
  t = await makeTenant('console-snap');
  account = await setUpBackupProfile(t.admin, await makeUser(t.admin));
  makeSourceTree(account.sourceDir);
  agent = startAgent(halleyUrl(), account, { name: 'snapshot-laptop' });
  conn = await liveConnectionId(t.admin, agent.state.deviceId);
  for (let i = 0; i < 2; i++) {
    const r = await t.admin.ok('/api/v1/admin/dispatcher/run-backup', { TargetID: conn, BackupRule: account.rule });
    snapshots.push((await finishedJob(t.admin, r.JobID)).SnapshotID);
  }
  browser = await launchBrowser();
  page = await newPage(browser);
  await signIn(page, halleyUrl(), t.adminName, t.admin.creds!.password!);
}, 180_000);

afterAll(async () => {
  agent?.stop();
  await browser?.close();
});

it('browses a snapshot, restores two selected files, and deletes a snapshot after confirming', async () => {
  await page.goto(`${halleyUrl()}/users/${encodeURIComponent(account.username)}?tab=devices`);
  const row = page.locator(`tr#device-${agent.state.deviceId}`);
  await row.waitFor();
  await row.getByRole('button', { name: 'Snapshots' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Snapshots of snapshot-laptop').waitFor();
  const list = dialog.getByRole('table', { name: 'Snapshots' });
  await expect.poll(() => list.locator('tbody tr').count(), { timeout: 30_000 }).toBe(2);
  expect(await list.textContent()).toContain('Documents');
  await shot(page, 'snapshots-1-list');

  // Browse the older snapshot: top level, then into docs/ and docs/deep/.
  await list.locator(`tr[data-snapshot="${snapshots[0]}"]`).getByRole('button', { name: 'Browse' }).click();
  const objects = dialog.getByRole('table', { name: 'Files and folders' });
  await objects.getByRole('button', { name: 'docs/' }).waitFor();
  expect(await objects.textContent()).toContain('3 files');
  await objects.getByRole('checkbox', { name: 'Select readme.txt' }).check();
  await objects.getByRole('button', { name: 'docs/' }).click();
  await objects.getByRole('button', { name: 'deep/' }).waitFor();
  await objects.getByRole('checkbox', { name: 'Select report.bin' }).check();
  await shot(page, 'snapshots-2-browse');

  // Bad input first: a relative folder is refused next to the form.
  await dialog.locator('input[name="destPath"]').fill('restored-here');
  await dialog.getByRole('button', { name: 'Restore selected (2)' }).click();
  await dialog.getByRole('alert').filter({ hasText: 'absolute folder path' }).waitFor();

  const target = tempDir('console-restore');
  await dialog.locator('input[name="destPath"]').fill(target);
  await dialog.getByRole('button', { name: 'Restore selected (2)' }).click();
  const started = dialog.getByRole('status').filter({ hasText: 'Restore of 2 items started' });
  await started.waitFor();
  const jobId = /job ([0-9a-f-]{36})/.exec((await started.textContent()) ?? '')?.[1];
  const job = await finishedJob(t.admin, jobId!);
  expect(job).toMatchObject({ Status: 5000, Classification: 4002, TotalFiles: 2, SnapshotID: snapshots[0] });
  expect(fs.readFileSync(path.join(target, 'readme.txt'), 'utf8')).toBe('hello from halley\n'.repeat(100));
  expect(fs.statSync(path.join(target, 'docs', 'report.bin')).size).toBe(700 * 1024);
  expect(fs.existsSync(path.join(target, 'docs', 'deep'))).toBe(false);
  await shot(page, 'snapshots-3-restored');

  // Back to the list; delete the older snapshot (the confirmation is accepted).
  await dialog.getByRole('button', { name: 'All snapshots' }).click();
  page.once('dialog', (d) => void d.accept());
  await list.locator(`tr[data-snapshot="${snapshots[0]}"]`).getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('status').filter({ hasText: 'Snapshot deleted' }).waitFor();
  await expect.poll(() => list.locator('tbody tr').count()).toBe(1);
  const left = await t.admin.ok('/api/v1/admin/dispatcher/request-vault-snapshots', { TargetID: conn, Destination: account.vault });
  expect(left.Snapshots.map((s: { Snapshot: string }) => s.Snapshot)).toEqual([snapshots[1]]);
  await shot(page, 'snapshots-4-deleted');

  // A dismissed confirmation deletes nothing.
  page.once('dialog', (d) => void d.dismiss());
  await list.locator(`tr[data-snapshot="${snapshots[1]}"]`).getByRole('button', { name: 'Delete' }).click();
  await waitFor('the dismissed confirmation', async () => (await list.locator('tbody tr').count()) === 1);
  expect((await t.admin.ok('/api/v1/admin/dispatcher/request-vault-snapshots', { TargetID: conn, Destination: account.vault })).Snapshots).toHaveLength(1);
  expect(pageErrors(page)).toEqual([]);
});
