// The console's view of an admin email report (Comet EmailReportingOption): the one schedule the editor
// shows (hourly / daily / weekly / monthly at a time of day), the period a summary covers, and the report
// languages. Client-safe: no server imports.
import { EmailReportType as RT, SCHEDULE_FREQUENCY as SF } from '../../comet/constants';
import type { SearchClause } from './job-search-url';

type ScheduleConfig = { FrequencyType?: number; SecondsPast?: number; SelectedDay?: number; [k: string]: unknown };
export type ReportOption = {
  EmailReportConfig: { ReportType: number; SummaryFrequency: ScheduleConfig[] | null; TimeSpan?: { FrequencyType: number; Seconds: number } | null; Filter: SearchClause | null };
  LanguageCode: string;
  LocalTimezone: string;
  Recipients: string[] | null;
};
export type EmailOptionsWire = {
  FromEmail: string;
  FromName: string;
  Mode: string;
  SMTPHost: string;
  SMTPPort: number;
  SMTPUsername: string;
  SMTPPassword: string;
  SMTPAllowInvalidCertificate: boolean;
  SMTPAllowUnencrypted: boolean;
  EmailReportingOptions: ReportOption[] | null;
  [k: string]: unknown;
};

export const REPORT_TYPES = [RT.EMAILREPORTTYPE_IMMEDIATE, RT.EMAILREPORTTYPE_SUMMARY, RT.EMAILREPORTTYPE_GROUPED_STATUS, RT.EMAILREPORTTYPE_RECENT_ACTIVITY] as const;
export const REPORT_TYPE_KEY: Record<number, 'immediate' | 'summary' | 'groupedStatus' | 'recentActivity'> = {
  [RT.EMAILREPORTTYPE_IMMEDIATE]: 'immediate',
  [RT.EMAILREPORTTYPE_SUMMARY]: 'summary',
  [RT.EMAILREPORTTYPE_GROUPED_STATUS]: 'groupedStatus',
  [RT.EMAILREPORTTYPE_RECENT_ACTIVITY]: 'recentActivity',
};
export const IMMEDIATE = RT.EMAILREPORTTYPE_IMMEDIATE;

/** The report languages (lib/email/messages), as Comet LanguageCode values. */
export const REPORT_LANGUAGES = [
  { code: 'en_US', label: 'English' },
  { code: 'de_DE', label: 'Deutsch' },
  { code: 'fr_FR', label: 'Français' },
  { code: 'es_ES', label: 'Español' },
  { code: 'nl_NL', label: 'Nederlands' },
  { code: 'pt_BR', label: 'Português (Brasil)' },
  { code: 'da_DK', label: 'Dansk' },
  { code: 'it_IT', label: 'Italiano' },
  { code: 'hr_HR', label: 'Hrvatski' },
  { code: 'pt_PT', label: 'Português (Portugal)' },
  { code: 'ru_RU', label: 'Русский' },
  { code: 'he_IL', label: 'עברית' },
  { code: 'zh_TW', label: '繁體中文' },
  { code: 'ja_JP', label: '日本語' },
] as const;

/** The console locale ("pt-BR") as a report LanguageCode ("pt_BR"). */
export function languageCodeFor(locale: string): string {
  const exact = REPORT_LANGUAGES.find((l) => l.code.replace('_', '-').toLowerCase() === locale.toLowerCase());
  return exact?.code ?? REPORT_LANGUAGES.find((l) => l.code.split('_')[0] === locale.split('-')[0])?.code ?? 'en_US';
}

export type Frequency = 'hourly' | 'daily' | 'weekly' | 'monthly';
/** The schedule as the editor shows it: minute of the hour, time of day (seconds), weekday 0 = Sunday, day of month. */
export type SchedulePick = { frequency: Frequency; time: number; weekday: number; monthDay: number; minute: number };

const FREQ_CODE: Record<Frequency, number> = { hourly: SF.SCHEDULE_FREQUENCY_HOURLY, daily: SF.SCHEDULE_FREQUENCY_DAILY, weekly: SF.SCHEDULE_FREQUENCY_WEEKLY, monthly: SF.SCHEDULE_FREQUENCY_MONTHLY };

/** A schedule the editor can show, or null (yearly, periodic, days-restricted daily: kept as they are). */
export function pickFromSchedule(s: ScheduleConfig | undefined): SchedulePick | null {
  const base: SchedulePick = { frequency: 'weekly', time: 8 * 3600, weekday: 1, monthDay: 1, minute: 0 };
  if (!s) return base;
  const past = Math.max(0, Math.trunc(Number(s.SecondsPast) || 0));
  if (s.RestrictDays) return null;
  switch (s.FrequencyType) {
    case SF.SCHEDULE_FREQUENCY_HOURLY:
      return { ...base, frequency: 'hourly', minute: Math.floor((past % 3600) / 60) };
    case SF.SCHEDULE_FREQUENCY_DAILY:
      return { ...base, frequency: 'daily', time: past % 86_400 };
    case SF.SCHEDULE_FREQUENCY_WEEKLY:
      return { ...base, frequency: 'weekly', weekday: Math.floor((past % 604_800) / 86_400), time: past % 86_400 };
    case SF.SCHEDULE_FREQUENCY_MONTHLY:
      return { ...base, frequency: 'monthly', monthDay: Math.min(31, Math.max(1, Number(s.SelectedDay) || 1)), time: past % 86_400 };
    default:
      return null;
  }
}

export function scheduleFromPick(p: SchedulePick): ScheduleConfig {
  const FrequencyType = FREQ_CODE[p.frequency];
  switch (p.frequency) {
    case 'hourly':
      return { FrequencyType, SecondsPast: p.minute * 60 };
    case 'daily':
      return { FrequencyType, SecondsPast: p.time };
    case 'weekly':
      return { FrequencyType, SecondsPast: p.weekday * 86_400 + p.time };
    case 'monthly':
      return { FrequencyType, SecondsPast: p.time, SelectedDay: p.monthDay };
  }
}

/** "08:00" <-> seconds after midnight. */
export function clockText(seconds: number): string {
  const h = Math.floor(seconds / 3600) % 24;
  const m = Math.floor(seconds / 60) % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
export function parseClock(text: string): number {
  const m = /^(\d{1,2}):(\d{2})/.exec(text);
  return m ? (Math.min(23, Number(m[1])) * 3600 + Math.min(59, Number(m[2])) * 60) : 0;
}

/** What a scheduled report covers: since the previous run, or a fixed span before each run. */
export const PERIOD_CHOICES = [0, 86_400, 604_800, 2_592_000] as const;

/** A new weekly summary of `filter` (what "Email this search" starts from). */
export function weeklySummary(filter: SearchClause, languageCode: string, timeZone: string): ReportOption {
  return {
    EmailReportConfig: { ReportType: RT.EMAILREPORTTYPE_SUMMARY, SummaryFrequency: [scheduleFromPick({ frequency: 'weekly', time: 8 * 3600, weekday: 1, monthDay: 1, minute: 0 })], TimeSpan: { FrequencyType: 0, Seconds: 7 * 86_400 }, Filter: filter },
    LanguageCode: languageCode,
    LocalTimezone: timeZone,
    Recipients: [],
  };
}

/** Addresses typed one per line or separated by commas / semicolons. */
export function splitRecipients(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean))];
}

/** Rules in a filter (0 = every job). */
export function ruleCount(c: SearchClause | null | undefined): number {
  if (!c) return 0;
  if (c.ClauseType === '') return c.RuleField ? 1 : 0;
  return (c.ClauseChildren ?? []).reduce((n, x) => n + ruleCount(x), 0);
}
