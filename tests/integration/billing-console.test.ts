// The Billing journey in a real browser: a reseller (tenant admin) sets its price list (a negative price is
// named next to its field, in the admin's language, and nothing is saved), opens Billing for a range, groups
// by user, sees devices, boosters, GB-months and amounts with the chart, and downloads the CSV; the top level
// sees every tenant.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { makeTenant, makeUser, rootClient, ROOT, uniq, type TenantFixture } from '../helpers/fixtures';
import { halleyUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

const DAY = 86_400;
const today = Math.floor(Date.now() / 1000 / DAY) * DAY;
const iso = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);

let browser: Browser;
let page: Page;
let t: TenantFixture;
let username: string;

beforeAll(async () => {
  browser = await launchBrowser();
  t = await makeTenant('bill-ui');
  username = (await makeUser(t.admin)).username;
  const profile = await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: username });
  const created = today - 20 * DAY;
  const device = uniq('dev');
  await t.admin.ok('/api/v1/admin/set-user-profile', {
    TargetUser: username,
    ProfileData: {
      ...profile,
      CreateTime: created,
      Devices: { [device]: { FriendlyName: 'FRONT-DESK', RegistrationTime: created } },
      Sources: { sql: { Engine: 'engine1/mssql', Description: 'SQL', OwnerDevice: device, CreateTime: created } },
    },
  });
  await t.admin.ok('/api/v1/admin/billing/backfill', { Days: 10 });
  const cli = t.admin;
  await waitFor('10 ledger days', async () => Object.keys(await cli.ok('/api/v1/admin/meta/stats', { Simple: false })).length === 10, 60_000);
  page = await newPage(browser);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('Billing console', () => {
  it('a reseller sets its price list, sees its users’ usage priced, and exports it', async () => {
    const password = (t.admin.creds as { password: string }).password;
    await signIn(page, halleyUrl(), t.adminName, password);
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.waitForURL(/\/billing/);
    await page.getByRole('link', { name: 'Price list' }).click();
    await page.waitForURL(/\/billing\/prices/);
    await page.getByLabel('Currency').fill('EUR');
    await page.getByLabel('Per device', { exact: false }).first().fill('-4');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBe('A price cannot be negative.');
    expect((await t.admin.ok('/api/v1/admin/billing/price-list/get')).Currency).toBe('USD');
    await page.getByLabel('Per device', { exact: false }).first().fill('4');
    await page.getByLabel('Microsoft SQL Server').fill('12.5');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await shot(page, 'billing-price-list');
    expect(await t.admin.ok('/api/v1/admin/billing/price-list/get')).toMatchObject({ Currency: 'EUR', DevicePrice: 4, BoosterPrices: { mssql: 12.5 } });

    const from = iso(today - 9 * DAY);
    const to = iso(today);
    await page.goto(`${halleyUrl()}/billing`);
    // Typed before hydration, the values would be replaced by React's state: wait until the form is live.
    await expect.poll(() => page.getByRole('button', { name: 'Show' }).isEnabled()).toBe(true);
    await page.getByLabel('From', { exact: true }).fill(from);
    await page.getByLabel('To', { exact: true }).fill(to);
    await page.getByLabel('Group by').selectOption('user');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((u) => u.searchParams.get('group') === 'user' && u.searchParams.get('from') === from);
    const report = await t.admin.ok('/api/v1/admin/billing/usage', { Start: today - 9 * DAY, End: today + DAY, GroupBy: 'user' });
    const row = report.Rows[0];
    expect(row).toMatchObject({ Username: username, Devices: 1, Boosters: 1 });
    const table = page.getByTestId('billing-rows');
    await expect.poll(() => table.getByRole('row').nth(1).textContent()).toContain(username);
    const amount = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(row.Amount);
    expect(await table.getByRole('row').nth(1).textContent()).toContain(amount);
    expect(await page.getByTestId('billing-totals').textContent()).toContain(amount);
    await expect.poll(() => page.getByTestId('usage-chart').locator('path.recharts-line-curve').count()).toBe(4);
    await shot(page, 'billing-usage-by-user');

    const csv = await page.request.get(`${halleyUrl()}/billing/export?from=${from}&to=${to}&group=user&org=&format=csv`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-disposition']).toMatch(/\.csv"/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[1]).toContain(username);
    expect(lines[1].split(',').at(-2)).toBe(String(row.Amount));
    const xlsx = await page.request.get(`${halleyUrl()}/billing/export?from=${from}&to=${to}&group=user&org=&format=xlsx`);
    expect(xlsx.headers()['content-type']).toMatch(/spreadsheetml/);
    expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');
    expect(pageErrors(page)).toEqual([]);
  });

  it('the top level sees every tenant', async () => {
    await rootClient();
    const rootPage = await newPage(browser);
    await signIn(rootPage, halleyUrl(), ROOT.username, ROOT.password);
    await rootPage.goto(`${halleyUrl()}/billing?from=${iso(today - 9 * DAY)}&to=${iso(today)}&group=tenant`);
    await expect.poll(() => rootPage.getByTestId('billing-rows').textContent()).toContain(t.name);
    await shot(rootPage, 'billing-top-level-tenants');
    expect(pageErrors(rootPage)).toEqual([]);
  });
});
