import { BadRequestError } from '../errors';
import { isEmailAddress } from './is-email-address';
import { REPORT_TYPES, type EmailReportingOption } from './report-types';
import { validateReportConfig } from './validate-report-config';
import { apiMessage } from '../i18n/api-messages';
import { checkTimeZoneField } from '../validation/check-field';

/** Checks one admin report (EmailReportingOption): type, recipients, time zone, schedules, filter. */
export function validateReportingOption(option: EmailReportingOption, where: string): void {
  const config = option.EmailReportConfig ?? {};
  const type = config.ReportType ?? 0;
  if (!REPORT_TYPES.includes(type)) throw new BadRequestError(apiMessage('reportConfigTypeUnknown', { where, type }));
  for (const r of option.Recipients ?? []) {
    if (!isEmailAddress(r)) throw new BadRequestError(apiMessage('recipientsNotEmail', { where, value: String(r).slice(0, 80) }));
  }
  checkTimeZoneField((option.LocalTimezone ?? '').trim(), `${where}.LocalTimezone`, { optional: true });
  validateReportConfig(config, option.LocalTimezone ?? '', where);
}
