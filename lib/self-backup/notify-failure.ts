// A failed self-backup is mailed to the server's admin report recipients (the top-level organization's
// EmailOptions.EmailReportingOptions[].Recipients) through the server's SMTP settings, each recipient in the
// LanguageCode of its reporting option, as the email reports are (lib/email/i18n, lib/email/messages), the run's
// Error included (its stored catalogue message, lib/i18n/stored-message). No recipients or email switched off:
// the failure is in the run history, the event and the log, and nothing is sent.
import { loadBranding } from '../email/collect-report';
import { emailLocale, translator } from '../email/i18n';
import { isEmailAddress } from '../email/is-email-address';
import { esc } from '../email/render';
import { resolveDelivery } from '../email/resolve-delivery';
import { storedEmailOptions } from '../email/stored-email-options';
import { sendEmail } from '../email/transport';
import { db } from '../db/client';
import { localeDirection } from '../i18n/locales';
import { renderStoredMessage } from '../i18n/stored-message';
import { log } from '../log';
import { TOP_LEVEL_TENANT_ID } from '../tenancy/actor';

type TFailedRun = { id: string; location: string; error: string; errorMessage?: unknown; startedAt: Date; kind: string; targetIndex: number };

export async function notifyFailure(run: TFailedRun): Promise<number> {
  try {
    // tenancy: system — the server's own organization settings, read by the workers for a server-wide failure notice
    const server = await db().tenant.findUnique({ where: { id: TOP_LEVEL_TENANT_ID }, select: { id: true, data: true, secrets: true } });
    if (!server) return 0;
    const recipients = new Map<string, string>();
    for (const option of storedEmailOptions(server, false).EmailReportingOptions ?? []) {
      for (const r of option.Recipients ?? []) if (typeof r === 'string' && isEmailAddress(r) && !recipients.has(r)) recipients.set(r, option.LanguageCode ?? '');
    }
    if (!recipients.size) return 0;
    const settings = await resolveDelivery(TOP_LEVEL_TENANT_ID);
    if (settings.mode === 'disabled' || !settings.host) return 0;
    const { brandName } = await loadBranding(TOP_LEVEL_TENANT_ID);
    let sent = 0;
    for (const [to, language] of recipients) {
      const locale = emailLocale(language);
      const t = translator(locale);
      const what = run.kind === 'export' ? t('selfBackup.whatExport') : t('selfBackup.whatTarget', { index: run.targetIndex });
      const subject = t('selfBackup.failedSubject', { brand: brandName, what });
      const lines: Array<[string, string]> = [
        [t('selfBackup.location'), run.location],
        [t('selfBackup.error'), renderStoredMessage(run.errorMessage ?? null, run.error, locale)],
        [t('selfBackup.run'), run.id],
      ];
      const intro = t('selfBackup.failedIntro', { what, started: run.startedAt.toISOString() });
      const text = [intro, '', ...lines.map(([label, value]) => `${label}: ${value}`), '', t('selfBackup.failedFooter')].join('\n');
      const dir = localeDirection(locale) === 'rtl' ? ' dir="rtl"' : '';
      const html = `<!doctype html><html lang="${esc(locale)}"${dir}><head><meta charset="utf-8"><title>${esc(subject)}</title></head><body><p>${esc(intro)}</p><p>${lines.map(([label, value]) => `${esc(label)}: ${esc(value)}`).join('<br>')}</p><p style="color:#6b7280">${esc(t('selfBackup.failedFooter'))}</p></body></html>`;
      await sendEmail(settings, { to, subject, text, html, messageId: `self-backup-${run.id}-${sent}@halley` })
        .then(() => sent++)
        .catch((err) => log.warn({ err: (err as Error).message, to }, 'could not mail the self-backup failure'));
    }
    return sent;
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'could not mail the self-backup failure');
    return 0;
  }
}
