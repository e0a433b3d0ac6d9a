// The Comet types and constants of email reports (comet-wire types.json / constants.json), as used here.
import { EmailDeliveryType, EmailReportType, SCHEDULE_FREQUENCY } from '../comet/constants';
import type { SearchClause } from '../job-search/compile-search-clause';
import type { ScheduleConfig } from './schedule';

export const ReportType = {
  IMMEDIATE: EmailReportType.EMAILREPORTTYPE_IMMEDIATE,
  SUMMARY: EmailReportType.EMAILREPORTTYPE_SUMMARY,
  GROUPED_STATUS: EmailReportType.EMAILREPORTTYPE_GROUPED_STATUS,
  RECENT_ACTIVITY: EmailReportType.EMAILREPORTTYPE_RECENT_ACTIVITY,
} as const;
export const REPORT_TYPES: readonly number[] = Object.values(ReportType);

export const ScheduleFrequencyType = {
  ONCEONLY: SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_ONCEONLY,
  DAILY: SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_DAILY,
  HOURLY: SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_HOURLY,
  WEEKLY: SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_WEEKLY,
  MONTHLY: SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_MONTHLY,
  PERIODIC: SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_PERIODIC,
  YEARLY: SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_YEARLY,
} as const;

/** EmailDeliveryType values: "" inherit, "smtp", "smtp-ssl", "disabled", "builtin" (MX direct). */
export const DeliveryMode = {
  INHERIT: EmailDeliveryType.EMAIL_DELIVERY_INHERIT,
  SMTP: EmailDeliveryType.EMAIL_DELIVERY_SMTP,
  SMTP_SSL: EmailDeliveryType.EMAIL_DELIVERY_SMTP_SSL,
  DISABLED: EmailDeliveryType.EMAIL_DELIVERY_DISABLED,
  BUILTIN: EmailDeliveryType.EMAIL_DELIVERY_MX_DIRECT,
} as const;

export type EmailReportConfig = {
  ReportType?: number;
  SummaryFrequency?: ScheduleConfig[] | null;
  TimeSpan?: { FrequencyType?: number; Seconds?: number } | null;
  Filter?: SearchClause | null;
};

export type EmailReportingOption = {
  EmailReportConfig?: EmailReportConfig;
  LanguageCode?: string;
  LocalTimezone?: string;
  Recipients?: string[] | null;
};

export type EmailOptions = {
  FromEmail?: string;
  FromName?: string;
  Mode?: string;
  EmailReportingOptions?: EmailReportingOption[] | null;
  SMTPHost?: string;
  SMTPPort?: number;
  SMTPUsername?: string;
  SMTPPassword?: string;
  SMTPAllowInvalidCertificate?: boolean;
  SMTPAllowUnencrypted?: boolean;
  SMTPCustomEhlo?: string;
  [k: string]: unknown;
};

export function isScheduledType(type: number): boolean {
  return type !== ReportType.IMMEDIATE;
}

/** Comet's zero SearchClause (an empty rule) and a missing filter both mean "every job". */
export function normaliseFilter(filter: SearchClause | null | undefined): SearchClause {
  if (!filter || ((filter.ClauseType ?? '') === '' && (filter.RuleField ?? '') === '')) return { ClauseType: 'and', ClauseChildren: [] };
  return filter;
}
