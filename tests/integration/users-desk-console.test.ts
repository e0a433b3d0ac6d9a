// The users and devices tables as an operations desk, in a real browser (issue 20): 30+ compact rows on a
// 900 px high screen, the last-backup / storage / devices columns, bulk actions on 3 users with progress and
// per-row results (suspend with confirmation, apply a policy, send a report, unsuspend), the CSV download of
// the selection, the devices table's paging, filters and bulk commands, and the unsaved-edit warning.
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { makeTenant, uniq, type TenantFixture } from '../helpers/fixtures';
import { jobDetail, nowSeconds, seedJobs } from '../helpers/jobs';
import { sql } from '../helpers/security';
import { halleyUrl } from '../helpers/server';

let browser: Browser;
let page: Page;
let t: TenantFixture;
let adminPassword: string;
let prefix: string;
let trio: string[];

beforeAll(async () => {
  browser = await launchBrowser();
  t = await makeTenant('deskui');
  adminPassword = (t.admin.creds as { password: string }).password;
  prefix = uniq('dsk');
  for (let i = 1; i <= 34; i++) await t.admin.ok('/api/v1/admin/add-user', { TargetUser: `${prefix}-${String(i).padStart(2, '0')}`, TargetPassword: 'Correct-Horse-42' });
  trio = [`${prefix}-01`, `${prefix}-02`, `${prefix}-03`];
  const now = nowSeconds();
  await seedJobs([
    jobDetail(trio[0], { StartTime: now - 900, EndTime: now - 800, Status: 7002 }),
    jobDetail(trio[1], { StartTime: now - 7200, EndTime: now - 7000, Status: 5000 }),
    jobDetail(trio[2], { StartTime: now - 3000, EndTime: now - 2900, Status: 7001 }),
  ]);
  // 55 registered devices of one user (offline), alternately Linux and Windows, every third one outdated.
  const acct = (await sql<{ id: string; tenantId: string }>('SELECT "id", "tenantId" FROM "Account" WHERE "username" = $1', [`${prefix}-10`]))[0];
  for (let i = 1; i <= 55; i++) {
    await sql('INSERT INTO "Device" ("id", "tenantId", "accountId", "deviceId", "friendlyName", "clientVersion", "data", "position") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      randomUUID(), acct.tenantId, acct.id, `${prefix}-dev-${String(i).padStart(2, '0')}`, `Workstation ${String(i).padStart(2, '0')}`, i % 3 === 0 ? '24.3.1' : '25.9.6-halley.1',
      JSON.stringify({ PlatformVersion: { os: i % 2 ? 'linux' : 'windows' } }), i,
    ]);
  }
  page = await newPage(browser);
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, halleyUrl(), t.adminName, adminPassword);
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

const row = (name: string) => page.locator(`tr[data-user="${name}"]`);

it('shows 30+ compact rows on a 900 px screen with last backup, storage and devices', async () => {
  await page.goto(`${halleyUrl()}/users?q=${prefix}&size=50&sort=Username`);
  await expect.poll(() => page.getByTestId('users-range').textContent()).toMatch(/1–34 of 34 users/);
  const visible = await page.locator('tbody tr').evaluateAll((rows) => rows.filter((r) => r.getBoundingClientRect().bottom <= window.innerHeight).length);
  expect(visible).toBeGreaterThanOrEqual(30);
  expect(await row(trio[0]).locator('[data-column="LastBackup"] [data-status]').getAttribute('data-status')).toBe('failed');
  expect(await row(trio[1]).locator('[data-column="LastBackup"] [data-status]').getAttribute('data-status')).toBe('success');
  expect(await row(trio[2]).locator('[data-column="LastBackup"] [data-status]').getAttribute('data-status')).toBe('warning');
  expect(await row(`${prefix}-10`).locator('[data-column="Devices"]').textContent()).toBe('0/55');
  await page.screenshot({ path: 'test-results/users-desk-compact.png' });
  // Comfortable rows are taller; the choice is remembered for the admin.
  await page.getByLabel('Row density').selectOption('comfortable');
  // The choice is saved in the background: reload once it is stored.
  await expect.poll(async () => (await t.admin.ok('/api/v1/admin/account/console-preferences/get')).Density).toBe('comfortable');
  await page.reload();
  await expect.poll(() => page.getByLabel('Row density').inputValue()).toBe('comfortable');
  await page.getByLabel('Row density').selectOption('compact');
});

it('suspends, applies a policy to, reports on and unsuspends 3 selected users, with per-row results', async () => {
  const policyName = uniq('Desk policy');
  const policy = (await t.admin.ok('/api/v1/admin/policies/new', { Policy: { Description: policyName } })).PolicyID;
  await page.goto(`${halleyUrl()}/users?q=${prefix}&size=50&sort=Username`);
  for (const name of trio) await page.getByLabel(`Select ${name}`, { exact: true }).check();
  await expect.poll(() => page.getByTestId('users-selected').textContent()).toBe('3 users selected');

  await page.getByRole('button', { name: 'Suspend', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Suspend: 3 users').waitFor();
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect.poll(() => page.getByTestId('bulk-progress').textContent()).toMatch(/3 of 3 done.*3 succeeded, 0 failed/);
  for (const name of trio) await expect.poll(() => row(name).locator('[data-column="Status"]').textContent()).toBe('Suspended');
  expect(await page.getByTestId('bulk-result-ok').count()).toBe(3);
  await shot(page, 'users-desk-suspended');

  await page.getByRole('button', { name: 'Apply policy' }).click();
  await dialog.getByLabel('Policy').selectOption(policy);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect.poll(() => page.getByTestId('bulk-progress').textContent()).toMatch(/3 succeeded/);
  for (const name of trio) await expect.poll(() => row(name).locator('[data-column="Policy"]').textContent()).toBe(policyName);

  // None of them has an email address: each row says why no report went out.
  await page.getByRole('button', { name: 'Send email report' }).click();
  await expect.poll(() => page.getByTestId('bulk-progress').textContent()).toMatch(/0 succeeded, 3 failed/);
  expect(await page.getByTestId('bulk-result-failed').count()).toBe(3);
  expect(await row(trio[0]).getByText(/receives no email reports/).count()).toBe(1);
  await shot(page, 'users-desk-report-failed');

  await page.getByRole('button', { name: 'Unsuspend' }).click();
  await expect.poll(() => page.getByTestId('bulk-progress').textContent()).toMatch(/3 succeeded/);
  for (const name of trio) await expect.poll(() => row(name).locator('[data-column="Status"]').textContent()).toBe('Active');
  expect(pageErrors(page)).toEqual([]);
}, 180_000);

it('downloads the selection and everything matching as CSV', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export selection (CSV)' }).click()]);
  const text = fs.readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
  const lines = text.trim().split('\r\n');
  expect(lines[0].split(',').slice(0, 4)).toEqual(['Username', 'AccountName', 'OrganizationID', 'Organization']);
  expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(trio);
  expect(lines[1]).toContain(',7002,');
  // "Export all matching" links to the same route with the table's search and order; read with the page's own
  // session. (Users without any email address once cut this stream: the route's 200 was followed by a reset.)
  const href = await page.getByRole('link', { name: 'Export all matching (CSV)' }).getAttribute('href');
  expect(href).toBe(`/users/export?q=${prefix}&sort=Username`);
  const res = await page.request.get(`${halleyUrl()}${href}`);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-disposition']).toMatch(/attachment; filename="users-/);
  expect((await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n')).toHaveLength(35);
});

it('pages, filters and bulk-commands the devices table', async () => {
  await page.goto(`${halleyUrl()}/devices?q=${prefix}`);
  await expect.poll(() => page.getByTestId('devices-range').textContent()).toBe('1–50 of 55 devices');
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect.poll(() => page.getByTestId('devices-range').textContent()).toBe('51–55 of 55 devices');
  expect(await page.locator('tr[data-device]').count()).toBe(5);
  await page.getByLabel('Operating system').selectOption('linux');
  await expect.poll(() => page.getByTestId('devices-range').textContent()).toBe('1–28 of 28 devices');
  await page.getByLabel('Outdated clients only').check();
  // Every third device is outdated; of the Linux (odd) ones that is 3, 9, 15, ... 51: 9 devices.
  await expect.poll(() => page.getByTestId('devices-range').textContent()).toBe('1–9 of 9 devices');
  await page.getByLabel(`Select Workstation 03`).check();
  await page.getByLabel(`Select Workstation 09`).check();
  await page.getByRole('button', { name: 'Update software' }).click();
  await expect.poll(() => page.getByTestId('devices-bulk-progress').textContent()).toBe('2 of 2 done');
  expect(await page.getByTestId('device-result-failed').filter({ hasText: 'Not online' }).count()).toBe(2);
  await shot(page, 'devices-desk-filtered');
  await page.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog').getByText('Revoke 2 devices?').waitFor();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await expect.poll(() => page.getByTestId('devices-range').textContent()).toBe('1–7 of 7 devices');
  expect((await sql('SELECT 1 FROM "Device" WHERE "deviceId" = ANY($1)', [[`${prefix}-dev-03`, `${prefix}-dev-09`]])).length).toBe(0);
  expect(pageErrors(page)).toEqual([]);
}, 180_000);

it('warns before leaving a form with unsaved edits', async () => {
  await page.goto(`${halleyUrl()}/users/${encodeURIComponent(trio[0])}`);
  await page.getByLabel('Account name').fill('Unsaved name');
  const questions: string[] = [];
  page.once('dialog', (d) => {
    questions.push(d.message());
    void d.dismiss();
  });
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Devices' }).click();
  await expect.poll(() => questions.length).toBe(1);
  expect(questions[0]).toMatch(/unsaved/i);
  expect(new URL(page.url()).pathname).toBe(`/users/${encodeURIComponent(trio[0])}`);
  await shot(page, 'unsaved-warning-stayed');
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Devices' }).click();
  await page.waitForURL((u) => u.pathname === '/devices');
});
