// When a Comet ScheduleConfig next fires, for the reference agent: the same maths as the server's "next 5
// runs" preview (lib/schedules/next-runs.ts), in the device's own time zone, so what the console promises
// is what the agent does (every frequency, RestrictDays, the RestrictRuntime window, Offset).
import { nextRuns, type TScheduleConfig } from '../lib/schedules/next-runs';

export type Schedule = TScheduleConfig;

/** The machine's IANA time zone (what the agent reports to the server as its own). */
function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The first time strictly after `after` (ms) at which the schedule fires in `timeZone`, or null. */
export function nextRun(s: Schedule, after: number, timeZone = localTimeZone()): number | null {
  return nextRuns(s, { after, timeZone, count: 1 })[0] ?? null;
}
