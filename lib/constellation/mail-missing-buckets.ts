// Email alert for vaults pointing at missing buckets (issue 16): when a Constellation report finds a vault of the
// organization pointing at a bucket that exists on none of its targets, the organization's notification addresses
// (the Recipients of its EmailOptions.EmailReportingOptions, each in its option's LanguageCode) get one email,
// through the organization's email delivery (its own SMTP server, or the server's when it inherits). Each missing
// bucket is mailed once (ConstellationBucket.missingAlertedAt, set by the run that first finds it; cleared when a
// complete report no longer finds it missing, so a later disappearance is mailed again). No recipients or email
// switched off: the report, its Missing list and event 14601 still say it, and nothing is sent.
import { db } from '../db/client';
import { loadBranding } from '../email/collect-report';
import { emailLocale, translator } from '../email/i18n';
import { isEmailAddress } from '../email/is-email-address';
import { esc } from '../email/render';
import { resolveDelivery } from '../email/resolve-delivery';
import { storedEmailOptions } from '../email/stored-email-options';
import { sendEmail } from '../email/transport';
import { localizeApiMessage, type ApiMessage } from '../i18n/api-messages';
import { localeDirection } from '../i18n/locales';
import { log } from '../log';

type TMissing = { Username: string; ServerID: number; BucketID: string };

/**
 * `serverNames`: the targets' names by server index (a catalogue message when Halley named the target: written in
 * each recipient's language). Answers how many emails were sent. Never throws: the alert must not fail the run that
 * found the buckets.
 */
export async function mailMissingBuckets(tenantId: string, reportId: string, missing: TMissing[], serverNames: Array<string | ApiMessage>): Promise<number> {
  if (missing.length === 0) return 0;
  try {
    // tenancy: system — the organization whose Constellation found the buckets, reading its own notification addresses
    const tenant = await db().tenant.findUnique({ where: { id: tenantId }, select: { id: true, data: true, secrets: true } });
    if (!tenant) return 0;
    const recipients = new Map<string, string>();
    for (const option of storedEmailOptions(tenant, false).EmailReportingOptions ?? []) {
      for (const r of option.Recipients ?? []) if (typeof r === 'string' && isEmailAddress(r) && !recipients.has(r)) recipients.set(r, option.LanguageCode ?? '');
    }
    if (recipients.size === 0) {
      log.info({ tenantId, reportId, buckets: missing.length }, 'constellation: missing buckets found; the organization has no notification addresses');
      return 0;
    }
    const settings = await resolveDelivery(tenantId);
    if (settings.mode === 'disabled' || !settings.host) {
      log.info({ tenantId, reportId }, 'constellation: missing buckets found; email delivery is off');
      return 0;
    }
    const branding = await loadBranding(tenantId);
    const byBucket = new Map<string, TMissing[]>();
    for (const m of missing) byBucket.set(m.BucketID, [...(byBucket.get(m.BucketID) ?? []), m]);
    const buckets = [...byBucket.keys()].sort();
    let sent = 0;
    for (const [to, language] of recipients) {
      const locale = emailLocale(language);
      const t = translator(locale);
      const subject = t('constellation.missingSubject', { brand: branding.brandName, count: missing.length });
      const serverName = (index: number) => {
        const name = serverNames[index];
        return name === undefined ? String(index) : typeof name === 'string' ? name : localizeApiMessage(name, locale);
      };
      const lines = buckets.map((b) => ({ bucket: b, users: byBucket.get(b)!.map((m) => (m.ServerID === 0 ? m.Username : `${m.Username} (${serverName(m.ServerID)})`)) }));
      const text = [t('constellation.missingIntro'), '', ...lines.map((l) => `${t('constellation.missingBucket')}: ${l.bucket}\n${t('constellation.missingUsers')}: ${l.users.join(', ')}\n`), t('constellation.missingFooter')].join('\n');
      const rows = lines.map((l) => `<tr><td style="padding:4px 8px;font-family:monospace">${esc(l.bucket)}</td><td style="padding:4px 8px">${esc(l.users.join(', '))}</td></tr>`).join('');
      const dir = localeDirection(locale) === 'rtl' ? ' dir="rtl"' : '';
      const html = `<!doctype html><html lang="${esc(locale)}"${dir}><head><meta charset="utf-8"><title>${esc(subject)}</title></head><body><p>${esc(t('constellation.missingIntro'))}</p><table style="border-collapse:collapse"><thead><tr><th style="text-align:start;padding:4px 8px">${esc(t('constellation.missingBucket'))}</th><th style="text-align:start;padding:4px 8px">${esc(t('constellation.missingUsers'))}</th></tr></thead><tbody>${rows}</tbody></table><p style="color:#6b7280">${esc(t('constellation.missingFooter'))}</p></body></html>`;
      await sendEmail(settings, { to, subject, text, html, messageId: `constellation-${reportId}-${sent}@halley`, headers: { 'X-Halley-Report': 'constellation-missing' } })
        .then(() => sent++)
        .catch((err) => log.warn({ err: (err as Error).message, to, tenantId }, 'constellation: could not mail the missing-bucket alert'));
    }
    return sent;
  } catch (err) {
    log.warn({ err: (err as Error).message, tenantId }, 'constellation: could not mail the missing-bucket alert');
    return 0;
  }
}
