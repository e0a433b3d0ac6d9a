// Email deliveries: one EmailDelivery row per (report, recipient, job or period), created with the
// rendered message before anything is sent, then one BullMQ send job per row. The unique key makes a
// repeated trigger (job reported twice, scheduler fired twice, handler retried) a no-op, and the row is
// the delivery log: status, attempts and the last SMTP error.
import { UnrecoverableError } from 'bullmq';
import { db } from '../db/client';
import { AppError } from '../errors';
import { log } from '../log';
import { wireOrganizationId, type AdminActor } from '../tenancy/actor';
import { resolveTargetTenant, tenantWhere } from '../tenancy/scope';
import { resolveDelivery } from './email-options';
import { renderEmail, type Branding, type ReportContent } from './render';
import type { ReportSpec } from './report-sources';
import { enqueueSends } from './queue';
import { formatFrom, sendEmail } from './transport';

export type DeliveryStatus = 'pending' | 'retrying' | 'sent' | 'failed' | 'skipped';

/** Renders `content` for each recipient of `spec` that has no delivery for `occurrence` yet, and enqueues the sends. */
export async function deliverReport(opts: { spec: ReportSpec; occurrence: string; content: ReportContent; branding: Branding; reportType: number }): Promise<string[]> {
  const { spec } = opts;
  const rows = spec.recipients.map((recipient) => {
    const r = renderEmail({ content: opts.content, languageCode: spec.languageCode, timeZone: spec.timeZone, branding: opts.branding, recipient, accountLabel: spec.accountLabel });
    return {
      tenantId: spec.tenantId,
      accountId: spec.accountId ?? null,
      reportKey: spec.key,
      reportType: opts.reportType,
      recipient,
      occurrence: opts.occurrence,
      subject: r.subject,
      bodyHtml: r.html,
      bodyText: r.text,
      languageCode: r.locale,
    };
  });
  if (!rows.length) return [];
  const created = await db().emailDelivery.createManyAndReturn({ data: rows, skipDuplicates: true, select: { id: true } });
  const ids = created.map((c) => c.id);
  await enqueueSends(spec.tenantId, ids);
  return ids;
}

/** Recipients of `spec` that already have a delivery for `occurrence` (lets a repeated run skip the work). */
export async function alreadyDelivered(spec: ReportSpec, occurrence: string): Promise<boolean> {
  const n = await db().emailDelivery.count({ where: { reportKey: spec.key, occurrence, recipient: { in: spec.recipients } } });
  return n >= spec.recipients.length;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

/** The send job: sends one delivery unless it is already sent; throws so BullMQ retries with backoff. */
export async function sendDelivery(payload: { deliveryId: string }, meta: { attemptsMade: number; maxAttempts: number }): Promise<unknown> {
  const d = await db().emailDelivery.findUnique({ where: { id: payload.deliveryId } });
  if (!d || d.status === 'sent' || d.status === 'skipped') return { skipped: true };
  const settings = await resolveDelivery(d.tenantId);
  if (settings.mode === 'disabled') {
    await db().emailDelivery.update({ where: { id: d.id }, data: { status: 'skipped', lastError: 'Email delivery is disabled (EmailOptions.Mode)' } });
    return { skipped: true };
  }
  try {
    const info = await sendEmail(settings, { to: d.recipient, subject: d.subject, html: d.bodyHtml, text: d.bodyText, messageId: `${d.id}@halley`, headers: { 'X-Halley-Report': d.reportKey } });
    await db().emailDelivery.update({
      where: { id: d.id },
      data: { status: 'sent', attempts: { increment: 1 }, sentAt: new Date(), messageId: info.messageId, fromAddress: formatFrom(settings), lastError: '' },
    });
    return { sent: true };
  } catch (err) {
    // A configuration problem (no sender, no server) will not heal by retrying.
    const permanent = err instanceof AppError;
    const final = permanent || meta.attemptsMade + 1 >= meta.maxAttempts;
    await db().emailDelivery.update({ where: { id: d.id }, data: { status: final ? 'failed' : 'retrying', attempts: { increment: 1 }, lastError: errorText(err) } });
    log.warn({ deliveryId: d.id, attempt: meta.attemptsMade + 1, final, err: errorText(err) }, 'email send failed');
    if (permanent) throw new UnrecoverableError(errorText(err));
    throw err;
  }
}

/** Halley extension (admin/meta/email-deliveries): the most recent deliveries the admin may see. */
export async function listDeliveries(opts: { actor: AdminActor; limit?: number; status?: string; targetOrganization?: string }) {
  const target = await resolveTargetTenant(opts.actor, opts.targetOrganization);
  const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
  const rows = await db().emailDelivery.findMany({
    where: { ...tenantWhere(opts.actor, target), ...(opts.status ? { status: opts.status } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: { id: true, tenantId: true, reportKey: true, reportType: true, recipient: true, occurrence: true, status: true, attempts: true, lastError: true, subject: true, languageCode: true, createdAt: true, sentAt: true },
  });
  return {
    Status: 200,
    Message: 'OK',
    Deliveries: rows.map((r) => ({
      ID: r.id,
      OrganizationID: wireOrganizationId(r.tenantId),
      Report: r.reportKey,
      ReportType: r.reportType,
      Recipient: r.recipient,
      Occurrence: r.occurrence,
      DeliveryStatus: r.status,
      Attempts: r.attempts,
      LastError: r.lastError,
      Subject: r.subject,
      LanguageCode: r.languageCode,
      Created: Math.floor(r.createdAt.getTime() / 1000),
      Sent: r.sentAt ? Math.floor(r.sentAt.getTime() / 1000) : 0,
    })),
  };
}
