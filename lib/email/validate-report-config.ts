import { BadRequestError } from '../errors';
import { compileSearchClause, SqlParams } from '../job-search/compile-search-clause';
import { normaliseFilter, REPORT_TYPES, type EmailReportingOption } from './report-types';
import { scheduleToRepeat } from './schedule';
import { apiMessage, causeOf } from '../i18n/api-messages';

/** Checks a report's type, that each of its schedules can be run, and that its filter compiles. */
export function validateReportConfig(config: EmailReportingOption['EmailReportConfig'] & object, timeZone: string, where: string): void {
  const type = config.ReportType ?? 0;
  if (!REPORT_TYPES.includes(type)) throw new BadRequestError(apiMessage('reportTypeUnknown', { where, type }));
  if (type !== 0) {
    for (const [i, s] of (config.SummaryFrequency ?? []).entries()) {
      if (!scheduleToRepeat(s, timeZone)) {
        throw new BadRequestError(apiMessage('reportFrequencyUnschedulable', { where, index: i, frequency: String(s.FrequencyType) }));
      }
    }
  }
  try {
    compileSearchClause(normaliseFilter(config.Filter), new SqlParams(), { now: 0 });
  } catch (err) {
    if (err instanceof BadRequestError) throw new BadRequestError(apiMessage('fieldCause', { field: `${where}.Filter`, cause: causeOf(err) }));
    throw err;
  }
}
