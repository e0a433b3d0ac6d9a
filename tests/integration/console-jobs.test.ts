// Job history, webhooks (Settings → Integrations) and the live events view in a real browser against
// the shared test server (web + workers).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { client, makeTenant, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { jobDetail, nowSeconds, seedJobs } from '../helpers/jobs';
import { sampleProfile } from '../helpers/sample-profile';
import { makeAdmin } from '../helpers/security';
import { halleyUrl } from '../helpers/server';

let browser: Browser;
let page: Page;
let tenant: TenantFixture;
let username: string;
let failedWithLog: string;
const base = () => halleyUrl();

beforeAll(async () => {
  browser = await launchBrowser();
  tenant = await makeTenant('jobs-ui');
  username = uniq('jobuser');
  await tenant.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: username, ProfileData: sampleProfile(username) });
  const day = 86400;
  const now = nowSeconds();
  const failed = [1, 2, 3].map((i) => jobDetail(username, { Status: 7002, StartTime: now - i * day, EndTime: now - i * day + 300, UploadSize: 1000 * i, DestinationSizeEnd: { Size: 20_000_000 + i } }));
  failedWithLog = failed[0].GUID;
  await seedJobs(
    [
      ...failed,
      jobDetail(username, { StartTime: now - 4 * day, EndTime: now - 4 * day + 60 }),
      jobDetail(username, { StartTime: now - 5 * day, EndTime: now - 5 * day + 60 }),
      jobDetail(username, { Classification: 4002, Status: 7002, StartTime: now - day, EndTime: now - day + 10 }),
      jobDetail(username, { Status: 7002, StartTime: now - 10 * day, EndTime: now - 10 * day + 10 }),
    ],
    {
      [failedWithLog]: [
        { Time: now - day, Severity: 'I', Message: 'Backup started' },
        { Time: now - day + 5, Severity: 'W', Message: 'File locked: C:\\pagefile.sys' },
        { Time: now - day + 9, Severity: 'E', Message: 'Storage vault unreachable' },
      ],
    },
  );
  page = await newPage(browser);
  await signIn(page, base(), tenant.adminName, (tenant.admin.creds as { password: string }).password);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const ruleFields = () => page.getByTestId('query-rule').getByLabel('Field').evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value));

it('finds "failed backups in the last 7 days" with the query builder, edits and reorders rules, saves the search', async () => {
  await page.goto(`${base()}/jobs`);
  await expect.poll(() => page.getByTestId('jobs-count').textContent()).toBe('7 jobs');
  await page.getByRole('button', { name: 'Failed backups, last 7 days' }).click();
  await page.waitForURL(/[?&]q=/);
  await expect.poll(() => page.getByTestId('job-row').count()).toBe(3);
  await expect.poll(() => page.getByTestId('preview-count').textContent()).toBe('3 jobs match');
  expect(await ruleFields()).toEqual(['BackupJobDetail.Classification', 'Halley.IsFailed', 'BackupJobDetail.TimeSinceJobStart']);
  await shot(page, 'jobs-1-failed');

  // A rule that matches nothing changes the live count; removing it brings the count back.
  await page.getByRole('button', { name: 'Add rule' }).first().click();
  const added = page.getByTestId('query-rule').nth(3);
  await added.getByLabel('Field').selectOption('BackupJobDetail.Username');
  await added.getByLabel('Operator').selectOption('str_contains_ci');
  await added.getByLabel('Value').fill('nobody-has-this-name');
  await expect.poll(() => page.getByTestId('preview-count').textContent()).toBe('No job matches');
  await added.getByRole('button', { name: 'Remove rule' }).click();
  await expect.poll(() => page.getByTestId('preview-count').textContent()).toBe('3 jobs match');

  // Drag the third rule above the first.
  const handles = page.getByTestId('query-rule').getByTestId('drag-handle');
  await handles.nth(2).dragTo(page.getByTestId('query-rule').nth(0));
  await expect.poll(ruleFields).toEqual(['BackupJobDetail.TimeSinceJobStart', 'BackupJobDetail.Classification', 'Halley.IsFailed']);
  await expect.poll(() => page.getByTestId('preview-count').textContent()).toBe('3 jobs match');

  await page.getByLabel('Name of this search').fill('Weekly failures');
  await page.getByRole('button', { name: 'Save search' }).click();
  await page.getByRole('button', { name: 'Saved searches' }).waitFor();
  await page.getByRole('button', { name: 'Show all jobs' }).click();
  await expect.poll(() => page.getByTestId('job-row').count()).toBe(7);
  await page.getByRole('button', { name: 'Saved searches' }).click();
  await page.getByRole('menuitem', { name: 'Weekly failures' }).click();
  await expect.poll(() => page.getByTestId('job-row').count()).toBe(3);
  await shot(page, 'jobs-2-saved');
});

it('opens a job with its log, filters the log, and comes back to the same search', async () => {
  const searchUrl = page.url();
  await page.locator(`a[href="/jobs/${failedWithLog}"]`).click();
  await page.waitForURL(new RegExp(`/jobs/${failedWithLog}$`));
  const log = page.getByTestId('job-log');
  await expect.poll(() => log.locator('li').count()).toBe(3);
  // Names from the profile instead of ids.
  await page.getByText('Offsite S3').waitFor();
  await page.getByLabel('Minimum severity').selectOption('E');
  await expect.poll(() => log.locator('li').count()).toBe(1);
  expect(await log.textContent()).toContain('Storage vault unreachable');
  await shot(page, 'jobs-3-detail');
  const download = await page.request.get(`${base()}/jobs/${failedWithLog}/log`);
  expect(download.status()).toBe(200);
  expect(await download.text()).toMatch(/ E Storage vault unreachable/);
  // The severity filter replaced the detail page's history entry: one step back is the search.
  await page.goBack();
  await page.waitForURL(searchUrl);
  await expect.poll(() => page.getByTestId('job-row').count()).toBe(3);
});

it('charts storage vault size and transfers on the user page', async () => {
  await page.goto(`${base()}/users/${username}?tab=vaults`);
  await page.getByTestId('vault-charts').waitFor();
  await expect.poll(() => page.getByTestId('vault-charts').locator('svg.recharts-surface').count()).toBeGreaterThanOrEqual(2);
  await shot(page, 'jobs-4-charts');
});

it('another tenant sees none of these jobs', async () => {
  const other = await makeTenant('jobs-ui-other');
  const p2 = await newPage(browser);
  await signIn(p2, base(), other.adminName, (other.admin.creds as { password: string }).password);
  await p2.goto(`${base()}/jobs`);
  await expect.poll(() => p2.getByTestId('jobs-count').textContent()).toBe('No jobs');
  await p2.goto(`${base()}/jobs/${failedWithLog}`);
  await p2.getByRole('heading', { name: 'Not found' }).waitFor();
  expect(pageErrors(page)).toEqual([]);
});

it('configures a webhook in Settings → Integrations, receives an event, shows the delivery log and tails live events', async () => {
  const received: Array<{ headers: http.IncomingHttpHeaders; body: any }> = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const root = await rootClient();
  const before = (await root.ok('/api/v1/admin/meta/webhook-settings/get')).AllowPrivateTargets;
  // The two webhooks made here are the top level's: removed afterwards, or every later event of every tenant would be
  // delivered to them (the one whose host never resolves kept the delivery workers busy for the rest of the run).
  const hooksBefore = (await root.ok('/api/v1/admin/meta/webhook-options/get')) ?? {};
  const admin = await makeAdmin('hooks-ui');
  const p = await newPage(browser);
  try {
    await signIn(p, base(), admin.username, admin.password);
    await p.goto(`${base()}/settings/integrations`);
    const allow = p.getByLabel('Allow outbound connections to private and loopback addresses');
    if (!(await allow.isChecked())) {
      await allow.check();
      await expect.poll(() => allow.isChecked()).toBe(true);
    }
    await p.getByRole('button', { name: 'Add webhook' }).click();
    const dialog = p.getByRole('dialog');
    const hookId = uniq('psa');
    await dialog.getByLabel('Name').fill(hookId);
    await dialog.getByLabel('URL').fill(url);
    // Event types are listed by label; the filter also finds them by their constant name.
    await dialog.getByLabel('Filter event types').fill('SEVT_ACCOUNT_NEW');
    await dialog.getByLabel('User created', { exact: true }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await p.getByTestId(`webhook-${hookId}`).waitFor();
    await shot(p, 'integrations-1-webhook');

    // A new user reaches the receiver as SEVT_ACCOUNT_NEW, signed (hello first, sent on configuration).
    const newUser = uniq('hooked');
    await client(admin).ok('/api/v1/admin/add-user', { TargetUser: newUser, TargetPassword: 'user-pw-123' });
    await expect.poll(() => received.find((r) => r.body.TypeString === 'SEVT_ACCOUNT_NEW' && r.body.ResourceID === newUser), { timeout: 20_000 }).toBeTruthy();
    const hit = received.find((r) => r.body.ResourceID === newUser)!;
    expect(hit.headers['x-halley-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(hit.headers['x-comet-tracing-id']).toBeTruthy();

    await p.getByTestId(`webhook-${hookId}`).getByRole('button', { name: 'Delivery log' }).click();
    const logCard = p.getByTestId('delivery-log');
    await expect.poll(async () => (await logCard.getByTestId('delivery-row').allTextContents()).join('|'), { timeout: 20_000 }).toContain('User created');
    await logCard.getByRole('button', { name: 'Redeliver' }).first().click();
    await p.getByTestId(`webhook-${hookId}`).getByRole('button', { name: 'Secret' }).click();
    expect(await p.getByTestId('webhook-secret').textContent()).toMatch(/^whsec_/);
    await shot(p, 'integrations-2-log');

    // A receiver whose DNS record does not exist yet is saved, and the console says so (.invalid never resolves).
    await p.getByRole('button', { name: 'Add webhook' }).click();
    const later = p.getByRole('dialog');
    await later.getByLabel('Name').fill(`${hookId}-later`);
    await later.getByLabel('URL').fill('https://hooks.halley-test.invalid/in');
    await later.getByRole('button', { name: 'Save' }).click();
    await p.getByTestId(`webhook-${hookId}-later`).waitFor();
    expect(await p.getByTestId('webhook-unresolved').textContent()).toMatch(/hooks\.halley-test\.invalid does not resolve yet/);

    // The live events view shows the next change in this admin's scope.
    await p.goto(`${base()}/settings/events`);
    await expect.poll(() => p.getByTestId('stream-state').textContent(), { timeout: 15_000 }).toBe('Live');
    const tailed = uniq('tailed');
    await client(admin).ok('/api/v1/admin/add-user', { TargetUser: tailed, TargetPassword: 'user-pw-123' });
    await p.getByTestId('event-list').getByText(tailed).first().waitFor({ timeout: 15_000 });
    // The event's type by its label; the constant name stays in the tooltip for integrators.
    const tailType = p.getByTestId('event-list').locator('li').filter({ hasText: tailed }).getByTestId('event-type');
    expect(await tailType.allTextContents()).toContain('User created');
    expect(await tailType.evaluateAll((els) => els.map((e) => e.getAttribute('title')))).toContain('SEVT_ACCOUNT_NEW');
    await shot(p, 'integrations-3-events');
    expect(pageErrors(p)).toEqual([]);
  } finally {
    await root.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: hooksBefore });
    await root.ok('/api/v1/admin/meta/webhook-settings/set', { AllowPrivateTargets: before });
    receiver.close();
  }
});
