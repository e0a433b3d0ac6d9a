// The console end to end on a fresh server, in a real browser (Debian's Chromium + playwright-core):
// first administrator → sign in → TOTP set up and used at sign-in → a security key registered through
// Chromium's virtual authenticator (CDP) and used at sign-in → a tenant and its admin created in the
// console → that admin, in another browser context, sees only their tenant's users.
// The browser talks to http://localhost:<port> because WebAuthn refuses IP addresses as relying party.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { applyMigrations } from '../../lib/db/migrate';
import { createScratchDatabase } from '../../lib/db/schema-diff';
import { CometClient } from '../helpers/comet-client';
import { launchBrowser, newPage, pageErrors, shot, signIn, signInPassword, signOut } from '../helpers/browser';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';
import { totpCode } from '../helpers/security';

let db: { url: string; drop: () => Promise<void> };
let halley: HalleyProcess;
let browser: Browser;
let base: string;
const ADMIN = { username: 'first-admin', password: 'first-admin-pw-1' };

beforeAll(async () => {
  db = await createScratchDatabase(process.env.DATABASE_URL!);
  await applyMigrations(db.url, { log: () => {} });
  halley = await startHalley({ name: 'console-journey', databaseUrl: db.url, logDir: process.env.HALLEY_TEST_SERVICES_DIR ?? 'test-results' });
  base = halley.url.replace('127.0.0.1', 'localhost');
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await halley?.stop();
  await db?.drop();
});

let page: Page;
let totpSecret = '';

it('creates the first administrator and signs in', async () => {
  page = await newPage(browser);
  await page.goto(base);
  await page.waitForURL(/\/setup$/);
  await page.getByRole('heading', { name: 'Create the first administrator' }).waitFor();

  // A bad username is explained, nothing is created, and the username is kept for correction.
  await page.getByLabel('Username').fill('bad name!');
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  const alert = page.locator('form').getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toMatch(/invalid/i);
  expect(await page.getByLabel('Username').inputValue()).toBe('bad name!');

  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await page.getByRole('link', { name: 'Continue to sign in' }).click();
  await page.waitForURL(/\/login/);
  expect(await page.getByLabel('Username').inputValue()).toBe(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await page.getByRole('heading', { name: 'Getting started' }).waitFor();
  await shot(page, 'journey-1-overview');

  // The setup page is gone once an admin exists.
  await page.goto(`${base}/setup`);
  await page.waitForURL(/\/$/);
  // The same admin works over the API.
  const api = new CometClient(halley.url, ADMIN);
  expect((await api.ok('/api/v1/admin/account/properties')).OrganizationID).toBe('');
});

it('sets up TOTP on the account page and signs in with password + TOTP', async () => {
  await page.goto(`${base}/account`);
  await page.getByRole('button', { name: 'Set up TOTP' }).click();
  const secretBox = page.getByTestId('totp-secret');
  await secretBox.waitFor();
  totpSecret = await secretBox.inputValue();
  expect(totpSecret).toMatch(/^[A-Z2-7]{16,}$/);
  expect(await page.getByRole('img', { name: 'QR code for your authenticator app' }).getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  await shot(page, 'journey-2-totp-setup');
  await page.getByLabel('Code from the app').fill(await totpCode(totpSecret));
  await page.getByRole('button', { name: 'Confirm and turn on' }).click();
  const codes = page.getByTestId('recovery-codes');
  await codes.waitFor();
  expect((await codes.locator('li').allTextContents()).length).toBeGreaterThanOrEqual(8);
  await shot(page, 'journey-2-recovery-codes');

  await signOut(page);
  await signInPassword(page, base, ADMIN.username, ADMIN.password);
  await page.getByLabel('Authentication code').waitFor();
  await shot(page, 'journey-2-second-factor');
  // A wrong code is refused with a readable message.
  await page.getByLabel('Authentication code').fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/Incorrect TOTP code/);
  await page.getByLabel('Authentication code').fill(await totpCode(totpSecret));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL(`${base}/`);
});

it('registers a security key through a virtual authenticator and signs in with it', async () => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'usb', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await page.goto(`${base}/account`);
  await page.getByLabel('Name for a new key').fill('Virtual key');
  await page.getByRole('button', { name: 'Register a security key' }).click();
  const keys = page.getByTestId('security-keys');
  await keys.waitFor();
  expect(await keys.textContent()).toContain('Virtual key');
  await shot(page, 'journey-3-key-registered');

  await signOut(page);
  await signInPassword(page, base, ADMIN.username, ADMIN.password);
  await page.getByRole('button', { name: 'Use security key' }).click();
  await page.waitForURL(`${base}/`);
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
});

let tenantAdmin = { username: 'acme-admin', password: 'acme-admin-pw-1' };

it('creates a tenant and its administrator in the console', async () => {
  await page.goto(`${base}/tenants`);
  await page.getByRole('button', { name: 'New tenant' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Acme Reseller');
  await page.getByRole('button', { name: 'Create tenant' }).click();
  await page.waitForURL(/\/tenants\/[0-9a-f-]{36}$/);
  const tenantId = page.url().split('/').pop()!;
  await page.getByLabel('From name').fill('Acme Backup');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  await shot(page, 'journey-4-tenant');

  await page.getByRole('link', { name: 'Add an administrator' }).click();
  await page.waitForURL(/\/admins\?new=1/);
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Username').fill(tenantAdmin.username);
  await dialog.getByLabel('Password').fill(tenantAdmin.password);
  expect(await dialog.getByLabel('Tenant').inputValue()).toBe(tenantId);
  await dialog.getByRole('button', { name: 'Create administrator' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('cell', { name: tenantAdmin.username }).waitFor();
  await shot(page, 'journey-4-admins');

  // One user in each tenant (over the API), so isolation can be seen.
  const root = new CometClient(halley.url, { ...ADMIN, totp: await totpCode(totpSecret) });
  await root.ok('/api/v1/admin/add-user', { TargetUser: 'top-user', TargetPassword: 'user-pw-123' });
  const tenant = new CometClient(halley.url, tenantAdmin);
  await tenant.ok('/api/v1/admin/add-user', { TargetUser: 'acme-user', TargetPassword: 'user-pw-123' });
});

it("shows a tenant admin only their tenant's users, in another browser context", async () => {
  const other = await newPage(browser);
  await signIn(other, base, tenantAdmin.username, tenantAdmin.password);
  await other.goto(`${base}/users`);
  await other.getByRole('link', { name: 'acme-user' }).waitFor();
  expect(await other.getByRole('link', { name: 'top-user' }).count()).toBe(0);
  expect(await other.getByTestId('users-range').textContent()).toMatch(/of 1 users|1–1/);
  // No tenant or admin management in the navigation, and their pages answer "not found".
  expect(await other.getByRole('link', { name: 'Tenants' }).count()).toBe(0);
  await shot(other, 'journey-5-tenant-admin-users');
  await other.goto(`${base}/users/top-user`);
  await other.getByRole('heading', { name: 'Not found' }).waitFor();
  await other.goto(`${base}/tenants`);
  await other.getByRole('heading', { name: 'Not found' }).waitFor();
  // The top-level admin sees both.
  await page.goto(`${base}/users`);
  await page.getByRole('link', { name: 'acme-user' }).waitFor();
  await page.getByRole('link', { name: 'top-user' }).waitFor();
  expect(pageErrors(page)).toEqual([]);
  expect(pageErrors(other)).toEqual([]);
});

it("offers a user's report language by name in the console's language (and its own), with Comet's codes", async () => {
  await page.goto(`${base}/users/top-user`);
  const select = page.locator('select[name="LanguageCode"]');
  await select.waitFor();
  expect(await select.locator('option[value="de_DE"]').textContent()).toBe('German — Deutsch');
  expect(await select.locator('option[value="he_IL"]').textContent()).toBe('Hebrew — עברית');
  expect(await select.locator('option[value="en_US"]').textContent()).toBe('English');
  // No bare locale codes ("de", "zh_Hant"): reports and agents read Comet's LanguageCode values.
  expect(await select.locator('option[value="de"], option[value="zh_Hant"]').count()).toBe(0);
  expect(pageErrors(page)).toEqual([]);
});
