import { BadRequestError } from '../errors';
import { outboundHostRefusal } from '../net/private-targets';
import { DeliveryMode, type EmailOptions } from './report-types';
import { apiMessage } from '../i18n/api-messages';

/** Config-time outbound guard: an SMTP host the guard refuses is a 400 (unless private targets are allowed). */
export async function checkSmtpHost(options: EmailOptions | undefined, where = 'EmailOptions'): Promise<void> {
  const mode = options?.Mode ?? '';
  const host = (options?.SMTPHost ?? '').trim();
  if (!host || (mode !== DeliveryMode.SMTP && mode !== DeliveryMode.SMTP_SSL)) return;
  const why = await outboundHostRefusal(host, 'SMTP server');
  if (why) throw new BadRequestError(apiMessage('fieldRefused', { field: `${where}.SMTPHost`, reason: why }));
}
