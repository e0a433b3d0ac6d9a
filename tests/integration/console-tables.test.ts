// Console behaviour in a real browser against the shared test server: the users table keeps sort,
// page, search and columns in the URL (reload and the back button restore them exactly), rows per
// page and the column choice follow the admin across sign-out, Alt+Q search, the locale switcher,
// user edits with the profile-hash conflict message, and the error popup's request id.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, newPage, pageErrors, shot, signIn, signOut } from '../helpers/browser';
import { client, rootClient, uniq } from '../helpers/fixtures';
import { makeAdmin } from '../helpers/security';
import { halleyUrl } from '../helpers/server';
import { repoRoot } from '../../scripts/lib/services.mjs';

let browser: Browser;
let page: Page;
let admin: { username: string; password: string };
let prefix: string;
const base = () => halleyUrl();

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await makeAdmin('console');
  // 27 users with a common prefix (other test files add users too: searches use the prefix).
  prefix = uniq('tbl');
  const root = await rootClient();
  for (let i = 1; i <= 27; i++) {
    await root.ok('/api/v1/admin/add-user', { TargetUser: `${prefix}-${String(i).padStart(2, '0')}`, TargetPassword: 'user-pw-123' });
  }
  await root.ok('/api/v1/admin/add-user', { TargetUser: `${prefix}-alice`, TargetPassword: 'user-pw-123' });
  page = await newPage(browser);
  // Leaving a form with unsaved edits asks first (beforeunload); the conflict test leaves one behind.
  page.on('dialog', (d) => void d.accept());
  await signIn(page, base(), admin.username, admin.password);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const rowNames = async (p: Page) => (await p.locator('tbody tr td[data-column="Username"]').allTextContents()).map((s) => s.trim());

it('keeps sort, page, search and columns in the URL across reload and the back button', async () => {
  await page.goto(`${base()}/users`);
  await page.getByLabel('Search users', { exact: true }).fill(prefix);
  await page.waitForURL((u) => u.searchParams.get('q') === prefix);
  await expect.poll(() => page.getByTestId('users-range').textContent()).toMatch(/of 28 users/);

  // Sort by username, descending (second click), then page 2 at 10 rows per page.
  await page.getByRole('button', { name: 'Username' }).click();
  await page.waitForURL((u) => u.searchParams.get('desc') === '1');
  await page.getByLabel('Rows per page').selectOption('10');
  await page.waitForURL((u) => u.searchParams.get('size') === '10');
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.waitForURL((u) => u.searchParams.get('page') === '2');
  await expect.poll(() => page.getByTestId('users-range').textContent()).toMatch(/11–20 of 28 users/);
  expect((await rowNames(page))[0]).toBe(`${prefix}-18`);

  // Hide the "Policy" column.
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('menuitemcheckbox', { name: 'Policy' }).click();
  await page.keyboard.press('Escape');
  await page.waitForURL((u) => !(u.searchParams.get('cols') ?? '').includes('Policy'));
  expect(await page.getByRole('columnheader', { name: 'Policy' }).count()).toBe(0);
  const url = page.url();
  await shot(page, 'tables-1-state');

  await page.reload();
  expect(page.url()).toBe(url);
  await expect.poll(() => page.getByTestId('users-range').textContent()).toMatch(/11–20 of 28 users/);
  expect((await rowNames(page))[0]).toBe(`${prefix}-18`);
  expect(await page.getByRole('columnheader', { name: 'Policy' }).count()).toBe(0);
  expect(await page.getByLabel('Search users', { exact: true }).inputValue()).toBe(prefix);

  // Open a user, come back with the browser's back button: the same page of the same table.
  await page.getByRole('link', { name: `${prefix}-18` }).click();
  await page.waitForURL(/\/users\/[^?]+$/);
  await page.goBack();
  await page.waitForURL(url);
  await expect.poll(async () => (await rowNames(page))[0]).toBe(`${prefix}-18`);
  expect(await page.getByRole('columnheader', { name: 'Policy' }).count()).toBe(0);
  // Back once more: the column comes back; back again: page 1 of the same sort.
  await page.goBack();
  await page.getByRole('columnheader', { name: 'Policy' }).waitFor();
  await page.goBack();
  await page.waitForURL((u) => u.searchParams.get('page') === '1' && u.searchParams.get('size') === '10');
  await expect.poll(async () => (await rowNames(page))[0]).toBe(`${prefix}-alice`);
});

it('remembers rows per page and the column choice across sign-out', async () => {
  await signOut(page);
  await signIn(page, base(), admin.username, admin.password);
  await page.goto(`${base()}/users`);
  expect(await page.getByLabel('Rows per page').inputValue()).toBe('10');
  expect(await page.getByRole('columnheader', { name: 'Policy' }).count()).toBe(0);
  expect(await page.getByRole('columnheader', { name: 'Devices' }).count()).toBe(1);
});

it('resets a remembered column choice when the server version changes', async () => {
  const c = client(admin);
  const prefs = await c.ok('/api/v1/admin/account/console-preferences/get');
  expect(prefs.TableColumns.users.Columns).not.toContain('Policy');
  // Simulate a choice saved by an older server version: it must be ignored.
  const { sql } = await import('../helpers/security');
  await sql(`UPDATE "AdminUser" SET "consolePrefs" = jsonb_set("consolePrefs", '{TableColumns,users,ServerVersion}', '"0.0.1"') WHERE username = $1`, [admin.username]);
  expect((await c.ok('/api/v1/admin/account/console-preferences/get')).TableColumns).toEqual({});
  await page.goto(`${base()}/users`);
  await page.getByRole('columnheader', { name: 'Policy' }).waitFor();
  expect(await page.getByLabel('Rows per page').inputValue()).toBe('10');
});

it('focuses the global search with Alt+Q, moves with the arrow keys and opens with Enter', async () => {
  await page.goto(`${base()}/`);
  await page.keyboard.press('Alt+KeyQ');
  const box = page.getByRole('combobox', { name: 'Search users, devices, storage vaults, protected items, jobs and tenants' });
  await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
  await page.keyboard.type(`${prefix}-0`);
  const options = page.getByRole('option');
  await expect.poll(() => options.count()).toBeGreaterThan(2);
  await shot(page, 'tables-2-search');
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => page.getByRole('option', { selected: true }).textContent()).toContain(`${prefix}-02`);
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/users/${prefix}-02$`));
  await page.getByRole('heading', { name: `${prefix}-02` }).waitFor();
});

it('edits a user and reports a concurrent change clearly', async () => {
  const username = `${prefix}-alice`;
  await page.goto(`${base()}/users/${username}`);
  await page.getByLabel('Account name').fill('Alice Example');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  const root = await rootClient();
  expect((await root.ok('/api/v1/admin/get-user-profile', { TargetUser: username })).AccountName).toBe('Alice Example');

  // Someone else changes the profile after this page was loaded: the save is refused, nothing lost.
  await page.reload();
  const profile = await root.ok('/api/v1/admin/get-user-profile', { TargetUser: username });
  await root.ok('/api/v1/admin/set-user-profile', { TargetUser: username, ProfileData: { ...profile, AccountName: 'Changed elsewhere' } });
  await page.getByLabel('Account name').fill('My change');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('profile-conflict').waitFor();
  await shot(page, 'tables-3-conflict');
  expect((await root.ok('/api/v1/admin/get-user-profile', { TargetUser: username })).AccountName).toBe('Changed elsewhere');
});

it('switches the console language', async () => {
  await page.goto(`${base()}/users`);
  const de = JSON.parse(fs.readFileSync(path.join(repoRoot, 'messages', 'de.json'), 'utf8'));
  await page.getByTestId('user-menu').click();
  await page.getByTestId('language-menu').waitFor();
  await page.getByRole('menuitemradio', { name: 'Deutsch' }).click();
  await page.getByRole('heading', { name: de.users.title, exact: true }).waitFor();
  expect(await page.locator('html').getAttribute('lang')).toBe('de');
  expect(await page.getByRole('link', { name: de.nav.policies }).count()).toBe(1);
  await shot(page, 'tables-4-german');
  // The choice is a cookie: it survives a reload. Then back to English.
  await page.reload();
  await page.getByRole('heading', { name: de.users.title, exact: true }).waitFor();
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitemradio', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Users' }).waitFor();
  expect(pageErrors(page)).toEqual([]);
});

it('ends the console session when its Halley session is revoked', async () => {
  await page.goto(`${base()}/users`);
  await page.getByRole('heading', { name: 'Users' }).waitFor();
  const { sql } = await import('../helpers/security');
  await sql(`UPDATE "Session" s SET "revokedAt" = now() FROM "AdminUser" a WHERE s."adminId" = a.id AND a.username = $1`, [admin.username]);
  await page.reload();
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('expired') === '1');
  await page.getByText('Your session has ended').waitFor();
});

it('shows internal ids only with "Advanced options" on', async () => {
  await signIn(page, base(), admin.username, admin.password);
  const root = await rootClient();
  const username = `${prefix}-devices`;
  const { sampleProfile } = await import('../helpers/sample-profile');
  await root.ok('/api/v1/admin/add-user-from-profile', { TargetUser: username, ProfileData: sampleProfile(username) });
  await page.goto(`${base()}/users/${username}?tab=devices`);
  await page.getByRole('cell', { name: 'OFFICE-PC' }).waitFor();
  expect(await page.getByRole('columnheader', { name: 'Device ID' }).count()).toBe(0);
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitemcheckbox', { name: 'Advanced options' }).click();
  await page.getByRole('columnheader', { name: 'Device ID' }).waitFor();
  await page.getByRole('cell', { name: 'dev-1' }).waitFor();
  await shot(page, 'tables-5-advanced');
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitemcheckbox', { name: 'Advanced options' }).click();
  await expect.poll(() => page.getByRole('columnheader', { name: 'Device ID' }).count()).toBe(0);
});
