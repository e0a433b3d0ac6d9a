// Email deliveries: one EmailDelivery row per (report, recipient, job or period), created with the
// rendered message before anything is sent, then one BullMQ send job per row. The unique key makes a
// repeated trigger (job reported twice, scheduler fired twice, handler retried) a no-op, and the row is
// the delivery log: status, attempts and the last SMTP error.
import { UnrecoverableError } from 'bullmq';
import { db } from '../db/client';
import { AppError } from '../errors';
import { Prisma } from '../generated/prisma/client';
import { apiMessage, type ApiMessage } from '../i18n/api-messages';
import { failureCause } from '../i18n/failure-cause';
import type { Locale } from '../i18n/locales';
import { renderStoredMessage, storedMessage } from '../i18n/stored-message';
import { log } from '../log';
import { wireOrganizationId, type AdminActor } from '../tenancy/actor';
import { resolveTargetTenant, tenantWhere } from '../tenancy/scope';
import type { DeliverySettings } from './delivery-from';
import { resolveDelivery } from './resolve-delivery';
import { renderEmail, type Branding, type RenderedEmail, type ReportContent } from './render';
import type { ReportSpec } from './report-sources';
import { enqueueSends } from './queue';
import { formatFrom, sendEmail, smtpFailureMessage } from './transport';

export type DeliveryStatus = 'pending' | 'retrying' | 'sent' | 'failed' | 'skipped';

/**
 * Renders `content` for each recipient of `spec` that has no delivery for `occurrence` yet, records the
 * deliveries, and sends them right away from this job (one SMTP round trip, no second queue hop). A send
 * that fails is handed to a BullMQ send job that retries with backoff; a delivery left "pending" by a
 * crash in between is picked up by the periodic reconciliation.
 */
export async function deliverReport(opts: { spec: ReportSpec; occurrence: string; content: ReportContent; branding: Branding; reportType: number }): Promise<string[]> {
  const { spec } = opts;
  const rendered = new Map<string, RenderedEmail>();
  const rows = spec.recipients.map((recipient) => {
    const r = renderEmail({ content: opts.content, languageCode: spec.languageCode, timeZone: spec.timeZone, branding: opts.branding, recipient, accountLabel: spec.accountLabel });
    rendered.set(recipient, r);
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
  const created = await db().emailDelivery.createManyAndReturn({ data: rows, skipDuplicates: true, select: { id: true, recipient: true } });
  if (!created.length) return [];
  const settings = await resolveDelivery(spec.tenantId);
  const retry: string[] = [];
  for (const d of created) {
    const r = rendered.get(d.recipient)!;
    const { outcome } = await attemptSend({ id: d.id, tenantId: spec.tenantId, recipient: d.recipient, reportKey: spec.key, subject: r.subject, bodyHtml: r.html, bodyText: r.text }, settings, false);
    if (outcome === 'retry') retry.push(d.id);
  }
  await enqueueSends(spec.tenantId, retry, { firstAttemptDone: true });
  return created.map((c) => c.id);
}

type DeliveryToSend = { id: string; tenantId: string; recipient: string; reportKey: string; subject: string; bodyHtml: string; bodyText: string };

/** One send attempt, recorded on the delivery row. 'retry' = failed, worth another attempt. */
async function attemptSend(d: DeliveryToSend, settings: DeliverySettings, final: boolean): Promise<{ outcome: 'sent' | 'skipped' | 'retry' | 'failed'; error?: unknown }> {
  if (settings.mode === 'disabled') {
    // tenancy: system — the email delivery worker sends one queued row by id (its tenant was fixed when it was queued)
    const why = apiMessage('emailDeliveryDisabled');
    await db().emailDelivery.update({ where: { id: d.id }, data: { status: 'skipped', lastError: why.text, lastErrorMessage: storedMessage([why]) ?? Prisma.DbNull } });
    return { outcome: 'skipped' };
  }
  try {
    const info = await sendEmail(settings, { to: d.recipient, subject: d.subject, html: d.bodyHtml, text: d.bodyText, messageId: `${d.id}@halley`, headers: { 'X-Halley-Report': d.reportKey } });
    // tenancy: system — the email delivery worker sends one queued row by id (its tenant was fixed when it was queued)
    await db().emailDelivery.update({
      where: { id: d.id },
      data: { status: 'sent', attempts: { increment: 1 }, sentAt: new Date(), messageId: info.messageId, fromAddress: formatFrom(settings), lastError: '', lastErrorMessage: Prisma.DbNull },
    });
    return { outcome: 'sent' };
  } catch (err) {
    // A configuration problem (no sender, no server) will not heal by retrying.
    const permanent = err instanceof AppError;
    const status = permanent || final ? 'failed' : 'retrying';
    // tenancy: system — the email delivery worker sends one queued row by id (its tenant was fixed when it was queued)
    await db().emailDelivery.update({ where: { id: d.id }, data: { status, attempts: { increment: 1 }, lastError: errorText(err), lastErrorMessage: storedMessage([sendFailureReason(err)]) ?? Prisma.DbNull } });
    log.warn({ deliveryId: d.id, final: status === 'failed', err: errorText(err) }, 'email send failed');
    return { outcome: status === 'failed' ? 'failed' : 'retry', error: err };
  }
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

/**
 * Why a send failed, as catalogue messages for the delivery log (read in the reader's language): the SMTP
 * server's refusal (its reply quoted), Halley's own SMTP errors, a network cause, or the error's text quoted.
 */
export function sendFailureReason(err: unknown): ApiMessage {
  const smtp = smtpFailureMessage(err);
  return typeof smtp === 'string' ? failureCause(err) : smtp;
}

/** The send job (retries of a failed first attempt, or a delivery left pending): throws so BullMQ backs off. */
export async function sendDelivery(payload: { deliveryId: string }, meta: { attemptsMade: number; maxAttempts: number }): Promise<unknown> {
  // tenancy: system — the email delivery worker sends one queued row by id (its tenant was fixed when it was queued)
  const d = await db().emailDelivery.findUnique({ where: { id: payload.deliveryId } });
  if (!d || d.status === 'sent' || d.status === 'skipped' || d.status === 'failed') return { skipped: true };
  const { outcome, error: err } = await attemptSend(d, await resolveDelivery(d.tenantId), meta.attemptsMade + 1 >= meta.maxAttempts);
  if (outcome === 'retry') throw err instanceof Error ? err : new Error(errorText(err));
  if (outcome === 'failed' && err instanceof AppError) throw new UnrecoverableError(errorText(err));
  if (outcome === 'failed') throw err instanceof Error ? err : new Error(errorText(err));
  return { [outcome]: true };
}

/** Halley extension (admin/meta/email-deliveries): the most recent deliveries the admin may see. */
/** `locale`: the language of LastError (the reader's); rows from before keep their English text. */
export async function listDeliveries(opts: { actor: AdminActor; limit?: number; status?: string; targetOrganization?: string; locale?: Locale }) {
  const target = await resolveTargetTenant(opts.actor, opts.targetOrganization);
  const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
  const rows = await db().emailDelivery.findMany({
    where: { ...tenantWhere(opts.actor, target), ...(opts.status ? { status: opts.status } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: { id: true, tenantId: true, reportKey: true, reportType: true, recipient: true, occurrence: true, status: true, attempts: true, lastError: true, lastErrorMessage: true, subject: true, languageCode: true, createdAt: true, sentAt: true },
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
      LastError: renderStoredMessage(r.lastErrorMessage, r.lastError, opts.locale ?? 'en'),
      Subject: r.subject,
      LanguageCode: r.languageCode,
      Created: Math.floor(r.createdAt.getTime() / 1000),
      Sent: r.sentAt ? Math.floor(r.sentAt.getTime() / 1000) : 0,
    })),
  };
}
