// Settings → Integrations → PSA in a real browser (issue 18), and the news panel of the Overview: a tenant
// admin adds a Generic integration (a bad URL is refused in the dialog), the key stays write-only, "Sync now"
// delivers to a local receiver (tests/helpers/psa-mock.ts) and the push shows up as delivered with its history;
// news posted to the organization shows on the Overview with an unread badge and its URL as a link.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { makeTenant, uniq, type TenantFixture } from '../helpers/fixtures';
import { allowPrivateTargets } from '../helpers/private-targets';
import { PsaMock } from '../helpers/psa-mock';
import { halleyUrl } from '../helpers/server';

let browser: Browser;
let page: Page;
let t: TenantFixture;
let restorePrivate: () => Promise<void>;
const receiver = new PsaMock(() => ({ status: 200, json: { ok: true } }));
const KEY = uniq('console-psa-key');

beforeAll(async () => {
  await receiver.start();
  restorePrivate = await allowPrivateTargets(true);
  t = await makeTenant('psa-ui');
  browser = await launchBrowser();
  page = await newPage(browser);
  page.on('dialog', (d) => void d.accept());
  await signIn(page, halleyUrl(), t.adminName, t.admin.creds!.password!);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await restorePrivate?.();
  await receiver.stop();
});

it('adds a Generic PSA integration, keeps its key write-only, syncs now and shows the push', async () => {
  const errors = pageErrors(page);
  await page.goto(`${halleyUrl()}/settings`);
  await page.getByRole('link', { name: 'Integrations' }).click();
  await page.waitForURL(/\/settings\/integrations$/);
  const section = page.getByTestId('psa-integrations');
  await section.getByText('No PSA integration yet.').waitFor();
  await section.getByRole('button', { name: 'Add integration' }).click();
  const dialog = page.getByTestId('psa-dialog');
  await dialog.getByLabel('URL').fill('ftp://psa.example.com/usage');
  await dialog.getByLabel('API key').fill(KEY);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => dialog.getByRole('alert').first().textContent()).toMatch(/http:\/\/ or https:\/\//);
  await shot(page, 'psa-1-bad-url');
  await dialog.getByLabel('URL').fill(`${receiver.url}/usage`);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  const row = page.getByTestId('psa-0');
  await row.getByText('Key stored').waitFor();
  const got = await t.admin.ok('/api/v1/admin/meta/psa-config-list/get');
  expect(got).toEqual([{ AlertsDisabled: false, Type: 0, URL: `${receiver.url}/usage`, GroupedBy: { Users: true, Tenants: false, AccountName: false } }]);
  expect(await page.content()).not.toContain(KEY);

  // Editing shows that a key is stored, never the key; saving without typing one keeps it.
  await row.getByRole('button', { name: 'Edit the Generic (JSON over HTTPS) integration' }).click();
  await dialog.getByText('A key is stored. Leave the field empty to keep it.').waitFor();
  expect(await dialog.getByLabel('API key').inputValue()).toBe('');
  await dialog.getByText('Account name').click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await row.getByText('Users, Account name').waitFor();
  await row.getByText('Key stored').waitFor();

  await section.getByRole('button', { name: 'Sync now' }).click();
  await section.getByText('A push to every integration was queued; its result appears under Last push.').waitFor();
  await expect
    .poll(async () => {
      await page.reload();
      return page.getByTestId('psa-0').getByText('Delivered').count();
    }, { timeout: 30_000 })
    .toBeGreaterThan(0);
  expect(receiver.requests).toHaveLength(1);
  expect(receiver.requests[0].json).toMatchObject({ Source: 'Halley', Trigger: 'sync-now', GroupedBy: { Users: true, AccountName: true } });
  await page.getByTestId('psa-0').getByRole('button', { name: 'History' }).click();
  await page.getByTestId('psa-history').getByText('Sync now').first().waitFor();
  await shot(page, 'psa-2-delivered');
  expect(errors).toEqual([]);
}, 120_000);

it('shows the organization news on the Overview with an unread badge and links', async () => {
  await t.admin.ok('/api/v1/admin/news/submit', { NewsContent: 'Maintenance tonight, details at https://status.example.com/maintenance.' });
  await page.goto(`${halleyUrl()}/`);
  const panel = page.getByTestId('news-panel');
  await panel.getByText('Maintenance tonight, details at').waitFor();
  await expect.poll(() => panel.getByTestId('news-unread').textContent()).toBe('1');
  expect(await panel.getByRole('link', { name: 'https://status.example.com/maintenance' }).getAttribute('href')).toBe('https://status.example.com/maintenance');
  await shot(page, 'news-1-unread');
  await panel.getByRole('button', { name: 'Mark as read' }).click();
  await expect.poll(() => panel.getByTestId('news-unread').count()).toBe(0);
  // Posting from the panel: the new item is unread again.
  await panel.getByRole('button', { name: 'Post news' }).click();
  await panel.getByLabel('News text').fill('Second <b>item</b>');
  await panel.getByRole('button', { name: 'Publish' }).click();
  await panel.getByText('Second <b>item</b>').waitFor();
  await expect.poll(() => panel.getByTestId('news-unread').textContent()).toBe('1');
  await shot(page, 'news-2-posted');
}, 120_000);
