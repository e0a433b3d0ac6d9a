// The devices page in a real browser against the shared test server: a reference-agent device shows up
// online with its version, platform and address; the actions dialog runs a backup rule on it and shows
// the device's answer with the job id; the job then appears with its statistics in the job history.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AgentDevice } from '../../agent/device';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { makeTenant, makeUser, rootClient, type TenantFixture } from '../helpers/fixtures';
import { finishedJob, liveConnectionId, makeSourceTree, setUpBackupProfile, startAgent, type LiveAccount } from '../helpers/live';
import { halleyUrl } from '../helpers/server';

let browser: Browser;
let page: Page;
let t: TenantFixture;
let account: LiveAccount;
let agent: AgentDevice;

beforeAll(async () => {
  await rootClient();
  t = await makeTenant('console-dev');
  account = await setUpBackupProfile(t.admin, await makeUser(t.admin));
  makeSourceTree(account.sourceDir);
  agent = startAgent(halleyUrl(), account, { name: 'browser-laptop' });
  await liveConnectionId(t.admin, agent.state.deviceId);
  browser = await launchBrowser();
  page = await newPage(browser);
  await signIn(page, halleyUrl(), t.adminName, t.admin.creds!.password!);
}, 120_000);

afterAll(async () => {
  agent?.stop();
  await browser?.close();
});

it('lists the live device and runs a backup from the actions dialog', async () => {
  await page.goto(`${halleyUrl()}/devices`);
  await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
  const row = page.locator(`tr[data-device="${agent.state.deviceId}"]`);
  await row.waitFor();
  expect(await row.textContent()).toContain('browser-laptop');
  expect(await row.getByText('Online').count()).toBe(1);
  expect(await row.textContent()).toContain('127.0.0.1');
  await shot(page, 'devices-1-list');

  await row.getByRole('button', { name: 'Actions' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Actions for browser-laptop').waitFor();
  await dialog.locator('select[name="command"]').selectOption('run-backup');
  await expect.poll(() => dialog.locator('select[name="rule"]').locator('option').count()).toBe(1);
  await dialog.getByRole('button', { name: 'Send' }).click();
  const answer = dialog.getByRole('status').filter({ hasText: 'job' });
  await answer.waitFor();
  const jobId = /job ([0-9a-f-]{36})/.exec((await answer.textContent()) ?? '')?.[1];
  expect(jobId).toBeTruthy();
  await shot(page, 'devices-2-dialog');

  const job = await finishedJob(t.admin, jobId!);
  expect(job).toMatchObject({ Status: 5000, TotalFiles: 4, DeviceID: agent.state.deviceId });

  // Testing a storage location: the user's vault (the default choice), tested with its stored settings.
  await dialog.locator('select[name="command"]').selectOption('ping-destination');
  await expect.poll(() => dialog.getByLabel('What to test').locator('option').allTextContents()).toEqual(['Local vault', 'A folder on the device']);
  expect(await dialog.getByLabel('Folder on the device', { exact: true }).count()).toBe(0);
  await dialog.getByRole('button', { name: 'Send' }).click();
  await dialog.getByRole('status').filter({ hasNotText: 'job' }).waitFor();
  await shot(page, 'devices-3-ping-vault');
  // A command the device refuses shows the device's message in the dialog.
  await dialog.getByLabel('What to test').selectOption({ label: 'A folder on the device' });
  await dialog.getByLabel('Folder on the device', { exact: true }).fill('/nonexistent-halley-folder/vault');
  await dialog.getByRole('button', { name: 'Send' }).click();
  await dialog.getByRole('alert').waitFor();
  expect(await dialog.getByRole('alert').textContent()).toMatch(/nonexistent-halley-folder/);
  expect(pageErrors(page)).toEqual([]);
}, 120_000);

it('finds devices with the search box and the status filter (kept in the URL)', async () => {
  await page.goto(`${halleyUrl()}/devices`);
  const row = page.locator(`tr[data-device="${agent.state.deviceId}"]`);
  await row.waitFor();
  await page.waitForLoadState('networkidle'); // hydrated: the controls have their handlers
  await page.getByRole('combobox', { name: 'Show devices' }).selectOption('online');
  await page.waitForURL(/status=online/);
  await row.waitFor();
  await page.getByRole('combobox', { name: 'Show devices' }).selectOption('offline');
  await page.waitForURL(/status=offline/);
  await page.getByText('No device is offline.').waitFor();
  expect(await row.count()).toBe(0);
  await page.getByRole('combobox', { name: 'Show devices' }).selectOption('');
  await page.getByLabel('Search devices').fill('no-such-device-anywhere');
  await page.waitForURL(/q=no-such-device-anywhere/);
  await page.getByText('No device matches the search.').waitFor();
  await page.getByLabel('Search devices').fill('BROWSER-LAP');
  await page.waitForURL(/q=BROWSER-LAP/);
  await row.waitFor();
  expect(await page.getByText('1 matching device').count()).toBe(1);
  await shot(page, 'devices-3-search');
  // The filter survives a reload (it is in the URL).
  await page.reload();
  await row.waitFor();
  expect(await page.getByLabel('Search devices').inputValue()).toBe('BROWSER-LAP');
  expect(pageErrors(page)).toEqual([]);
}, 120_000);
