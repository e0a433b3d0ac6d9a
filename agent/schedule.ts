// When a Comet ScheduleConfig next fires (the subset the reference agent honours): periodic (every
// SecondsPast seconds), hourly (SecondsPast into the hour), daily (SecondsPast after local midnight),
// weekly (daily, on the DaysSelect days). Other frequencies are not run by this agent.
import { SCHEDULE_FREQUENCY as F } from '../lib/comet/constants';

export type Schedule = { FrequencyType?: number; SecondsPast?: number; RestrictDays?: boolean; DaysSelect?: Record<string, boolean> };

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The first time strictly after `after` (ms) at which the schedule fires, or null. */
export function nextRun(s: Schedule, after: number): number | null {
  const secs = Math.max(0, Math.floor(s.SecondsPast ?? 0));
  switch (s.FrequencyType) {
    case F.SCHEDULE_FREQUENCY_PERIODIC: {
      if (secs < 60) return null; // refuse a busy loop
      return (Math.floor(after / 1000 / secs) + 1) * secs * 1000;
    }
    case F.SCHEDULE_FREQUENCY_HOURLY: {
      const hour = Math.floor(after / 3_600_000) * 3_600_000;
      const t = hour + (secs % 3600) * 1000;
      return t > after ? t : t + 3_600_000;
    }
    case F.SCHEDULE_FREQUENCY_DAILY:
    case F.SCHEDULE_FREQUENCY_WEEKLY: {
      const d = new Date(after);
      for (let i = 0; i < 8; i++) {
        const day = new Date(d.getFullYear(), d.getMonth(), d.getDate() + i);
        const t = day.getTime() + (secs % 86_400) * 1000;
        const days = s.DaysSelect ?? {};
        const dayOk = !(s.RestrictDays || s.FrequencyType === F.SCHEDULE_FREQUENCY_WEEKLY) || days[DAY_NAMES[day.getDay()]] === true;
        if (t > after && dayOk) return t;
      }
      return null;
    }
    default:
      return null;
  }
}
