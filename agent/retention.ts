// Which snapshots a Comet RetentionPolicy keeps. KEEP_EVERYTHING keeps all; DELETE_EXCEPT keeps a
// snapshot when any range keeps it, and always the newest one (a retention pass never empties a protected
// item). Calendar ranges use the device's local time. Pure functions; tests/unit/agent-retention.test.ts.
import { RetentionMode, RetentionRangeType as R } from '../lib/comet/constants';

type RetentionRange = {
  Type?: number;
  Timestamp?: number;
  Jobs?: number;
  Days?: number;
  Weeks?: number;
  Months?: number;
  Years?: number;
  /** FIRST_JOB_FOR_LAST_X_WEEKS: the weekday a week starts on (0 = Sunday). */
  WeekOffset?: number;
  /** FIRST_JOB_FOR_LAST_X_MONTHS: the day of the month a month starts on (0 or 1 = the 1st). */
  MonthOffset?: number;
  /** FIRST_JOB_FOR_LAST_X_YEARS: the month a year starts on (0 or 1 = January). */
  YearOffset?: number;
};
type RetentionPolicy = { Mode?: number; Ranges?: RetentionRange[] | null };
export type Dated = { id: string; time: number };

const n = (v: number | undefined) => Math.max(0, Math.trunc(Number(v) || 0));

/** The local calendar period a Unix time falls in, as a sortable key. */
function dayKey(t: number): string {
  const d = new Date(t * 1000);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}
function weekKey(t: number, startDay = 0): string {
  const d = new Date(t * 1000);
  const back = (d.getDay() - (startDay % 7) + 7) % 7;
  const start = new Date(d.getFullYear(), d.getMonth(), d.getDate() - back);
  return `${start.getFullYear()}-${start.getMonth()}-${start.getDate()}`;
}
function monthKey(t: number, startDate = 1): string {
  const d = new Date(t * 1000);
  const first = Math.min(28, Math.max(1, startDate || 1));
  const m = d.getDate() >= first ? d.getMonth() : d.getMonth() - 1;
  const y = d.getFullYear() + Math.floor(m / 12);
  return `${y}-${((m % 12) + 12) % 12}`;
}
function yearKey(t: number, startMonth = 1): string {
  const d = new Date(t * 1000);
  const first = Math.min(12, Math.max(1, startMonth || 1)) - 1;
  return String(d.getMonth() >= first ? d.getFullYear() : d.getFullYear() - 1);
}

/** The local start of the period `count - 1` periods before the one `now` is in. */
function periodsBack(now: number, count: number, unit: 'day' | 'week' | 'month' | 'year', offset: number): number {
  const d = new Date(now * 1000);
  if (unit === 'day') return new Date(d.getFullYear(), d.getMonth(), d.getDate() - (count - 1)).getTime() / 1000;
  if (unit === 'week') {
    const back = (d.getDay() - (offset % 7) + 7) % 7;
    return new Date(d.getFullYear(), d.getMonth(), d.getDate() - back - 7 * (count - 1)).getTime() / 1000;
  }
  if (unit === 'month') {
    const first = Math.min(28, Math.max(1, offset || 1));
    const m = d.getDate() >= first ? d.getMonth() : d.getMonth() - 1;
    return new Date(d.getFullYear(), m - (count - 1), first).getTime() / 1000;
  }
  const first = Math.min(12, Math.max(1, offset || 1)) - 1;
  const y = d.getMonth() >= first ? d.getFullYear() : d.getFullYear() - 1;
  return new Date(y - (count - 1), first, 1).getTime() / 1000;
}

/** The first snapshot of each period within the last `count` periods. */
function firstOfEach(sorted: Dated[], now: number, count: number, unit: 'day' | 'week' | 'month' | 'year', key: (t: number) => string, offset: number): Dated[] {
  if (count <= 0) return [];
  const since = periodsBack(now, count, unit, offset);
  const seen = new Set<string>();
  const out: Dated[] = [];
  for (const s of sorted) {
    if (s.time < since) continue;
    const k = key(s.time);
    if (!seen.has(k)) (seen.add(k), out.push(s));
  }
  return out;
}

/** The newest snapshot of each of the `count` most recent periods that have one. */
function lastOnePerPeriod(sorted: Dated[], count: number, key: (t: number) => string): Dated[] {
  if (count <= 0) return [];
  const seen = new Set<string>();
  const out: Dated[] = [];
  for (let i = sorted.length - 1; i >= 0 && out.length < count; i--) {
    const k = key(sorted[i].time);
    if (!seen.has(k)) (seen.add(k), out.push(sorted[i]));
  }
  return out;
}

function addCalendar(now: number, r: RetentionRange): number {
  const d = new Date(now * 1000);
  return new Date(d.getFullYear() - n(r.Years), d.getMonth() - n(r.Months), d.getDate() - n(r.Days) - 7 * n(r.Weeks), d.getHours(), d.getMinutes(), d.getSeconds()).getTime() / 1000;
}

function keptByRange(sorted: Dated[], r: RetentionRange, now: number): Dated[] {
  switch (r.Type) {
    case R.RETENTIONRANGE_MOST_RECENT_X_JOBS:
      return n(r.Jobs) > 0 ? sorted.slice(-n(r.Jobs)) : [];
    case R.RETENTIONRANGE_NEWER_THAN_X: {
      const cutoff = addCalendar(now, r);
      return sorted.filter((s) => s.time >= cutoff);
    }
    case R.RETENTIONRANGE_JOBS_SINCE:
      return sorted.filter((s) => s.time >= n(r.Timestamp));
    case R.RETENTIONRANGE_FIRST_JOB_FOR_EACH_LAST_X_DAYS:
      return firstOfEach(sorted, now, n(r.Days), 'day', dayKey, 0);
    case R.RETENTIONRANGE_FIRST_JOB_FOR_LAST_X_WEEKS:
      return firstOfEach(sorted, now, n(r.Weeks), 'week', (t) => weekKey(t, n(r.WeekOffset)), n(r.WeekOffset));
    case R.RETENTIONRANGE_FIRST_JOB_FOR_LAST_X_MONTHS:
      return firstOfEach(sorted, now, n(r.Months), 'month', (t) => monthKey(t, n(r.MonthOffset)), n(r.MonthOffset));
    case R.RETENTIONRANGE_FIRST_JOB_FOR_LAST_X_YEARS:
      return firstOfEach(sorted, now, n(r.Years), 'year', (t) => yearKey(t, n(r.YearOffset)), n(r.YearOffset));
    case R.RETENTIONRANGE_LAST_X_BACKUPS_ONE_FOR_EACH_DAY:
      return lastOnePerPeriod(sorted, n(r.Jobs), dayKey);
    case R.RETENTIONRANGE_LAST_X_BACKUPS_ONE_FOR_EACH_WEEK:
      return lastOnePerPeriod(sorted, n(r.Jobs), (t) => weekKey(t, 0));
    case R.RETENTIONRANGE_LAST_X_BACKUPS_ONE_FOR_EACH_MONTH:
      return lastOnePerPeriod(sorted, n(r.Jobs), (t) => monthKey(t, 1));
    case R.RETENTIONRANGE_LAST_X_BACKUPS_ONE_FOR_EACH_YEAR:
      return lastOnePerPeriod(sorted, n(r.Jobs), (t) => yearKey(t, 1));
    default:
      // An unknown range type keeps everything it might have meant to keep.
      return sorted;
  }
}

/** The ids of `snapshots` (one protected item in one vault) that `policy` keeps at `now` (Unix seconds). */
export function snapshotsToKeep(snapshots: Dated[], policy: RetentionPolicy | null | undefined, now: number): Set<string> {
  const sorted = [...snapshots].sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
  if (!policy || policy.Mode !== RetentionMode.RETENTIONMODE_DELETE_EXCEPT) return new Set(sorted.map((s) => s.id));
  const keep = new Set<string>();
  for (const r of policy.Ranges ?? []) for (const s of keptByRange(sorted, r, now)) keep.add(s.id);
  const newest = sorted.at(-1);
  if (newest) keep.add(newest.id);
  return keep;
}

/** The policy for a protected item in a vault: the item's override, else the vault's default. */
export function retentionFor(profile: { Sources?: Record<string, { OverrideDestinationRetention?: Record<string, RetentionPolicy> | null }> | null; Destinations?: Record<string, { DefaultRetention?: RetentionPolicy | null }> | null }, sourceId: string, destinationId: string): RetentionPolicy | null {
  return profile.Sources?.[sourceId]?.OverrideDestinationRetention?.[destinationId] ?? profile.Destinations?.[destinationId]?.DefaultRetention ?? null;
}
