// The email-report journey in a real browser against the shared test server (web + workers) and a real
// SMTP sink: a new top-level admin points tenant X at the SMTP server, builds "failed backups in the last
// 7 days for tenant X" in the job history's query builder, sees the right jobs, saves the search as a
// weekly summary report in German, previews it, and the report its BullMQ job scheduler runs arrives in
// German with exactly those jobs; the same search works through get-jobs-for-custom-search. Also: a
// tenant admin sees its SMTP server read-only, and a refused send shows in the sent-emails list.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeEmailQueue, emailQueue } from '../../lib/email/queue';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { client, makeTenant, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { jobDetail, nowSeconds, seedJobs } from '../helpers/jobs';
import { sampleProfile } from '../helpers/sample-profile';
import { makeAdmin } from '../helpers/security';
import { halleyUrl } from '../helpers/server';
import { allowPrivateTargets } from '../helpers/private-targets';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';

const DAY = 86_400;
const SMTP = { username: 'mailer', password: `smtp-${Math.random().toString(36).slice(2)}` };

let browser: Browser;
let page: Page;
let sink: SmtpSink;
let x: TenantFixture;
let y: TenantFixture;
let xUser: string;
let admin: { username: string; password: string };
const failedInX: string[] = [];
const ops = `${uniq('ops')}@msp.example`;
const base = () => halleyUrl();

let restorePrivateTargets: (() => Promise<void>) | undefined;

beforeAll(async () => {
  // The SMTP sink listens on 127.0.0.1, which the outbound guard refuses unless private targets are allowed.
  restorePrivateTargets = await allowPrivateTargets(true);
  sink = await startSmtpSink({ credentials: SMTP });
  browser = await launchBrowser();
  const root = await rootClient();
  x = await makeTenant('mail-x');
  y = await makeTenant('mail-y');
  await root.ok('/api/v1/admin/organization/set', { OrganizationID: x.id, Organization: { Name: x.name, Hosts: [], Branding: { BrandName: 'Kunde X Backup' } } });
  admin = await makeAdmin('mail-ui');
  await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: admin.username, Permissions: { AllowEditEmailOptions: true } });

  // Tenant X: three failed backups in the last 7 days, one older failure, one success, one failed
  // restore; tenant Y: a failed backup that must never show up in X's report.
  const now = nowSeconds();
  xUser = uniq('x-user');
  await x.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: xUser, ProfileData: sampleProfile(xUser) });
  const yUser = uniq('y-user');
  await y.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: yUser, ProfileData: sampleProfile(yUser) });
  const failed = [1, 2, 3].map((d) => jobDetail(xUser, { Status: 7002, StartTime: now - d * DAY, EndTime: now - d * DAY + 120 }));
  failedInX.push(...failed.map((j) => j.GUID));
  await seedJobs([
    ...failed,
    jobDetail(xUser, { Status: 7002, StartTime: now - 9 * DAY, EndTime: now - 9 * DAY + 60 }),
    jobDetail(xUser, { StartTime: now - DAY, EndTime: now - DAY + 60 }),
    jobDetail(xUser, { Classification: 4002, Status: 7002, StartTime: now - DAY, EndTime: now - DAY + 10 }),
    jobDetail(yUser, { Status: 7002, StartTime: now - DAY, EndTime: now - DAY + 60 }),
  ]);
  page = await newPage(browser);
  await signIn(page, base(), admin.username, admin.password);
}, 120_000);

afterAll(async () => {
  await restorePrivateTargets?.();
  await browser?.close();
  await sink?.close();
  await closeEmailQueue();
});

/** The weekday (0 = Sunday) and "HH:MM" in UTC two minutes from now: a weekly schedule due very soon. */
function soonUtc(): { weekday: string; time: string } {
  const d = new Date(Date.now() + 120_000);
  return { weekday: String(d.getUTCDay()), time: `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}` };
}

describe('email reports in the console', () => {
  it('sets tenant X up to send through the SMTP server and sends a test message', async () => {
    await page.goto(`${base()}/settings/email`);
    await page.getByLabel('Organization').selectOption({ label: x.name });
    await page.waitForURL(/[?&]org=/);
    await page.getByLabel('Delivery').selectOption('smtp');
    await page.getByLabel('Host').fill('127.0.0.1');
    await page.getByLabel('Port').fill(String(sink.port));
    await page.getByLabel('Username').fill(SMTP.username);
    await page.getByLabel('Password').fill(SMTP.password);
    await page.getByLabel('Allow sending without encryption').check();
    await page.getByLabel('From name').fill('Kunde X Berichte');
    await page.getByLabel('From address').fill('reports@kunde-x.example');
    await page.getByRole('button', { name: 'Save email settings' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Email settings saved.' }).count()).toBe(1);

    // The password is sealed: the API never returns it, the form comes back empty.
    const stored = await (await rootClient()).ok('/api/v1/admin/meta/email-options/get', { TargetOrganization: x.id });
    expect(stored).toMatchObject({ Mode: 'smtp', SMTPHost: '127.0.0.1', SMTPPort: sink.port, SMTPUsername: SMTP.username });
    expect(JSON.stringify(stored)).not.toContain(SMTP.password);
    await page.reload();
    expect(await page.getByLabel('Password').inputValue()).toBe('');

    // A test message from the server-level form goes through the SMTP server shown there: here the
    // tenant form is tested by saving and sending a sample report later; the test message uses the
    // supplied settings (with the stored password, which is not re-entered).
    await page.getByLabel('Password').fill(SMTP.password);
    await page.getByPlaceholder('Send a test message to…').fill(ops);
    await page.getByRole('button', { name: 'Send test', exact: true }).click();
    const m = await sink.waitFor((mail) => mail.envelopeTo.includes(ops));
    expect(m.mail.from?.text).toContain('reports@kunde-x.example');
    await expect.poll(() => page.getByRole('status').filter({ hasText: `A test message was sent to ${ops}.` }).count()).toBe(1);
    await shot(page, 'email-1-settings');
  });

  it('builds "failed backups in the last 7 days for tenant X", saves it as a weekly summary in German, previews it', async () => {
    await page.goto(`${base()}/jobs`);
    await page.getByRole('button', { name: 'Failed backups, last 7 days' }).click();
    await page.waitForURL(/[?&]q=/);
    await page.getByRole('button', { name: 'Add rule' }).first().click();
    const rule = page.getByTestId('query-rule').nth(3);
    await rule.getByLabel('Field').selectOption('Halley.OrganizationID');
    await rule.getByLabel('Value').selectOption({ label: x.name });
    await expect.poll(() => page.getByTestId('preview-count').textContent()).toBe('3 jobs match');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.getByTestId('job-row').count()).toBe(3);
    const shown = await page.getByTestId('job-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job-id')));
    expect(new Set(shown)).toEqual(new Set(failedInX));
    await shot(page, 'email-2-search');

    await page.getByRole('button', { name: 'Email this search…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Organization').selectOption({ label: x.name });
    await expect(dialog.getByLabel('Report type').inputValue()).resolves.toBe('1');
    await dialog.getByLabel('Recipients').fill(ops);
    await dialog.getByLabel('Language').selectOption('de_DE');
    await dialog.getByLabel('Time zone').fill('UTC');
    const soon = soonUtc();
    await dialog.getByLabel('Day of the week').selectOption(soon.weekday);
    await dialog.getByLabel('Time of day').fill(soon.time);
    await expect.poll(() => dialog.getByTestId('report-filter-count').textContent()).toBe('3 jobs match right now');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => dialog.getByTestId('email-preview-subject').textContent()).toMatch(/^Kunde X Backup: Backup-Zusammenfassung /);
    await shot(page, 'email-3-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByRole('link', { name: 'See it in Settings → Email.' }).click();
    await page.waitForURL(/\/settings\/email\?org=/);
    await expect.poll(() => page.getByTestId('email-report-row').count()).toBe(1);
    const row = page.getByTestId('email-report-row');
    expect(await row.textContent()).toContain(ops);
    expect(await row.textContent()).toContain('Deutsch');

    await row.getByRole('link', { name: 'Preview' }).click();
    await page.waitForURL(/\/settings\/email\/preview\?/);
    expect(await page.getByTestId('email-preview-subject').textContent()).toMatch(/^Kunde X Backup: Backup-Zusammenfassung /);
    const frame = page.frameLocator('[data-testid="email-preview-html"]');
    await expect.poll(() => frame.locator('body').textContent()).toContain('Backup-Zusammenfassung');
    await page.getByRole('tab', { name: 'Plain text' }).click();
    expect(await page.getByTestId('email-preview-text').textContent()).toMatch(/3 Jobs?|3 Aufträge|3 /);
    await shot(page, 'email-4-preview');
    expect(pageErrors(page)).toEqual([]);
  });

  it('the scheduled report arrives from its BullMQ job scheduler, in German, with exactly those jobs', async () => {
    const q = await emailQueue();
    const schedulers = (await q.getJobSchedulers(0, -1)).filter((s) => s.key.startsWith(`email.${x.id}.admin`));
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0].pattern).toMatch(/ \d$/); // weekly: a day-of-week field
    // The scheduler's next run is due in about two minutes; promote that very job instead of waiting.
    let next;
    for (let i = 0; i < 50 && !next; i++) {
      next = (await q.getDelayed()).find((j) => j.repeatJobKey === schedulers[0].key);
      if (!next) await new Promise((r) => setTimeout(r, 100));
    }
    expect(next).toBeDefined();
    await next!.promote();
    const m = await sink.waitFor((mail) => mail.envelopeTo.includes(ops) && /Zusammenfassung/.test(mail.mail.subject ?? ''));
    expect(m.mail.subject).toMatch(/^Kunde X Backup: Backup-Zusammenfassung /);
    expect(m.mail.from?.text).toContain('Kunde X Berichte');
    expect(m.mail.html).toBeTruthy();
    expect(m.mail.text).toContain(xUser);
    expect(m.mail.text).toMatch(/3 Jobs|3 Aufträge/);
    // The report's language (German) is the HTML part's language too.
    expect(m.mail.html).toMatch(/<html lang="de(-[A-Z]{2})?">/);

    // The delivery is listed as sent.
    await page.goto(`${base()}/settings/email?org=${x.id}`);
    await expect.poll(() => page.getByTestId('email-delivery-row').filter({ hasText: ops }).filter({ hasText: 'Sent' }).count()).toBeGreaterThanOrEqual(1);
  });

  it('the same search works through get-jobs-for-custom-search (form-encoded, as curl sends it)', async () => {
    const options = await client(admin).ok('/api/v1/admin/meta/email-options/get', { TargetOrganization: x.id });
    const filter = options.EmailReportingOptions[0].EmailReportConfig.Filter;
    const body = new URLSearchParams({ Username: admin.username, AuthType: 'Password', Password: admin.password, Query: JSON.stringify(filter) });
    const res = await fetch(`${base()}/api/v1/admin/get-jobs-for-custom-search`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(res.status).toBe(200);
    const jobs = (await res.json()) as Array<{ GUID: string }>;
    expect(new Set(jobs.map((j) => j.GUID))).toEqual(new Set(failedInX));
  });

  it("a user's reports: the default per address, a preview in the user's language, a custom report, back to the defaults", async () => {
    const address = `${uniq('kunde')}@kunde-x.example`;
    const profile = await x.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: xUser });
    await x.admin.ok('/api/v1/admin/set-user-profile', { TargetUser: xUser, ProfileData: { ...profile, Emails: [address], SendEmailReports: true, LanguageCode: 'fr_FR' } });
    await page.goto(`${base()}/users/${xUser}?tab=reports`);
    const section = page.getByTestId('user-report-address').filter({ hasText: address });
    await expect.poll(() => section.count()).toBe(1);
    expect(await section.textContent()).toContain('Default');
    expect(await section.getByTestId('user-report-row').count()).toBe(1);
    await section.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.getByRole('dialog').getByTestId('email-preview-subject').textContent()).toMatch(/^Kunde X Backup/);
    await page.getByRole('dialog').getByRole('tab', { name: 'Plain text' }).click();
    expect(await page.getByRole('dialog').getByTestId('email-preview-text').textContent()).toContain('Envoyé par Kunde X Backup.');
    await page.keyboard.press('Escape');

    // A weekly summary for this address: the address now has its own list (the default plus the new one).
    await section.getByRole('button', { name: 'Add report' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByLabel('Recipients').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => section.getByTestId('user-report-row').count()).toBe(2);
    expect(await section.textContent()).toContain('Custom for this address');
    const saved = await x.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: xUser });
    expect(saved.OverrideEmailSettings[address].Reports.map((r: { ReportType: number }) => r.ReportType)).toEqual([0, 1]);
    await shot(page, 'email-5-user-reports');

    await section.getByRole('button', { name: 'Use the defaults again' }).click();
    await expect.poll(() => section.getByTestId('user-report-row').count()).toBe(1);
    const back = await x.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: xUser });
    expect(back.OverrideEmailSettings?.[address]).toBeUndefined();
    expect(pageErrors(page)).toEqual([]);
  });

  it('a tenant admin sees its SMTP server read-only and may change only the sender', async () => {
    await (await rootClient()).ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: x.adminName, Permissions: { AllowEditEmailOptions: true } });
    await (await rootClient()).ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: y.adminName, Permissions: { AllowEditEmailOptions: true } });
    const p = await newPage(browser);
    await signIn(p, base(), x.adminName, (x.admin.creds as { password: string }).password);
    await p.goto(`${base()}/settings/email`);
    expect(await p.getByLabel('Delivery').isDisabled()).toBe(true);
    await expect.poll(() => p.getByText('Only a top-level administrator can change the SMTP server.').count()).toBe(1);
    await p.getByLabel('From name').fill('Kunde X IT');
    await p.getByRole('button', { name: 'Save email settings' }).click();
    await expect.poll(() => p.getByRole('status').filter({ hasText: 'Email settings saved.' }).count()).toBe(1);
    const stored = await x.admin.ok('/api/v1/admin/meta/email-options/get');
    expect(stored).toMatchObject({ FromName: 'Kunde X IT', Mode: 'smtp', SMTPHost: '127.0.0.1' });
    expect(stored.EmailReportingOptions).toHaveLength(1);
    // Tenant Y's admin sees none of X's reports or deliveries.
    const q = await newPage(browser);
    await signIn(q, base(), y.adminName, (y.admin.creds as { password: string }).password);
    await q.goto(`${base()}/settings/email`);
    expect(await q.getByTestId('email-report-row').count()).toBe(0);
    expect(await q.getByTestId('email-delivery-row').count()).toBe(0);
    await shot(p, 'email-6-tenant-admin');
    await p.context().close();
    await q.context().close();
  });

  it('a test send the SMTP server refuses shows the server answer and is listed as failed', async () => {
    const bad = `${uniq('bounce')}@msp.example`;
    sink.failNext(bad, 100);
    await page.goto(`${base()}/settings/email?org=${x.id}`);
    await page.getByRole('button', { name: 'Add report' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Recipients').fill(bad);
    await dialog.getByRole('button', { name: 'Send test now' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/Sending to .* failed/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByLabel('Status').selectOption('failed');
    await page.waitForURL(/status=failed/);
    const failedRow = page.getByTestId('email-delivery-row').filter({ hasText: bad });
    await expect.poll(() => failedRow.count()).toBe(1);
    expect(await failedRow.textContent()).toContain('Failed');
    expect(await failedRow.textContent()).toMatch(/451/);
    await shot(page, 'email-7-failed');
  });
});
