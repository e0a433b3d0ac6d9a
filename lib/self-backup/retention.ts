// Which archives of a target a RetentionPolicy keeps. KEEP_EVERYTHING (and no policy) keeps all;
// DELETE_EXCEPT keeps an archive when any range keeps it. Ranges Halley understands: the most recent N
// (900), newer than Days/Weeks/Months/Years (901), since a Timestamp (902), and the first archive of each
// of the last N days/weeks/months/years (903, 906, 905, 911; 907-910 likewise). A range of a type Halley
// does not know keeps everything: retention never deletes on a guess. Pure; tests/unit covers it.
import { RetentionMode, RetentionRangeType as R } from '../comet/constants';
import type { ArchiveInfo } from './locations/location';

type Range = Record<string, number>;
const DAY = 86_400_000;

function periodKey(ms: number, unit: 'day' | 'week' | 'month' | 'year'): string {
  const d = new Date(ms);
  if (unit === 'day') return d.toISOString().slice(0, 10);
  if (unit === 'month') return d.toISOString().slice(0, 7);
  if (unit === 'year') return String(d.getUTCFullYear());
  return String(Math.floor((ms / DAY + 4) / 7)); // weeks since the epoch's Thursday-based week
}

/** Oldest-first archives of each period, limited to the newest `count` periods. */
function firstOfEachPeriod(sorted: ArchiveInfo[], unit: 'day' | 'week' | 'month' | 'year', count: number, nowMs: number, bounded: boolean): Set<string> {
  const keep = new Set<string>();
  const firstByPeriod = new Map<string, ArchiveInfo>();
  for (const a of [...sorted].reverse()) if (!firstByPeriod.has(periodKey(a.modifiedMs, unit))) firstByPeriod.set(periodKey(a.modifiedMs, unit), a);
  const periods = [...firstByPeriod.keys()].sort().reverse();
  const span = { day: DAY, week: 7 * DAY, month: 31 * DAY, year: 366 * DAY }[unit];
  for (const p of periods.slice(0, count)) {
    const a = firstByPeriod.get(p)!;
    if (!bounded || a.modifiedMs >= nowMs - count * span) keep.add(a.name);
  }
  return keep;
}

export function archivesToDelete(archives: ArchiveInfo[], policy: { Mode?: number; Ranges?: Range[] | null } | undefined, nowMs = Date.now()): string[] {
  if (!policy || Number(policy.Mode) !== RetentionMode.RETENTIONMODE_DELETE_EXCEPT) return [];
  const ranges = policy.Ranges ?? [];
  if (ranges.length === 0) return [];
  const sorted = [...archives].sort((a, b) => b.modifiedMs - a.modifiedMs || b.name.localeCompare(a.name)); // newest first
  const keep = new Set<string>();
  for (const r of ranges) {
    const n = (k: string) => Math.max(0, Math.trunc(Number(r[k] ?? 0)));
    switch (Number(r.Type)) {
      case R.RETENTIONRANGE_MOST_RECENT_X_JOBS:
        for (const a of sorted.slice(0, n('Jobs'))) keep.add(a.name);
        break;
      case R.RETENTIONRANGE_NEWER_THAN_X: {
        const ms = n('Days') * DAY + n('Weeks') * 7 * DAY + n('Months') * 31 * DAY + n('Years') * 366 * DAY;
        for (const a of sorted) if (a.modifiedMs >= nowMs - ms) keep.add(a.name);
        break;
      }
      case R.RETENTIONRANGE_JOBS_SINCE:
        for (const a of sorted) if (a.modifiedMs >= n('Timestamp') * 1000) keep.add(a.name);
        break;
      case R.RETENTIONRANGE_FIRST_JOB_FOR_EACH_LAST_X_DAYS:
        for (const x of firstOfEachPeriod(sorted, 'day', n('Days'), nowMs, true)) keep.add(x);
        break;
      case R.RETENTIONRANGE_FIRST_JOB_FOR_LAST_X_WEEKS:
        for (const x of firstOfEachPeriod(sorted, 'week', n('Weeks'), nowMs, true)) keep.add(x);
        break;
      case R.RETENTIONRANGE_FIRST_JOB_FOR_LAST_X_MONTHS:
        for (const x of firstOfEachPeriod(sorted, 'month', n('Months'), nowMs, true)) keep.add(x);
        break;
      case R.RETENTIONRANGE_FIRST_JOB_FOR_LAST_X_YEARS:
        for (const x of firstOfEachPeriod(sorted, 'year', n('Years'), nowMs, true)) keep.add(x);
        break;
      case R.RETENTIONRANGE_LAST_X_BACKUPS_ONE_FOR_EACH_DAY:
        for (const x of firstOfEachPeriod(sorted, 'day', n('Jobs'), nowMs, false)) keep.add(x);
        break;
      case R.RETENTIONRANGE_LAST_X_BACKUPS_ONE_FOR_EACH_WEEK:
        for (const x of firstOfEachPeriod(sorted, 'week', n('Jobs'), nowMs, false)) keep.add(x);
        break;
      case R.RETENTIONRANGE_LAST_X_BACKUPS_ONE_FOR_EACH_MONTH:
        for (const x of firstOfEachPeriod(sorted, 'month', n('Jobs'), nowMs, false)) keep.add(x);
        break;
      case R.RETENTIONRANGE_LAST_X_BACKUPS_ONE_FOR_EACH_YEAR:
        for (const x of firstOfEachPeriod(sorted, 'year', n('Jobs'), nowMs, false)) keep.add(x);
        break;
      default:
        return [];
    }
  }
  return sorted.filter((a) => !keep.has(a.name)).map((a) => a.name);
}
