// Comet's ScheduleConfig -> a BullMQ job-scheduler repeat option (a cron pattern with seconds, in the
// report's time zone, or a fixed interval), and the period a scheduled report covers: from the previous
// occurrence of its schedule to this one ("since the last report"), unless EmailReportConfig.TimeSpan
// gives a length. Pure functions; tests/unit/email-schedule.test.ts covers them.
import { CronExpressionParser } from 'cron-parser';
import { ScheduleFrequencyType } from './report-types';

type DaysOfWeekConfig = Partial<Record<'Sunday' | 'Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday', boolean>>;
export type ScheduleConfig = {
  FrequencyType?: number;
  SecondsPast?: number;
  Offset?: number;
  RestrictDays?: boolean;
  DaysSelect?: DaysOfWeekConfig;
  SelectedMonth?: number;
  SelectedDay?: number;
};

export type RepeatSpec = { pattern: string; tz: string } | { every: number };

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
/** Periodic schedules fire at most once a minute: a report is not a heartbeat. */
const MIN_PERIODIC_SECONDS = 60;

const zoneCache = new Map<string, string>();

/** A valid IANA time zone name, or UTC for "" and unknown names. */
export function safeTimeZone(tz: string | undefined | null): string {
  const name = (tz ?? '').trim();
  if (!name) return 'UTC';
  let hit = zoneCache.get(name);
  if (hit === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: name });
      hit = name;
    } catch {
      hit = 'UTC';
    }
    if (zoneCache.size < 1000) zoneCache.set(name, hit);
  }
  return hit;
}

const int = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0);

function clock(secondsOfDay: number): [number, number, number] {
  const s = ((secondsOfDay % 86_400) + 86_400) % 86_400;
  return [s % 60, Math.floor(s / 60) % 60, Math.floor(s / 3600)];
}

/**
 * The BullMQ repeat option of one schedule, or null for schedules a report can't use (once-only,
 * unknown frequency). Daily: SecondsPast = seconds after midnight (RestrictDays limits the weekdays);
 * hourly: seconds after the hour; weekly: seconds after Sunday 00:00; monthly: SelectedDay (1-31) at
 * SecondsPast after midnight; yearly: SelectedMonth (1-12) and SelectedDay; periodic: every SecondsPast.
 */
export function scheduleToRepeat(schedule: ScheduleConfig, timeZone: string): RepeatSpec | null {
  const tz = safeTimeZone(timeZone);
  const past = int(schedule.SecondsPast);
  switch (int(schedule.FrequencyType)) {
    case ScheduleFrequencyType.HOURLY: {
      const s = ((past % 3600) + 3600) % 3600;
      return { pattern: `${s % 60} ${Math.floor(s / 60)} * * * *`, tz };
    }
    case ScheduleFrequencyType.DAILY: {
      const [s, m, h] = clock(past);
      let dow = '*';
      if (schedule.RestrictDays) {
        const days = DAYS.flatMap((d, i) => (schedule.DaysSelect?.[d] ? [i] : []));
        if (days.length === 0) return null;
        if (days.length < 7) dow = days.join(',');
      }
      return { pattern: `${s} ${m} ${h} * * ${dow}`, tz };
    }
    case ScheduleFrequencyType.WEEKLY: {
      const w = ((past % 604_800) + 604_800) % 604_800;
      const [s, m, h] = clock(w);
      return { pattern: `${s} ${m} ${h} * * ${Math.floor(w / 86_400)}`, tz };
    }
    case ScheduleFrequencyType.MONTHLY: {
      const [s, m, h] = clock(past);
      const day = Math.min(31, Math.max(1, int(schedule.SelectedDay) || 1));
      return { pattern: `${s} ${m} ${h} ${day} * *`, tz };
    }
    case ScheduleFrequencyType.YEARLY: {
      const [s, m, h] = clock(past);
      const day = Math.min(31, Math.max(1, int(schedule.SelectedDay) || 1));
      const month = Math.min(12, Math.max(1, int(schedule.SelectedMonth) || 1));
      return { pattern: `${s} ${m} ${h} ${day} ${month} *`, tz };
    }
    case ScheduleFrequencyType.PERIODIC:
      return { every: Math.max(MIN_PERIODIC_SECONDS, past) * 1000 };
    default:
      return null;
  }
}

/** [start, end) in Unix seconds covered by a run of `repeat` that was due at `dueMs`. */
export function periodFor(repeat: RepeatSpec, dueMs: number, timeSpanSeconds?: number): { start: number; end: number } {
  const end = Math.floor(dueMs / 1000);
  if (timeSpanSeconds && timeSpanSeconds > 0) return { start: end - Math.trunc(timeSpanSeconds), end };
  if ('every' in repeat) return { start: end - Math.floor(repeat.every / 1000), end };
  const prev = CronExpressionParser.parse(repeat.pattern, { currentDate: new Date(end * 1000), tz: repeat.tz }).prev();
  return { start: Math.floor(prev.getTime() / 1000), end };
}

/** The next time (ms) `repeat` fires after `fromMs` (for the console and tests). */
export function nextRun(repeat: RepeatSpec, fromMs: number): number {
  if ('every' in repeat) return fromMs + repeat.every;
  return CronExpressionParser.parse(repeat.pattern, { currentDate: new Date(fromMs), tz: repeat.tz }).next().getTime();
}
