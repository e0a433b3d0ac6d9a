// The Bulk upgrade page in a real browser: a top-level admin starts a filtered campaign (one user's Linux
// devices, canary 50 %) from the form with the query builder, watches uptake reach 100 %, filters the
// device table by status, and sees the campaign in the history; the devices page marks the devices left
// at the old version "Outdated". A tenant admin has no such page.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulatedDevices, type SimulatedDevice } from '../../agent/simulated';
import { CLIENT_VERSION } from '../../lib/client-builds/client-version';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import type { CometClient } from '../helpers/comet-client';
import { makeTenant, makeUser, ROOT, rootClient, type TenantFixture } from '../helpers/fixtures';
import { halleyUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

let browser: Browser;
let page: Page;
let root: CometClient;
let t: TenantFixture;
let user: { username: string; password: string };
let devices: SimulatedDevice[] = [];

beforeAll(async () => {
  root = await rootClient();
  t = await makeTenant('camp-console');
  user = await makeUser(root, { targetOrganization: t.id });
  devices = await startSimulatedDevices({ url: halleyUrl(), ...user, count: 6, prefix: `cc-${randomUUID().slice(0, 8)}`, clientVersion: '25.8.1', backoff: { baseMs: 100, maxMs: 1000 }, updateMs: 200 });
  await waitFor('devices connected', () => devices.every((d) => d.client.connected));
  browser = await launchBrowser();
  page = await newPage(browser);
  await signIn(page, halleyUrl(), ROOT.username, ROOT.password);
}, 120_000);

afterAll(async () => {
  await root?.ok('/api/v1/admin/update-campaign/start', { Options: { Active: false } }).catch(() => undefined);
  for (const d of devices) d.stop();
  await browser?.close();
});

it('starts a filtered canary campaign from the console and shows uptake reach 100 %', async () => {
  await page.goto(`${halleyUrl()}/campaigns`);
  await page.getByRole('heading', { name: 'Bulk upgrade', exact: true }).waitFor();
  await page.getByRole('button', { name: 'New campaign' }).click();
  const form = page.getByRole('form', { name: 'Start a campaign' });
  await form.getByLabel('Only devices matching a filter').check();
  // The filter starts with "PlatformOS equals linux"; add "Username equals <user>".
  await form.getByRole('button', { name: 'Add rule' }).first().click();
  const rule = form.getByTestId('query-rule').last();
  await rule.getByLabel('Field').selectOption('Username');
  await rule.getByLabel('Value').fill(user.username);
  await form.getByLabel('Canary wave (%)').fill('50');
  await form.getByLabel('Pause above failures (%)').fill('50');
  await shot(page, 'campaigns-1-form');
  await form.getByRole('button', { name: 'Start campaign' }).click();
  await form.waitFor({ state: 'detached' });

  const current = page.getByTestId('campaign-current');
  await current.getByText('Current campaign').waitFor();
  await expect.poll(() => current.getByTestId('uptake').textContent(), { timeout: 30_000, interval: 500 }).toBe('100%');
  expect(await current.getByTestId('count-confirmed').textContent()).toBe('2');
  expect(await current.textContent()).toContain('2 of 2 eligible devices updated');
  expect(await current.textContent()).toContain('Staged rollout: wave 2; canary 50%');
  const linux = devices.filter((_d, i) => i % 3 === 1);
  expect(linux.every((d) => d.version === CLIENT_VERSION)).toBe(true);
  await shot(page, 'campaigns-2-uptake');

  // The device table, filtered to the updated ones.
  await page.getByLabel('Update status', { exact: true }).selectOption({ label: 'Updated' });
  await page.waitForURL((u) => u.searchParams.get('status') === '5');
  const row = page.locator(`tr[data-device="${linux[0].deviceId}"]`);
  await row.waitFor();
  expect(await row.textContent()).toContain(CLIENT_VERSION);
  expect(await row.textContent()).toContain(t.name);
  await page.getByRole('table', { name: 'History' }).locator('tr[aria-current="true"]').waitFor();
  await shot(page, 'campaigns-3-devices');

  // The other devices of the user stay at the old version and are marked on the devices page.
  await page.goto(`${halleyUrl()}/devices?q=${encodeURIComponent(user.username)}`);
  const other = page.locator(`tr[data-device="${devices[0].deviceId}"]`);
  await other.waitFor();
  expect(await other.getByText('Outdated').count()).toBe(1);
  expect(await page.locator(`tr[data-device="${linux[0].deviceId}"]`).getByText('Outdated').count()).toBe(0);
  await shot(page, 'campaigns-4-outdated');
  expect(pageErrors(page)).toEqual([]);
});

it('shows a readable error for a bad filter, and no page to a tenant admin', async () => {
  await page.goto(`${halleyUrl()}/campaigns`);
  await page.getByRole('button', { name: 'New campaign' }).click();
  const form = page.getByRole('form', { name: 'Start a campaign' });
  await form.getByLabel('Only devices matching a filter').check();
  const rule = form.getByTestId('query-rule').last();
  await rule.getByLabel('Operator').selectOption('str_regexmatch');
  await rule.getByLabel('Value').fill('(');
  await form.getByRole('button', { name: 'Start campaign' }).click();
  await form.getByRole('alert').filter({ hasText: 'Invalid regular expression' }).waitFor();
  await shot(page, 'campaigns-5-error');

  const tenantPage = await newPage(browser);
  await signIn(tenantPage, halleyUrl(), t.adminName, t.admin.creds!.password!);
  const res = await tenantPage.goto(`${halleyUrl()}/campaigns`);
  expect(res?.status()).toBe(404);
  expect(await tenantPage.getByRole('link', { name: 'Bulk upgrade' }).count()).toBe(0);
});
