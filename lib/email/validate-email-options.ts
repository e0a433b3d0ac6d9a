import { BadRequestError } from '../errors';
import { isEmailAddress } from './is-email-address';
import { DeliveryMode, type EmailOptions } from './report-types';
import { validateReportingOption } from './validate-reporting-option';

const MODES: readonly string[] = [DeliveryMode.INHERIT, DeliveryMode.SMTP, DeliveryMode.SMTP_SSL, DeliveryMode.DISABLED];

/** Checks an EmailOptions object as AdminMetaEmailOptionsSet receives it. */
export function validateEmailOptions(options: EmailOptions, isTopLevelTenant: boolean): void {
  const mode = options.Mode ?? '';
  if (mode === DeliveryMode.BUILTIN) throw new BadRequestError("EmailOptions.Mode 'builtin' (direct MX delivery) is not supported by Halley: use 'smtp' or 'smtp-ssl'");
  if (!MODES.includes(mode)) throw new BadRequestError(`EmailOptions.Mode '${String(mode).slice(0, 40)}' is not an EmailDeliveryType`);
  if (mode === DeliveryMode.INHERIT && isTopLevelTenant && options.SMTPHost) {
    throw new BadRequestError("EmailOptions.Mode '' (inherit) has nothing to inherit at the top level: use 'smtp' or 'smtp-ssl'");
  }
  if ((mode === DeliveryMode.SMTP || mode === DeliveryMode.SMTP_SSL) && !(options.SMTPHost ?? '').trim()) {
    throw new BadRequestError('EmailOptions.SMTPHost is required with an SMTP Mode');
  }
  const port = options.SMTPPort ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new BadRequestError('EmailOptions.SMTPPort must be 0 to 65535');
  if (options.FromEmail && !isEmailAddress(options.FromEmail)) throw new BadRequestError(`EmailOptions.FromEmail '${options.FromEmail.slice(0, 80)}' is not an email address`);
  if (/[\r\n]/.test(options.FromName ?? '')) throw new BadRequestError('EmailOptions.FromName must be one line');
  for (const [i, r] of (options.EmailReportingOptions ?? []).entries()) validateReportingOption(r, `EmailOptions.EmailReportingOptions[${i}]`);
}
