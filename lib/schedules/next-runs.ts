// When a Comet ScheduleConfig fires, in the device's time zone. Pure maths (no clock, no I/O), used by
// the console's "next 5 runs" preview and by the reference agent's scheduler (agent/schedule.ts), so both
// agree on every run.
//
// Meaning of the fields, per FrequencyType (SCHEDULE_FREQUENCY_*):
// - ONCEONLY: SecondsPast is the Unix time (seconds) of the single run.
// - PERIODIC: every SecondsPast seconds (at least 60), phase shifted by Offset seconds from the Unix epoch.
// - HOURLY: SecondsPast seconds past every local hour.
// - DAILY: SecondsPast seconds after local midnight, every day.
// - WEEKLY: SecondsPast seconds after local midnight on the DaysSelect days.
// - MONTHLY: on SelectedDay of every month (the month's last day when it is shorter) at SecondsPast.
// - YEARLY: on SelectedDay of SelectedMonth (1-12) at SecondsPast.
// RestrictDays keeps only runs on the DaysSelect days; RestrictRuntime keeps only runs whose local time of
// day lies in [FromTime, ToTime] (a window that ends before it starts wraps past midnight). The random
// delay is not added: a run starts between the listed time and that time plus the effective delay.
import { SCHEDULE, SCHEDULE_FREQUENCY as F } from '../comet/constants';

export type TScheduleConfig = {
  FrequencyType?: number;
  SecondsPast?: number;
  Offset?: number;
  RestrictRuntime?: boolean;
  FromTime?: { Hour?: number; Minutes?: number } | null;
  ToTime?: { Hour?: number; Minutes?: number } | null;
  RestrictDays?: boolean;
  DaysSelect?: Partial<Record<(typeof DAY_NAMES)[number], boolean>> | null;
  RandomDelaySecs?: number;
  SelectedMonth?: number;
  SelectedDay?: number;
};

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const DAY = 86_400_000;
/** How far ahead the preview looks (a yearly schedule on 29 February still finds its runs). */
const HORIZON_DAYS_YEARLY = 366 * 9;
const HORIZON_DAYS = 400;
const MAX_PERIODIC_STEPS = 200_000;

type Wall = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone name this runtime knows. */
function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function wallTime(ms: number, timeZone: string): Wall {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24, minute: parts.minute, second: parts.second };
}

/** Milliseconds the zone is ahead of UTC at instant `ms`. */
function zoneOffset(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/** The instant of a local wall-clock time (in a DST gap: the instant the clock shows just after it). */
function fromWall(year: number, month0: number, day: number, seconds: number, timeZone: string): number {
  const naive = Date.UTC(year, month0, day) + seconds * 1000;
  const first = naive - zoneOffset(naive, timeZone);
  const second = naive - zoneOffset(first, timeZone);
  return first === second ? first : Math.max(first, second);
}

function secondsOfDay(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  return w.hour * 3600 + w.minute * 60 + w.second;
}

function weekday(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  return new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
}

function dayAllowed(s: TScheduleConfig, dow: number, force = false): boolean {
  if (!s.RestrictDays && !force) return true;
  return s.DaysSelect?.[DAY_NAMES[dow]] === true;
}

function inWindow(s: TScheduleConfig, secs: number): boolean {
  if (!s.RestrictRuntime) return true;
  const from = (s.FromTime?.Hour ?? 0) * 3600 + (s.FromTime?.Minutes ?? 0) * 60;
  const to = (s.ToTime?.Hour ?? 0) * 3600 + (s.ToTime?.Minutes ?? 0) * 60;
  return from <= to ? secs >= from && secs <= to : secs >= from || secs <= to;
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

/**
 * The next `count` run times (Unix ms, ascending) strictly after `after` for schedule `s` in `timeZone`.
 * Fewer when the schedule has fewer runs (ONCEONLY, an impossible window) within the horizon; none for an
 * unknown frequency or zone.
 */
export function nextRuns(s: TScheduleConfig, opts: { after: number; timeZone: string; count: number }): number[] {
  const { after, count } = opts;
  const timeZone = isKnownTimeZone(opts.timeZone || 'UTC') ? opts.timeZone || 'UTC' : null;
  if (!timeZone || count <= 0) return [];
  const secs = Math.max(0, Math.floor(s.SecondsPast ?? 0));
  const out: number[] = [];
  const accept = (t: number): boolean => {
    if (t <= after || (out.length > 0 && t <= out[out.length - 1])) return false;
    const weekly = s.FrequencyType === F.SCHEDULE_FREQUENCY_WEEKLY;
    if (!dayAllowed(s, weekday(t, timeZone), weekly) || !inWindow(s, secondsOfDay(t, timeZone))) return false;
    out.push(t);
    return out.length >= count;
  };

  switch (s.FrequencyType) {
    case F.SCHEDULE_FREQUENCY_ONCEONLY:
      if (secs * 1000 > after) out.push(secs * 1000);
      return out;
    case F.SCHEDULE_FREQUENCY_PERIODIC: {
      if (secs < 60) return out; // a busy loop is no schedule
      const period = secs * 1000;
      const offset = (s.Offset ?? 0) * 1000;
      let t = Math.floor((after - offset) / period) * period + offset;
      for (let i = 0; i < MAX_PERIODIC_STEPS; i++) {
        t += period;
        if (accept(t)) break;
      }
      return out;
    }
  }

  const start = wallTime(after, timeZone);
  const weekly = s.FrequencyType === F.SCHEDULE_FREQUENCY_WEEKLY;
  const horizon = s.FrequencyType === F.SCHEDULE_FREQUENCY_YEARLY ? HORIZON_DAYS_YEARLY : HORIZON_DAYS;
  for (let i = 0; i < horizon; i++) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + i));
    const [y, m0, d] = [date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()];
    if (!dayAllowed(s, date.getUTCDay(), weekly)) continue;
    const candidates: number[] = [];
    switch (s.FrequencyType) {
      case F.SCHEDULE_FREQUENCY_HOURLY:
        for (let h = 0; h < 24; h++) candidates.push(fromWall(y, m0, d, h * 3600 + (secs % 3600), timeZone));
        break;
      case F.SCHEDULE_FREQUENCY_DAILY:
      case F.SCHEDULE_FREQUENCY_WEEKLY:
        candidates.push(fromWall(y, m0, d, secs % 86_400, timeZone));
        break;
      case F.SCHEDULE_FREQUENCY_MONTHLY:
      case F.SCHEDULE_FREQUENCY_YEARLY: {
        if (s.FrequencyType === F.SCHEDULE_FREQUENCY_YEARLY && m0 + 1 !== (s.SelectedMonth ?? 1)) break;
        const wanted = Math.min(Math.max(1, s.SelectedDay ?? 1), daysInMonth(y, m0));
        if (d === wanted) candidates.push(fromWall(y, m0, d, secs % 86_400, timeZone));
        break;
      }
      default:
        return out;
    }
    for (const t of candidates) if (accept(t)) return out;
  }
  return out;
}

/** Where the random delay a device applies comes from: the server overrides the policy, which overrides the schedule. */
type TRandomDelay = { seconds: number; source: 'schedule' | 'policy' | 'server' };

export function effectiveRandomDelay(opts: { schedule?: number; policy?: number; server?: number }): TRandomDelay {
  const cap = (v: number) => Math.min(Math.max(0, Math.floor(v)), SCHEDULE.SCHEDULE_MAX_RANDOM_DELAY_SECS);
  if ((opts.server ?? 0) > 0) return { seconds: cap(opts.server!), source: 'server' };
  if ((opts.policy ?? 0) > 0) return { seconds: cap(opts.policy!), source: 'policy' };
  return { seconds: cap(opts.schedule ?? 0), source: 'schedule' };
}
