import { BadRequestError } from '../errors';
import { DeliveryMode, type EmailOptions } from './report-types';
import { validateReportingOption } from './validate-reporting-option';
import { apiMessage } from '../i18n/api-messages';
import { checkEmailField } from '../validation/check-field';

const MODES: readonly string[] = [DeliveryMode.INHERIT, DeliveryMode.SMTP, DeliveryMode.SMTP_SSL, DeliveryMode.DISABLED];

/**
 * Checks an EmailOptions object as AdminMetaEmailOptionsSet receives it; AdminOrganizationSet checks an
 * Organization's Email with it too (`where`: the API field the options arrived in, named in field messages).
 */
export function validateEmailOptions(options: EmailOptions, isTopLevelTenant: boolean, where = 'EmailOptions'): void {
  const mode = options.Mode ?? '';
  if (mode === DeliveryMode.BUILTIN) throw new BadRequestError(apiMessage('emailBuiltinUseSmtp', { field: `${where}.Mode` }));
  if (!MODES.includes(mode)) throw new BadRequestError(apiMessage('emailModeUnknown', { field: `${where}.Mode`, mode: String(mode).slice(0, 40) }));
  if (mode === DeliveryMode.INHERIT && isTopLevelTenant && options.SMTPHost) {
    throw new BadRequestError(apiMessage('emailInheritAtTop', { field: `${where}.Mode` }));
  }
  if ((mode === DeliveryMode.SMTP || mode === DeliveryMode.SMTP_SSL) && !(options.SMTPHost ?? '').trim()) {
    throw new BadRequestError(apiMessage('smtpHostRequired', { field: `${where}.SMTPHost` }));
  }
  const port = options.SMTPPort ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new BadRequestError(apiMessage('smtpPortRange', { field: `${where}.SMTPPort` }));
  if (options.FromEmail) checkEmailField(options.FromEmail, `${where}.FromEmail`);
  if (/[\r\n]/.test(options.FromName ?? '')) throw new BadRequestError(apiMessage('fromNameOneLine', { field: `${where}.FromName` }));
  for (const [i, r] of (options.EmailReportingOptions ?? []).entries()) validateReportingOption(r, `${where}.EmailReportingOptions[${i}]`);
}
