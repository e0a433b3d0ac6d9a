// Email reports end to end against the real server and workers, with a real SMTP sink on 127.0.0.1:
// options get/set (sealed password, never returned, tenant rules), an immediate failure report in the
// recipient's language with the tenant's branding, the outbox trigger, retries after SMTP failures,
// idempotency, a scheduled summary fired by a real BullMQ job scheduler, previews and test sends; the
// outbound guard on SMTP hosts (switch off: loopback refused on save and on send) and the time bounds of
// a send (a server that drops every connection, one that never speaks).
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, db } from '../../lib/db/client';
import { closeEmailQueue, emailQueue, jobIdFor, onJobCompleted } from '../../lib/email/queue';
import { adminReports } from '../../lib/email/report-sources';
import { runImmediateReports, runPeriodReport } from '../../lib/email/run-reports';
import { client, makeTenant, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { jobDetail, nowSeconds, seedJobs } from '../helpers/jobs';
import { waitFor } from '../helpers/wait';
import { sampleProfile } from '../helpers/sample-profile';
import { allowPrivateTargets } from '../helpers/private-targets';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import type { CometClient } from '../helpers/comet-client';

const SMTP_USER = 'halley-smtp';
const SMTP_PASSWORD = `smtp-secret-${randomUUID()}`;
const FAILED_ONLY = { ClauseType: '', RuleField: 'Halley.IsFailed', RuleOperator: 'bool_is', RuleValue: 'true' };

let sink: SmtpSink;
let root: CometClient;
let t: TenantFixture;
let other: TenantFixture;
let mailAdmin: CometClient;
let deUser: string;
const deMail = `${uniq('de')}@kunde.example`;
const retryMail = `${uniq('retry')}@kunde.example`;

function smtpOptions(extra: Record<string, unknown> = {}) {
  return { Mode: 'smtp', SMTPHost: '127.0.0.1', SMTPPort: sink.port, SMTPUsername: SMTP_USER, SMTPPassword: SMTP_PASSWORD, SMTPAllowUnencrypted: true, FromEmail: 'reports@acme.example', FromName: 'Acme Reports', ...extra };
}

async function sql<T = any>(text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    return (await c.query(text, values)).rows as T[];
  } finally {
    await c.end();
  }
}

async function waitJobDone(jobId: string): Promise<void> {
  const q = await emailQueue();
  const state = await waitFor(`job-completed ${jobId} to finish`, async () => {
    const now = await q.getJobState(jobIdFor('job-completed', jobId));
    return now === 'completed' || now === 'failed' ? now : undefined;
  });
  if (state === 'failed') throw new Error(`job-completed ${jobId} failed`);
}

const to = (m: { envelopeTo: string[] }, addr: string) => m.envelopeTo.includes(addr);

let restorePrivateTargets: (() => Promise<void>) | undefined;

beforeAll(async () => {
  // The SMTP sink listens on 127.0.0.1, which the outbound guard refuses unless private targets are allowed.
  restorePrivateTargets = await allowPrivateTargets(true);
  sink = await startSmtpSink({ credentials: { username: SMTP_USER, password: SMTP_PASSWORD } });
  root = await rootClient();
  t = await makeTenant('mail');
  other = await makeTenant('mail-other');
  await root.ok('/api/v1/admin/organization/set', {
    OrganizationID: t.id,
    Organization: { Name: t.name, Hosts: [], Branding: { BrandName: 'Acme Backup', ProductName: 'Acme Vault', CompanyName: 'Acme IT GmbH', TopColor: '#123456', AccentColor: '#abcdef' } },
  });
  // A tenant admin allowed to edit email options (AllowEditEmailOptions).
  const name = uniq('mail-editor');
  await root.ok('/api/v1/admin/admin-user/new', { TargetUser: name, TargetPassword: 'editor-pw-1', TargetOrgID: t.id });
  await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: name, Permissions: { AllowEditEmailOptions: true } });
  mailAdmin = client({ username: name, password: 'editor-pw-1' });

  // A German-speaking user: immediate reports for failed jobs only (OverrideEmailSettings).
  deUser = uniq('de-user');
  const profile = sampleProfile(deUser);
  profile.LanguageCode = 'de_DE';
  profile.LocalTimezone = 'Europe/Berlin';
  profile.AccountName = 'Müller & Söhne';
  profile.Emails = [deMail];
  profile.SendEmailReports = true;
  profile.OverrideEmailSettings = { [deMail]: { Reports: [{ ReportType: 0, SummaryFrequency: [], Filter: FAILED_ONLY }] } };
  profile.Devices['dev-1'].FriendlyName = 'Büro-PC';
  profile.Sources['item-files'].Description = 'Dokumente';
  await t.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: deUser, ProfileData: profile });
});

afterAll(async () => {
  await root?.call('/api/v1/admin/meta/email-options/set', { EmailOptions: {} });
  await restorePrivateTargets?.();
  await sink?.close();
  await closeEmailQueue();
  await closeDb();
});

describe('email options', () => {
  it('a top-level admin sets a tenant SMTP server; the password is sealed and never returned', async () => {
    await root.ok('/api/v1/admin/meta/email-options/set', { TargetOrganization: t.id, EmailOptions: smtpOptions() });
    const got = await root.ok('/api/v1/admin/meta/email-options/get', { TargetOrganization: t.id });
    expect(got).toMatchObject({ FromEmail: 'reports@acme.example', FromName: 'Acme Reports', Mode: 'smtp', SMTPHost: '127.0.0.1', SMTPPort: sink.port, SMTPUsername: SMTP_USER, SMTPAllowUnencrypted: true });
    expect(got.SMTPPassword ?? '').toBe('');
    const org = (await root.ok('/api/v1/admin/organization/list'))[t.id];
    expect(JSON.stringify(org)).not.toContain(SMTP_PASSWORD);
    const [row] = await sql('SELECT data::text AS data, secrets FROM "Tenant" WHERE id = $1', [t.id]);
    expect(row.data).not.toContain(SMTP_PASSWORD);
    expect(row.secrets).toMatch(/^v1:/);
    expect(row.secrets).not.toContain(SMTP_PASSWORD);
  });

  it('a tenant admin with AllowEditEmailOptions changes From fields (stored password kept) but not the SMTP server', async () => {
    const mine = await mailAdmin.ok('/api/v1/admin/meta/email-options/get');
    expect(mine.SMTPPassword ?? '').toBe('');
    await mailAdmin.ok('/api/v1/admin/meta/email-options/set', { EmailOptions: { ...mine, FromName: 'Acme Backup Reports' } });
    expect((await mailAdmin.ok('/api/v1/admin/meta/email-options/get')).FromName).toBe('Acme Backup Reports');
    const host = await mailAdmin.fails('/api/v1/admin/meta/email-options/set', { EmailOptions: { ...mine, SMTPHost: 'smtp.evil.example' } });
    expect(host.Status).toBe(403);
    const pw = await mailAdmin.fails('/api/v1/admin/meta/email-options/set', { EmailOptions: { ...mine, SMTPPassword: 'guess' } });
    expect(pw.Status).toBe(403);
    // Without the permission, a tenant admin can't read or write the options at all.
    expect((await t.admin.fails('/api/v1/admin/meta/email-options/get')).Status).toBe(403);
    // The stored password still works: a test email through the tenant's own SMTP server.
    await mailAdmin.ok('/api/v1/admin/meta/send-test-email', { EmailOptions: { ...mine, FromName: 'Acme Backup Reports' }, Recipient: 'tenant-test@acme.example' });
    const m = await sink.waitFor((x) => to(x, 'tenant-test@acme.example'));
    expect(m.mail.from?.text).toBe('"Acme Backup Reports" <reports@acme.example>');
    expect(m.mail.subject).toBe('Acme Backup: test email');
  });

  it('options are per tenant: another tenant sees its own, and cannot target this one', async () => {
    await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: other.adminName, Permissions: { AllowEditEmailOptions: true } });
    const theirs = await other.admin.ok('/api/v1/admin/meta/email-options/get');
    expect(theirs.FromEmail).toBe('');
    expect(JSON.stringify(theirs)).not.toContain('127.0.0.1');
    expect((await other.admin.fails('/api/v1/admin/meta/email-options/get', { TargetOrganization: t.id })).Status).toBe(403);
    const deliveries = await other.admin.ok('/api/v1/admin/meta/email-deliveries');
    expect(JSON.stringify(deliveries)).not.toContain('acme.example');
  });

  it('refuses bad options with clear messages', async () => {
    expect((await root.fails('/api/v1/admin/meta/email-options/set', { TargetOrganization: t.id, EmailOptions: { Mode: 'carrier-pigeon' } })).Message).toMatch(/EmailDeliveryType/);
    expect((await root.fails('/api/v1/admin/meta/email-options/set', { TargetOrganization: t.id, EmailOptions: { Mode: 'builtin' } })).Message).toMatch(/not supported/);
    const badFilter = { ...smtpOptions(), EmailReportingOptions: [{ EmailReportConfig: { ReportType: 1, SummaryFrequency: [{ FrequencyType: 8011, SecondsPast: 0 }], Filter: { RuleField: 'Nope', RuleOperator: 'str_eq', RuleValue: 'x' } }, LanguageCode: 'en_US', LocalTimezone: 'UTC', Recipients: ['a@b.example'] }] };
    expect((await root.fails('/api/v1/admin/meta/email-options/set', { TargetOrganization: t.id, EmailOptions: badFilter })).Message).toMatch(/Filter/);
  });

  it('a tenant in inherit mode sends through the server SMTP server', async () => {
    await root.ok('/api/v1/admin/meta/email-options/set', { EmailOptions: smtpOptions({ FromEmail: 'noreply@halley.example', FromName: 'Halley' }) });
    expect((await root.ok('/api/v1/admin/meta/email-options/get')).SMTPPassword ?? '').toBe('');
    await other.admin.ok('/api/v1/admin/meta/send-test-email', { EmailOptions: { Mode: '', FromEmail: '', FromName: '' }, Recipient: 'inherit@other.example' });
    const m = await sink.waitFor((x) => to(x, 'inherit@other.example'));
    expect(m.mail.from?.value[0].address).toBe('noreply@halley.example');
  });
});

describe('immediate reports', () => {
  it('a failed job mails its report in the recipient language with the tenant branding; a successful one does not', async () => {
    const ok = jobDetail(deUser, { Status: 5000 });
    const failed = jobDetail(deUser, { Status: 7002, DeviceID: 'dev-1', SourceGUID: 'item-files' });
    await seedJobs([ok, failed], { [failed.GUID]: [{ Time: failed.StartTime + 5, Severity: 'E', Message: 'Zugriff verweigert: C:\\Users\\x.pst' }] });
    await onJobCompleted(ok.GUID, t.id);
    await onJobCompleted(failed.GUID, t.id);
    const m = await sink.waitFor((x) => to(x, deMail));
    expect(m.envelopeTo).toEqual([deMail]);
    expect(m.mail.subject).toBe('Acme Backup: Fehler – Büro-PC / Dokumente');
    expect(m.mail.from?.text).toBe('"Acme Backup Reports" <reports@acme.example>');
    expect(m.mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(m.mail.headers.get('x-halley-report')).toMatch(/^user:/);
    expect(m.mail.html).toContain('lang="de"');
    expect(m.mail.html).toContain('background:#123456');
    expect(m.mail.html).toContain('Zugriff verweigert');
    expect(m.mail.html).toContain('Müller &amp; Söhne');
    expect(m.mail.text).toContain('Gerät: Büro-PC');
    expect(m.mail.text).toContain('Geschütztes Element: Dokumente');
    expect(m.mail.text).toContain('Gesendet von Acme IT GmbH mit Acme Vault.');
    await waitJobDone(ok.GUID);
    await waitJobDone(failed.GUID);
    const rows = await sql('SELECT recipient, occurrence FROM "EmailDelivery" WHERE "reportKey" LIKE $1 AND recipient = $2', [`user:%`, deMail]);
    expect(rows.map((r) => r.occurrence)).toEqual([`job:${failed.GUID}`]);
  });

  it('nothing is sent twice for one job: a second run creates no delivery', async () => {
    const failed = jobDetail(deUser, { Status: 7003 });
    await seedJobs([failed]);
    await onJobCompleted(failed.GUID, t.id);
    await sink.waitFor((x) => to(x, deMail) && (x.mail.subject ?? '').includes('Kontingent überschritten'));
    await waitJobDone(failed.GUID);
    expect(await runImmediateReports({ jobId: failed.GUID })).toEqual({ deliveries: 0 });
    const rows = await sql('SELECT count(*)::int AS n FROM "EmailDelivery" WHERE occurrence = $1 AND recipient = $2', [`job:${failed.GUID}`, deMail]);
    expect(rows[0].n).toBe(1);
  });

  it('a SEVT_JOB_COMPLETED event in the outbox triggers the report', async () => {
    await waitFor('the email outbox cursor', async () => (await sql(`SELECT 1 FROM "ServerSetting" WHERE key = 'email.outbox-cursor'`))[0], 25_000, 200);
    const failed = jobDetail(deUser, { Status: 7000 });
    await seedJobs([failed]);
    await sql(`INSERT INTO "Event" ("tenantId", type, actor, "resourceId", data, timestamp) VALUES ($1, 4201, 'device', $2, $3, $4)`, [t.id, failed.GUID, JSON.stringify({ JobID: failed.GUID }), nowSeconds()]);
    const m = await sink.waitFor((x) => to(x, deMail) && (x.mail.subject ?? '').includes('Zeitüberschreitung'));
    expect(m.mail.text).toContain(deUser);
  });

  it("admin immediate reports: a tenant's cover its own jobs, the server's cover every tenant's", async () => {
    const opsTenant = `${uniq('ops-t')}@acme.example`;
    const opsServer = `${uniq('ops-s')}@halley.example`;
    const mine = uniq('t-user');
    const theirs = uniq('o-user');
    await t.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: mine, ProfileData: { ...sampleProfile(mine), SendEmailReports: false } });
    await other.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: theirs, ProfileData: { ...sampleProfile(theirs), SendEmailReports: false } });
    const immediate = (users: string[], to: string) => ({
      EmailReportConfig: { ReportType: 0, SummaryFrequency: [], Filter: { ClauseType: 'or', ClauseChildren: users.map((u) => ({ ClauseType: '', RuleField: 'BackupJobDetail.Username', RuleOperator: 'str_eq', RuleValue: u })) } },
      LanguageCode: 'en_US',
      LocalTimezone: 'UTC',
      Recipients: [to],
    });
    const tenantOptions = await mailAdmin.ok('/api/v1/admin/meta/email-options/get');
    const serverOptions = await root.ok('/api/v1/admin/meta/email-options/get');
    // The tenant's report names both users, but only sees its own tenant's jobs.
    await mailAdmin.ok('/api/v1/admin/meta/email-options/set', { EmailOptions: { ...tenantOptions, EmailReportingOptions: [immediate([mine, theirs], opsTenant)] } });
    await root.ok('/api/v1/admin/meta/email-options/set', { EmailOptions: { ...serverOptions, EmailReportingOptions: [immediate([theirs], opsServer)] } });
    try {
      const a = jobDetail(mine, { Status: 7002 });
      const b = jobDetail(theirs, { Status: 7002 });
      await seedJobs([a, b]);
      await onJobCompleted(a.GUID, t.id);
      await onJobCompleted(b.GUID, other.id);
      const toTenant = await sink.waitFor((x) => to(x, opsTenant));
      expect(toTenant.mail.text).toContain(mine);
      expect(toTenant.mail.headers.get('x-halley-report')).toBe(`admin:${t.id}:0`);
      const toServer = await sink.waitFor((x) => to(x, opsServer));
      expect(toServer.mail.text).toContain(theirs);
      expect(toServer.mail.headers.get('x-halley-report')).toMatch(/^admin:/);
      await waitJobDone(a.GUID);
      await waitJobDone(b.GUID);
      expect(sink.messages.filter((x) => to(x, opsTenant))).toHaveLength(1);
      expect(sink.messages.filter((x) => to(x, opsServer))).toHaveLength(1);
    } finally {
      await mailAdmin.ok('/api/v1/admin/meta/email-options/set', { EmailOptions: { ...tenantOptions, EmailReportingOptions: [] } });
      await root.ok('/api/v1/admin/meta/email-options/set', { EmailOptions: { ...serverOptions, EmailReportingOptions: [] } });
    }
  });

  it('a failed send is retried with backoff, visible meanwhile, and delivered once', async () => {
    // A second German user with Halley's default report (every job, immediately).
    const retryUser = uniq('retry-user');
    const profile = sampleProfile(retryUser);
    Object.assign(profile, { LanguageCode: 'de_DE', Emails: [retryMail], SendEmailReports: true, OverrideEmailSettings: {} });
    await t.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: retryUser, ProfileData: profile });
    sink.failNext(retryMail, 2);
    const job = jobDetail(retryUser, { Status: 5000 });
    await seedJobs([job]);
    await onJobCompleted(job.GUID, t.id);
    const retryErrors: string[] = [];
    const d = await waitFor('the delivery to be sent after two failures', async () => {
      const list = await mailAdmin.ok('/api/v1/admin/meta/email-deliveries', { Limit: 50 });
      const row = list.Deliveries.find((x: any) => x.Recipient === retryMail && x.Occurrence === `job:${job.GUID}`);
      if (row?.DeliveryStatus === 'retrying') retryErrors.push(row.LastError);
      return row?.DeliveryStatus === 'sent' ? row : undefined;
    });
    expect(d.Attempts).toBe(3);
    expect(d.Subject).toBe('Acme Backup: Erfolgreich – OFFICE-PC / Documents');
    expect(retryErrors.length).toBeGreaterThan(0);
    for (const e of retryErrors) expect(e).toMatch(/try again later/);
    const got = await sink.waitFor((x) => to(x, retryMail));
    expect(got.mail.subject).toBe('Acme Backup: Erfolgreich – OFFICE-PC / Documents');
    expect(sink.messages.filter((x) => to(x, retryMail))).toHaveLength(1);
    const [row] = await sql('SELECT count(*)::int AS n FROM "EmailDelivery" WHERE occurrence = $1 AND recipient = $2', [`job:${job.GUID}`, retryMail]);
    expect(row.n).toBe(1);
  }, 60_000);

  it('a send the SMTP server keeps refusing is marked failed after six attempts, with the server answer', async () => {
    const bounceMail = `${uniq('bounce')}@kunde.example`;
    const bounceUser = uniq('bounce-user');
    const profile = sampleProfile(bounceUser);
    Object.assign(profile, { Emails: [bounceMail], SendEmailReports: true, OverrideEmailSettings: {} });
    await t.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: bounceUser, ProfileData: profile });
    sink.failNext(bounceMail, 1000);
    const job = jobDetail(bounceUser, { Status: 7002 });
    await seedJobs([job]);
    await onJobCompleted(job.GUID, t.id);
    // The report job's own attempt, then a send job backing off 2, 4, 8, 16 s: about 30 s in all.
    const d = await waitFor(
      'the delivery to fail for good',
      async () => {
        const list = await mailAdmin.ok('/api/v1/admin/meta/email-deliveries', { Limit: 100 });
        const row = list.Deliveries.find((x: any) => x.Recipient === bounceMail);
        return row?.DeliveryStatus === 'failed' ? row : undefined;
      },
      75_000,
      250,
    );
    expect(d.Attempts).toBe(6);
    expect(d.LastError).toMatch(/451/);
    expect(sink.messages.filter((x) => to(x, bounceMail))).toHaveLength(0);
    // The failed list shows it; another tenant's admin does not see it.
    const failed = await mailAdmin.ok('/api/v1/admin/meta/email-deliveries', { DeliveryStatus: 'failed' });
    expect(failed.Deliveries.some((x: any) => x.ID === d.ID)).toBe(true);
    const theirs = await other.admin.ok('/api/v1/admin/meta/email-deliveries', { Limit: 1000 });
    expect(theirs.Deliveries.some((x: any) => x.ID === d.ID)).toBe(false);
  }, 90_000);
});

describe('scheduled reports', () => {
  it('a daily summary fires from its BullMQ job scheduler, in French and the report time zone; once per period', async () => {
    const ops = `${uniq('ops')}@acme.example`;
    const summaryUser = uniq('summary-user');
    await t.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: summaryUser, ProfileData: { ...sampleProfile(summaryUser), SendEmailReports: false } });
    const start = nowSeconds() - 2 * 3600;
    await seedJobs([
      jobDetail(summaryUser, { Status: 7002, StartTime: start, EndTime: start + 60 }),
      jobDetail(summaryUser, { Status: 7001, StartTime: start + 100, EndTime: start + 160 }),
      jobDetail(summaryUser, { Status: 5000, StartTime: start + 200, EndTime: start + 260 }),
      jobDetail(summaryUser, { Status: 7002, StartTime: start - 3 * 86_400, EndTime: start - 3 * 86_400 + 60 }),
    ]);
    // A daily schedule a few seconds from now, expressed in Paris time.
    const due = new Date(Date.now() + 5000);
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour12: false, hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(due).map((p) => [p.type, p.value]));
    const secondsPast = (Number(parts.hour) % 24) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
    const report = {
      EmailReportConfig: {
        ReportType: 1,
        SummaryFrequency: [{ FrequencyType: 8011, SecondsPast: secondsPast }],
        Filter: { ClauseType: 'and', ClauseChildren: [FAILED_ONLY, { ClauseType: '', RuleField: 'BackupJobDetail.Username', RuleOperator: 'str_eq', RuleValue: summaryUser }] },
      },
      LanguageCode: 'fr_FR',
      LocalTimezone: 'Europe/Paris',
      Recipients: [ops],
    };
    const mine = await mailAdmin.ok('/api/v1/admin/meta/email-options/get');
    await mailAdmin.ok('/api/v1/admin/meta/email-options/set', { EmailOptions: { ...mine, EmailReportingOptions: [report] } });
    const schedulers = (await (await emailQueue()).getJobSchedulers(0, -1)).filter((s) => s.key.startsWith(`email.${t.id}.admin`));
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0].tz).toBe('Europe/Paris');

    const m = await sink.waitFor((x) => to(x, ops));
    expect(m.mail.subject).toMatch(/^Acme Backup : résumé des sauvegardes /);
    expect(m.mail.html).toContain('Résumé des sauvegardes');
    expect(m.mail.text).toContain('(Europe/Paris)');
    expect(m.mail.text).toMatch(/2 tâches : 0 réussies, 1 avec avertissements, 1 en échec, 0 en cours/);
    expect(m.mail.text).toContain('OFFICE-PC');
    expect(m.mail.headers.get('x-halley-report')).toBe(`admin:${t.id}:0`);

    // Once per period: running the same period again sends nothing.
    const [row] = await sql('SELECT occurrence FROM "EmailDelivery" WHERE recipient = $1', [ops]);
    const [, a, b] = /^period:(\d+)-(\d+)$/.exec(row.occurrence)!;
    expect(Number(b) - Number(a)).toBe(86_400);
    const spec = (await adminReports(t.id))[0];
    expect(await runPeriodReport(spec, { start: Number(a), end: Number(b) })).toBe(0);

    // Removing the report removes its scheduler.
    await mailAdmin.ok('/api/v1/admin/meta/email-options/set', { EmailOptions: { ...mine, EmailReportingOptions: [] } });
    expect((await (await emailQueue()).getJobSchedulers(0, -1)).filter((s) => s.key.startsWith(`email.${t.id}.`))).toHaveLength(0);
  }, 60_000);
});

describe('previews and test sends', () => {
  it('preview-user-email-report renders HTML and text in the user language; a foreign user looks missing', async () => {
    const p = await t.admin.ok('/api/v1/admin/preview-user-email-report', { TargetUser: deUser, EmailReportConfig: { ReportType: 3, SummaryFrequency: [], TimeSpan: { FrequencyType: 0, Seconds: 7 * 86_400 }, Filter: {} } });
    expect(p.Status).toBe(200);
    expect(p.To).toEqual([deMail]);
    expect(p.From).toBe('"Acme Backup Reports" <reports@acme.example>');
    expect(p.EmailSubject).toMatch(/^Acme Backup: Aktuelle Backup-Aktivität/);
    expect(p.EmailBodyHTML).toContain('Büro-PC');
    expect(p.EmailBodyPlaintext).toContain('Aufträge');
    const foreign = await other.admin.fails('/api/v1/admin/preview-user-email-report', { TargetUser: deUser, EmailReportConfig: { ReportType: 1, SummaryFrequency: [], Filter: {} } });
    const missing = await other.admin.fails('/api/v1/admin/preview-user-email-report', { TargetUser: 'no-such-user-x', EmailReportConfig: { ReportType: 1, SummaryFrequency: [], Filter: {} } });
    expect(foreign.Status).toBe(400);
    expect(foreign.Message.replace(deUser, 'X')).toBe(missing.Message.replace('no-such-user-x', 'X'));
  });

  it('Halley preview of an admin report, and send-test-report to its recipients', async () => {
    // A day's span: the report then covers the jobs seeded an hour ago whatever the time of day (with only the
    // daily 01:00 schedule, a run between 01:00 and 02:00 Amsterdam time covered minutes and saw none).
    const option = { EmailReportConfig: { ReportType: 2, SummaryFrequency: [{ FrequencyType: 8011, SecondsPast: 3600 }], TimeSpan: { FrequencyType: 0, Seconds: 86_400 }, Filter: {} }, LanguageCode: 'nl_NL', LocalTimezone: 'Europe/Amsterdam', Recipients: ['noc@acme.example'] };
    const p = await mailAdmin.ok('/api/v1/admin/meta/email-report/preview', { EmailReportingOption: option });
    expect(p.EmailSubject).toMatch(/^Acme Backup: back-upstatus per apparaat/);
    expect(p.EmailBodyHTML).toContain('Büro-PC');
    expect(p.EmailBodyPlaintext).toContain('Apparaat');
    await mailAdmin.ok('/api/v1/admin/meta/send-test-report', { EmailReportingOption: option });
    const m = await sink.waitFor((x) => to(x, 'noc@acme.example'));
    expect(m.mail.subject).toBe(p.EmailSubject);
  });

  it('send-test-email by a top-level admin uses the supplied settings; SMTP errors are reported', async () => {
    await root.ok('/api/v1/admin/meta/send-test-email', { EmailOptions: smtpOptions({ FromEmail: 'root@halley.example' }), Recipient: 'root-test@halley.example' });
    const m = await sink.waitFor((x) => to(x, 'root-test@halley.example'));
    expect(m.envelopeFrom).toBe('root@halley.example');
    const bad = await root.fails('/api/v1/admin/meta/send-test-email', { EmailOptions: smtpOptions({ SMTPPassword: 'wrong' }), Recipient: 'x@halley.example' });
    expect(bad.Status).toBe(400);
    expect(bad.Message).toMatch(/Invalid username or password|auth/i);
  });
});

/** A TCP server on 127.0.0.1 that accepts connections and either destroys them at once or never speaks. */
async function badSmtpServer(behaviour: 'drop' | 'silent'): Promise<{ port: number; accepted: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    socket.on('error', () => undefined);
    if (behaviour === 'drop') return socket.destroy();
    sockets.add(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('outbound guard and time limits of SMTP', () => {
  it('with private targets not allowed, a loopback SMTP host is refused on save and on a test send', async () => {
    const restore = await allowPrivateTargets(false);
    try {
      const before = sink.messages.length;
      for (const SMTPHost of ['127.0.0.1', 'localhost', '[::ffff:0:127.0.0.1]', '0x7f.1']) {
        const saved = await root.fails('/api/v1/admin/meta/email-options/set', { EmailOptions: smtpOptions({ SMTPHost }) });
        expect(saved.Status, SMTPHost).toBe(400);
        expect(saved.Message, SMTPHost).toMatch(/EmailOptions\.SMTPHost refused: Refused SMTP server .*(loopback|embeds)/);
      }
      const org = await root.fails('/api/v1/admin/organization/set', { OrganizationID: other.id, Organization: { Name: other.name, Email: smtpOptions() } });
      expect(org).toMatchObject({ Status: 400, Message: expect.stringMatching(/Organization\.Email\.SMTPHost refused/) });
      const sent = await root.fails('/api/v1/admin/meta/send-test-email', { EmailOptions: smtpOptions({ FromEmail: 'root@halley.example' }), Recipient: 'guarded@halley.example' });
      expect(sent.Status).toBe(400);
      expect(sent.Message).toMatch(/Refused SMTP server 127\.0\.0\.1: .*loopback/);
      expect(sink.messages.length).toBe(before);
    } finally {
      await restore();
    }
    // With the switch back on, the same host is accepted again.
    await root.ok('/api/v1/admin/meta/send-test-email', { EmailOptions: smtpOptions({ FromEmail: 'root@halley.example' }), Recipient: 'guarded-ok@halley.example' });
    await sink.waitFor((x) => to(x, 'guarded-ok@halley.example'));
  });

  it('a server that accepts and drops every connection: the test send answers quickly with a clear 400', async () => {
    const bad = await badSmtpServer('drop');
    try {
      const started = Date.now();
      const r = await root.fails('/api/v1/admin/meta/send-test-email', { EmailOptions: smtpOptions({ SMTPPort: bad.port }), Recipient: 'dropped@halley.example' });
      const elapsed = Date.now() - started;
      expect(r.Status).toBe(400);
      expect(r.Message).toMatch(new RegExp(`SMTP server 127\\.0\\.0\\.1:${bad.port} closed the connection`));
      expect(elapsed).toBeLessThan(15_000);
      // Re-queued at most once: no reconnect loop.
      expect(bad.accepted()).toBeLessThanOrEqual(2);
    } finally {
      await bad.close();
    }
  });

  it('a server that accepts and never speaks: the test send answers within the greeting bound', async () => {
    const bad = await badSmtpServer('silent');
    try {
      const started = Date.now();
      const r = await root.fails('/api/v1/admin/meta/send-test-email', { EmailOptions: smtpOptions({ SMTPPort: bad.port }), Recipient: 'silent@halley.example' });
      const elapsed = Date.now() - started;
      expect(r.Status).toBe(400);
      expect(r.Message).toMatch(new RegExp(`SMTP server 127\\.0\\.0\\.1:${bad.port} did not answer within \\d+ s`));
      expect(elapsed).toBeLessThan(25_000);
    } finally {
      await bad.close();
    }
  }, 45_000);
});
