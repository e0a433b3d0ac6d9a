import { BadRequestError } from '../errors';
import { isEmailAddress } from './is-email-address';
import { REPORT_TYPES, type EmailReportingOption } from './report-types';
import { isValidTimeZone } from './schedule';
import { validateReportConfig } from './validate-report-config';

/** Checks one admin report (EmailReportingOption): type, recipients, time zone, schedules, filter. */
export function validateReportingOption(option: EmailReportingOption, where: string): void {
  const config = option.EmailReportConfig ?? {};
  const type = config.ReportType ?? 0;
  if (!REPORT_TYPES.includes(type)) throw new BadRequestError(`${where}.EmailReportConfig.ReportType ${type} is not an EMAILREPORTTYPE_* value`);
  for (const r of option.Recipients ?? []) {
    if (!isEmailAddress(r)) throw new BadRequestError(`${where}.Recipients: '${String(r).slice(0, 80)}' is not an email address`);
  }
  if (!isValidTimeZone(option.LocalTimezone ?? '')) throw new BadRequestError(`${where}.LocalTimezone '${String(option.LocalTimezone).slice(0, 60)}' is not a time zone`);
  validateReportConfig(config, option.LocalTimezone ?? '', where);
}
