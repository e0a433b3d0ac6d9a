// The operations overview in a real browser (issue 20): a tenant admin with failed jobs, an offline device, a
// user over quota and a failed sign-in sees them on the overview; the failed-jobs figure opens the job history
// filtered to exactly those jobs; a click anywhere on a job row opens the job, whose properties panel keeps
// dates and ids on one line; the getting-started guide links to the exact place of each step; the top level
// sees the same figures per tenant.
import type { Browser, Page } from 'playwright-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { makeTenant, makeUser, ROOT, uniq, type TenantFixture } from '../helpers/fixtures';
import { jobDetail, nowSeconds, seedJobs } from '../helpers/jobs';
import { halleyUrl } from '../helpers/server';

const DAY = 86_400;

let browser: Browser;
let db: pg.Client;
let t: TenantFixture;
let username: string;
const failedIds: string[] = [];
const deviceId = uniq('dev');
const staleJob = uniq('job');

beforeAll(async () => {
  browser = await launchBrowser();
  db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  t = await makeTenant('ov-ui');
  username = (await makeUser(t.admin)).username;
  const now = nowSeconds();
  const profile = await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: username });
  await t.admin.ok('/api/v1/admin/set-user-profile', {
    TargetUser: username,
    ProfileData: {
      ...profile,
      Devices: { [deviceId]: { FriendlyName: 'RECEPTION-PC', RegistrationTime: now - 30 * DAY, ClientVersion: '24.3.1' } },
      AllProtectedItemsQuotaEnabled: true,
      AllProtectedItemsQuotaBytes: 5e9,
    },
  });
  const failed = [jobDetail(username, { Status: 7002, StartTime: now - 3600 }), jobDetail(username, { Status: 7000, StartTime: now - 5400 })];
  failedIds.push(...failed.map((j) => j.GUID as string));
  await seedJobs([...failed, jobDetail(username, { Status: 7001, StartTime: now - 2 * DAY }), jobDetail(username, { Status: 5000, StartTime: now - 600 }),
    // Still "running" on a device that has no live connection.
    jobDetail(username, { GUID: staleJob, Status: 6001, StartTime: now - 7200, EndTime: 0, DeviceID: deviceId }),
  ]);
  const [{ id: accountId }] = (await db.query(`SELECT id FROM "Account" WHERE username = $1`, [username])).rows;
  const today = new Date(Math.floor(now / DAY) * DAY * 1000).toISOString().slice(0, 10);
  const weekAgo = new Date((Math.floor(now / DAY) - 7) * DAY * 1000).toISOString().slice(0, 10);
  await db.query(`INSERT INTO "UsageTenantDay" ("tenantId", day, "storageBytes") VALUES ($1, $2::date, 4e9), ($1, $3::date, 6e9)`, [t.id, weekAgo, today]);
  await db.query(`INSERT INTO "UsageAccountDay" ("tenantId", "accountId", day, username, "storageBytes") VALUES ($1, $2, $3::date, $4, 6e9)`, [t.id, accountId, today, username]);
  await db.query(`INSERT INTO "Event" ("tenantId", type, actor, "resourceId", data, timestamp) VALUES ($1, 4104, '', $2, $3, $4)`, [
    t.id, username, JSON.stringify({ Username: username, RemoteAddress: '127.0.0.7', AuthType: 'Password', Reason: 'bad password' }), now - 120,
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await db?.end();
});

describe('Overview console', () => {
  let page: Page;

  it('a tenant admin sees failures on the overview and opens exactly those jobs', async () => {
    page = await newPage(browser);
    await signIn(page, halleyUrl(), t.adminName, (t.admin.creds as { password: string }).password);
    await page.goto(`${halleyUrl()}/`);
    await expect.poll(() => page.getByTestId('failed-24h').textContent()).toBe('2');
    expect(await page.getByTestId('warning-7d').textContent()).toBe('1');
    expect(await page.getByTestId('offline-count').textContent()).toBe('1');
    expect(await page.getByTestId('outdated-count').textContent()).toBe('1');
    expect(await page.getByTestId('quota-over').textContent()).toBe('1');
    expect(await page.getByTestId('signin-24h').textContent()).toBe('1');
    expect(await page.getByTestId('storage-growth').textContent()).toContain('+1.9 GiB');
    await expect.poll(() => page.getByTestId('list-offline').textContent()).toContain('RECEPTION-PC');
    expect(await page.getByTestId('list-signin').textContent()).toContain('127.0.0.7');
    await page.getByTestId('chart-jobs').locator('.recharts-bar-rectangle').first().waitFor();
    // Tenant admins see no per-tenant table.
    expect(await page.getByTestId('per-tenant').count()).toBe(0);
    await shot(page, 'overview-tenant-failures');

    // The getting-started guide: the next step (a protected item) links to the user's protected items.
    const itemStep = page.getByRole('link', { name: 'Add a protected item' });
    expect(await itemStep.getAttribute('href')).toBe(`/users/${encodeURIComponent(username)}?tab=items`);
    expect(await page.getByRole('link', { name: 'Register a device' }).count()).toBe(0);

    await page.getByTestId('link-failed-24h').click();
    await page.waitForURL((u) => u.pathname === '/jobs' && u.searchParams.has('q'));
    await expect.poll(() => page.getByTestId('job-row').count()).toBe(2);
    const shown = await page.getByTestId('job-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job-id')));
    expect(shown.sort()).toEqual([...failedIds].sort());
    await shot(page, 'jobs-failed-from-overview');
    expect(pageErrors(page)).toEqual([]);
  });

  it('a click anywhere on a job row opens the job; its properties stay on one line', async () => {
    const row = page.getByTestId('job-row').first();
    const id = await row.getAttribute('data-job-id');
    // A plain cell (the job type), not the status link.
    await row.locator('td').nth(1).click();
    await page.waitForURL((u) => u.pathname === `/jobs/${id}`);
    const props = page.getByTestId('job-properties');
    await props.waitFor();
    const heights = await props.locator('dd').evaluateAll((dds) => dds.map((d) => d.getBoundingClientRect().height));
    const dtHeights = await props.locator('dt').evaluateAll((dts) => dts.map((d) => d.getBoundingClientRect().height));
    // Every value is one line high (the height of its label).
    heights.forEach((h, i) => expect(h).toBeLessThanOrEqual(dtHeights[i] + 2));
    expect(await props.textContent()).toContain(id);
    await shot(page, 'job-detail-properties');
    expect(pageErrors(page)).toEqual([]);
  });

  it('a running job of an offline device is marked stale on the devices page', async () => {
    await page.goto(`${halleyUrl()}/devices`);
    const row = page.locator(`tr[data-job="${staleJob}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-stale')).toBe('true');
    expect(await row.getByTestId('stale-job').textContent()).toBe('Stale: device offline');
    expect(await row.textContent()).toContain('RECEPTION-PC');
    await shot(page, 'devices-stale-job');
    expect(pageErrors(page)).toEqual([]);
  });

  it('the top level sees the figures per tenant', async () => {
    const root = await newPage(browser);
    await signIn(root, halleyUrl(), ROOT.username, ROOT.password);
    await root.goto(`${halleyUrl()}/`);
    const table = root.getByTestId('per-tenant');
    await table.waitFor();
    expect(await root.getByTestId(`tenant-failed-24h-${t.id}`).textContent()).toBe('2');
    expect(await root.getByTestId(`tenant-offline-${t.id}`).textContent()).toBe('1');
    expect(await root.getByTestId(`tenant-row-${t.id}`).textContent()).toContain(t.name);
    await shot(root, 'overview-top-level');
    await root.getByTestId(`tenant-failed-24h-${t.id}`).click();
    await root.waitForURL((u) => u.pathname === '/jobs' && u.searchParams.has('q'));
    await expect.poll(() => root.getByTestId('job-row').count()).toBe(2);
    expect(pageErrors(root)).toEqual([]);
  });
});
