// First run in the console, in a real browser (Debian's Chromium driven by playwright-core): a server
// with an empty database offers the create-first-administrator form; submitting it creates a
// top-level admin that works over the API, and the form is gone afterwards.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyMigrations } from '../../lib/db/migrate';
import { createScratchDatabase } from '../../lib/db/schema-diff';
import { repoRoot } from '../../scripts/lib/services.mjs';
import { CometClient } from '../helpers/comet-client';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';

const shots = path.join(repoRoot, 'test-results');
let db: { url: string; drop: () => Promise<void> };
let halley: HalleyProcess;
let browser: Browser;

beforeAll(async () => {
  fs.mkdirSync(shots, { recursive: true });
  db = await createScratchDatabase(process.env.DATABASE_URL!);
  await applyMigrations(db.url, { log: () => {} });
  halley = await startHalley({ name: 'first-run', databaseUrl: db.url, logDir: process.env.HALLEY_TEST_SERVICES_DIR ?? shots });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await halley?.stop();
  await db?.drop();
});

it('creates the first administrator from the browser', async () => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  await page.goto(halley.url);
  await expect(page.getByRole('heading', { name: 'Create the first administrator' }).isVisible()).resolves.toBe(true);

  // A bad username is explained, and nothing is created.
  await page.getByLabel('Username').fill('bad name!');
  await page.getByLabel('Password').fill('first-admin-pw');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  // Scoped to the form: Next's route announcer is also an (empty) alert region.
  const alert = page.locator('form').getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toMatch(/invalid/);

  // The username is kept for correction; the password has to be typed again.
  expect(await page.getByLabel('Username').inputValue()).toBe('bad name!');
  await page.getByLabel('Username').fill('first-admin');
  await page.getByLabel('Password').fill('first-admin-pw');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await page.getByRole('status').waitFor();
  expect(await page.getByRole('status').textContent()).toMatch(/first-admin created/);
  await page.screenshot({ path: path.join(shots, 'first-run-created.png') });

  const api = new CometClient(halley.url, { username: 'first-admin', password: 'first-admin-pw' });
  expect((await api.ok('/api/v1/admin/account/properties')).OrganizationID).toBe('');

  await page.reload();
  expect(await page.getByText('This server is set up').isVisible()).toBe(true);
  expect(await page.getByRole('button', { name: 'Create administrator' }).count()).toBe(0);
  await page.screenshot({ path: path.join(shots, 'first-run-done.png') });
});
