// A failed self-backup is mailed to the server's admin report recipients (the top-level organization's
// EmailOptions.EmailReportingOptions[].Recipients) through the server's SMTP settings. No recipients or
// email switched off: the failure is in the run history, the event and the log, and nothing is sent.
import { resolveDelivery } from '../email/resolve-delivery';
import { storedEmailOptions } from '../email/stored-email-options';
import { sendEmail } from '../email/transport';
import { db } from '../db/client';
import { log } from '../log';
import { TOP_LEVEL_TENANT_ID } from '../tenancy/actor';

export async function notifyFailure(run: { id: string; location: string; error: string; startedAt: Date; kind: string; targetIndex: number }): Promise<number> {
  try {
    // tenancy: system — the server's own organization settings, read by the workers for a server-wide failure notice
    const server = await db().tenant.findUnique({ where: { id: TOP_LEVEL_TENANT_ID }, select: { id: true, data: true, secrets: true } });
    if (!server) return 0;
    const options = storedEmailOptions(server, false);
    const recipients = [...new Set((options.EmailReportingOptions ?? []).flatMap((o) => o.Recipients ?? []).filter((r) => typeof r === 'string' && r.includes('@')))];
    if (!recipients.length) return 0;
    const settings = await resolveDelivery(TOP_LEVEL_TENANT_ID);
    if (settings.mode === 'disabled' || !settings.host) return 0;
    const what = run.kind === 'export' ? 'organization export' : `self-backup target ${run.targetIndex}`;
    const subject = `Halley: ${what} failed`;
    const text = [
      `The ${what} started ${run.startedAt.toISOString()} failed.`,
      '',
      `Location: ${run.location}`,
      `Error: ${run.error}`,
      `Run: ${run.id}`,
      '',
      'No partial archive was left behind. Settings > Self-backup shows the run history.',
    ].join('\n');
    const html = `<p>${text.split('\n').map((l) => l.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')).join('<br>')}</p>`;
    let sent = 0;
    for (const to of recipients) {
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
