import { BadRequestError } from '../errors';
import { compileSearchClause, SqlParams } from '../job-search/compile-search-clause';
import { normaliseFilter, REPORT_TYPES, type EmailReportingOption } from './report-types';
import { scheduleToRepeat } from './schedule';

/** Checks a report's type, that each of its schedules can be run, and that its filter compiles. */
export function validateReportConfig(config: EmailReportingOption['EmailReportConfig'] & object, timeZone: string, where: string): void {
  const type = config.ReportType ?? 0;
  if (!REPORT_TYPES.includes(type)) throw new BadRequestError(`${where}.ReportType ${type} is not an EMAILREPORTTYPE_* value`);
  if (type !== 0) {
    for (const [i, s] of (config.SummaryFrequency ?? []).entries()) {
      if (!scheduleToRepeat(s, timeZone)) {
        throw new BadRequestError(`${where}.SummaryFrequency[${i}]: FrequencyType ${s.FrequencyType} can't schedule a report (use hourly, daily, weekly, monthly, yearly or periodic)`);
      }
    }
  }
  try {
    compileSearchClause(normaliseFilter(config.Filter), new SqlParams(), { now: 0 });
  } catch (err) {
    if (err instanceof BadRequestError) throw new BadRequestError(`${where}.Filter: ${err.message}`);
    throw err;
  }
}
