// Previews and test sends: preview-user-email-report, send-test-report, send-test-email, and Halley's
// preview of any admin report (admin/meta/email-report/preview). Previews render what the report would
// contain if it ran now; test sends go out synchronously so the caller sees the SMTP server's answer,
// and are logged as deliveries ("test:<uuid>").
import { randomUUID } from 'node:crypto';
import { db } from '../db/client';
import { AppError, BadRequestError, ForbiddenError } from '../errors';
import type { AdminActor } from '../tenancy/actor';
import { accountRowsScope, targetTenant, tenantWhere } from '../tenancy/scope';
import { userNotFound } from '../users/find-account';
import { Prisma } from '../generated/prisma/client';
import { storedMessage } from '../i18n/stored-message';
import { sendFailureReason } from './deliveries';
import { collectLatestImmediate, collectPeriod, loadBranding } from './collect-report';
import { deliveryFrom, type DeliverySettings } from './delivery-from';
import { isEmailAddress } from './is-email-address';
import { resolveDelivery } from './resolve-delivery';
import { storedEmailOptions } from './stored-email-options';
import { validateReportConfig } from './validate-report-config';
import { validateReportingOption } from './validate-reporting-option';
import { renderEmail, type ReportContent } from './render';
import { ACCOUNT_REPORT_SELECT, adminScope, type ReportSpec } from './report-sources';
import { DeliveryMode, ReportType, type EmailOptions, type EmailReportConfig, type EmailReportingOption } from './report-types';
import { periodFor, scheduleToRepeat } from './schedule';
import { assertSendable, formatFrom, sendEmail, smtpFailureMessage } from './transport';
import { TOP_LEVEL_TENANT_ID } from '../tenancy/actor';
import { type ApiMessage, apiMessage } from '../i18n/api-messages';

/** A test send the SMTP server did not take (unreachable, closed, timed out, refused AUTH…): the caller's settings are at fault. */
class EmailSendError extends AppError {
  constructor(message: string | ApiMessage) {
    super(400, message);
  }
}

const DAY = 86_400;

/** What the report would contain if it ran at `nowMs`. */
async function previewContent(spec: ReportSpec, nowMs = Date.now()): Promise<ReportContent> {
  const type = spec.config.ReportType ?? ReportType.IMMEDIATE;
  if (type === ReportType.IMMEDIATE) return collectLatestImmediate({ scope: spec.scope, filter: spec.config.Filter });
  const first = (spec.config.SummaryFrequency ?? [])[0];
  const repeat = first ? scheduleToRepeat(first, spec.timeZone) : null;
  const span = spec.config.TimeSpan?.Seconds;
  const period = repeat ? periodFor(repeat, nowMs, span) : { start: Math.floor(nowMs / 1000) - (span && span > 0 ? span : DAY), end: Math.floor(nowMs / 1000) };
  return collectPeriod({ scope: spec.scope, filter: spec.config.Filter, reportType: type, period, now: period.end });
}

function fromOrEmpty(settings: DeliverySettings): string {
  try {
    return formatFrom(settings);
  } catch {
    return '';
  }
}

async function preview(spec: ReportSpec, recipient: string) {
  const [content, branding, settings] = await Promise.all([previewContent(spec), loadBranding(spec.tenantId), resolveDelivery(spec.tenantId)]);
  const r = renderEmail({ content, languageCode: spec.languageCode, timeZone: spec.timeZone, branding, recipient, accountLabel: spec.accountLabel });
  return { Status: 200, Message: 'OK', From: fromOrEmpty(settings), To: recipient ? [recipient] : [], EmailSubject: r.subject, EmailBodyHTML: r.html, EmailBodyPlaintext: r.text };
}

/** AdminPreviewUserEmailReport: the report rendered for one of the user's addresses (or EmailAddress). */
export async function previewUserEmailReport(opts: { actor: AdminActor; username: string; config: EmailReportConfig; emailAddress?: string }) {
  const account = await db().account.findFirst({ where: { username: opts.username, ...tenantWhere(opts.actor) }, select: ACCOUNT_REPORT_SELECT });
  if (!account) throw userNotFound(opts.username);
  validateReportConfig(opts.config, account.localTimezone, 'EmailReportConfig');
  const recipient = opts.emailAddress || account.emails[0] || '';
  return preview(
    {
      key: 'preview',
      source: 'user',
      tenantId: account.tenantId,
      accountId: account.id,
      scope: accountRowsScope(account),
      config: opts.config,
      recipients: recipient ? [recipient] : [],
      languageCode: account.languageCode,
      timeZone: account.localTimezone,
      accountLabel: account.accountName ? `${account.accountName} (${account.username})` : account.username,
    },
    recipient,
  );
}

async function adminSpec(actor: AdminActor, option: EmailReportingOption, targetOrganization: string | undefined, key: string): Promise<ReportSpec> {
  validateReportingOption(option, 'EmailReportingOption');
  const tenantId = await targetTenant(actor, targetOrganization);
  return {
    key,
    source: 'admin',
    tenantId,
    scope: adminScope(tenantId),
    config: option.EmailReportConfig ?? {},
    recipients: [...new Set(option.Recipients ?? [])],
    languageCode: option.LanguageCode ?? '',
    timeZone: option.LocalTimezone ?? '',
  };
}

/** Halley extension: preview an admin report (EmailReportingOption) of the caller's organization. */
export async function previewAdminReport(opts: { actor: AdminActor; option: EmailReportingOption; targetOrganization?: string }) {
  const spec = await adminSpec(opts.actor, opts.option, opts.targetOrganization, 'preview');
  return preview(spec, spec.recipients[0] ?? '');
}

async function sendLogged(opts: { spec: ReportSpec; settings: DeliverySettings; recipient: string; reportType: number; subject: string; html: string; text: string; locale: string }) {
  // A refused configuration is answered without a trace; only an attempted send is logged.
  assertSendable(opts.settings);
  const row = await db().emailDelivery.create({
    data: {
      tenantId: opts.spec.tenantId,
      reportKey: opts.spec.key,
      reportType: opts.reportType,
      recipient: opts.recipient,
      occurrence: 'test',
      subject: opts.subject,
      bodyHtml: opts.html,
      bodyText: opts.text,
      languageCode: opts.locale,
    },
    select: { id: true },
  });
  try {
    const info = await sendEmail(opts.settings, { to: opts.recipient, subject: opts.subject, html: opts.html, text: opts.text, messageId: `${row.id}@halley` });
    // tenancy: derived — the delivery row this function just created in the target tenant
    await db().emailDelivery.update({ where: { id: row.id }, data: { status: 'sent', attempts: 1, sentAt: new Date(), messageId: info.messageId, fromAddress: formatFrom(opts.settings) } });
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
    // tenancy: derived — the delivery row this function just created in the target tenant
    await db().emailDelivery.update({ where: { id: row.id }, data: { status: 'failed', attempts: 1, lastError: message, lastErrorMessage: storedMessage([sendFailureReason(err)]) ?? Prisma.DbNull } });
    if (err instanceof AppError) throw err;
    const reason = smtpFailureMessage(err);
    throw new EmailSendError(apiMessage('emailSendFailed', { recipient: opts.recipient, reason: typeof reason === 'string' ? message : reason }));
  }
}

/** AdminMetaSendTestReport: renders an admin report now and mails it to its Recipients. */
export async function sendTestReport(opts: { actor: AdminActor; option: EmailReportingOption; targetOrganization?: string }): Promise<void> {
  const spec = await adminSpec(opts.actor, opts.option, opts.targetOrganization, `test:${randomUUID()}`);
  if (!spec.recipients.length) throw new BadRequestError(apiMessage('recipientsEmpty'));
  const [content, branding, settings] = await Promise.all([previewContent(spec), loadBranding(spec.tenantId), resolveDelivery(spec.tenantId)]);
  for (const recipient of spec.recipients) {
    const r = renderEmail({ content, languageCode: spec.languageCode, timeZone: spec.timeZone, branding, recipient });
    await sendLogged({ spec, settings, recipient, reportType: spec.config.ReportType ?? 0, subject: r.subject, html: r.html, text: r.text, locale: r.locale });
  }
}

/**
 * AdminMetaSendTestEmail: a test message with the given options. Top-level admins may test any SMTP
 * server (an empty SMTPPassword uses the stored one when host and username match the server's); a
 * tenant admin tests its organization's stored SMTP settings with the given From fields.
 */
export async function sendTestEmail(opts: { actor: AdminActor; options: EmailOptions; recipient: string }): Promise<void> {
  const { actor, options } = opts;
  if (!isEmailAddress(opts.recipient)) throw new BadRequestError(apiMessage('recipientNotEmail', { recipient: opts.recipient.slice(0, 80) }));
  const rows = await db().tenant.findMany({ where: { id: { in: [actor.tenantId, TOP_LEVEL_TENANT_ID] } }, select: { id: true, data: true, secrets: true } });
  const server = rows.find((r) => r.id === TOP_LEVEL_TENANT_ID);
  const serverOptions = server ? storedEmailOptions(server, true) : null;
  let settings: DeliverySettings;
  if (actor.isTopLevel) {
    const supplied = { ...options };
    if (!supplied.SMTPPassword && serverOptions && supplied.SMTPHost === serverOptions.SMTPHost && (supplied.SMTPUsername ?? '') === (serverOptions.SMTPUsername ?? '')) {
      supplied.SMTPPassword = serverOptions.SMTPPassword;
    }
    if ((supplied.Mode ?? '') === DeliveryMode.BUILTIN) throw new BadRequestError(apiMessage('emailBuiltinUnsupported'));
    settings = deliveryFrom(supplied, null);
  } else {
    const own = rows.find((r) => r.id === actor.tenantId);
    const stored = own ? storedEmailOptions(own, true) : {};
    const smtpGiven = ['SMTPHost', 'SMTPUsername', 'SMTPPassword'].some((k) => options[k] && options[k] !== stored[k]) || ((options.Mode ?? '') !== (stored.Mode ?? ''));
    if (smtpGiven) throw new ForbiddenError(apiMessage('smtpTestTopLevelOnly'));
    settings = deliveryFrom({ ...stored, FromEmail: options.FromEmail || stored.FromEmail, FromName: options.FromName || stored.FromName }, serverOptions);
  }
  const branding = await loadBranding(actor.tenantId);
  const spec: ReportSpec = { key: `test:${randomUUID()}`, source: 'admin', tenantId: actor.tenantId, scope: adminScope(actor.tenantId), config: {}, recipients: [opts.recipient], languageCode: '', timeZone: '' };
  const r = renderEmail({ content: { kind: 'test' }, languageCode: '', timeZone: 'UTC', branding, recipient: opts.recipient });
  await sendLogged({ spec, settings, recipient: opts.recipient, reportType: -1, subject: r.subject, html: r.html, text: r.text, locale: r.locale });
}
