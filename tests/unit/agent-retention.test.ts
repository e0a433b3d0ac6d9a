// The reference agent's retention (agent/retention.ts): which snapshots each Comet RetentionRange keeps.
// Times are built from local calendar dates, so the test holds in any time zone.
import { describe, expect, it } from 'vitest';
import { RetentionMode, RetentionRangeType as R } from '../../lib/comet/constants';
import { retentionFor, snapshotsToKeep, type Dated } from '../../agent/retention';

const at = (y: number, m: number, d: number, h = 12) => Math.floor(new Date(y, m - 1, d, h).getTime() / 1000);
const snap = (id: string, t: number): Dated => ({ id, time: t });
const except = (...Ranges: object[]) => ({ Mode: RetentionMode.RETENTIONMODE_DELETE_EXCEPT, Ranges });
const kept = (s: Dated[], policy: object | null, now: number) => [...snapshotsToKeep(s, policy, now)].sort();

// Two snapshots a day (03:00 and 15:00) from 2026-01-01 to 2026-03-31.
const daily: Dated[] = [];
for (let t = new Date(2026, 0, 1); t <= new Date(2026, 2, 31); t = new Date(t.getFullYear(), t.getMonth(), t.getDate() + 1)) {
  const key = `${t.getMonth() + 1}-${t.getDate()}`;
  daily.push(snap(`${key}-a`, at(2026, t.getMonth() + 1, t.getDate(), 3)), snap(`${key}-b`, at(2026, t.getMonth() + 1, t.getDate(), 15)));
}
const now = at(2026, 3, 31, 18);

describe('agent retention', () => {
  it('keeps everything without a policy or with KEEP_EVERYTHING', () => {
    expect(kept(daily, null, now)).toHaveLength(daily.length);
    expect(kept(daily, { Mode: RetentionMode.RETENTIONMODE_KEEP_EVERYTHING, Ranges: [] }, now)).toHaveLength(daily.length);
  });

  it('DELETE_EXCEPT with no range keeps only the newest snapshot', () => {
    expect(kept(daily, except(), now)).toEqual(['3-31-b']);
  });

  it('most recent X jobs, newer than X, jobs since', () => {
    expect(kept(daily, except({ Type: R.RETENTIONRANGE_MOST_RECENT_X_JOBS, Jobs: 3 }), now)).toEqual(['3-30-b', '3-31-a', '3-31-b']);
    expect(kept(daily, except({ Type: R.RETENTIONRANGE_NEWER_THAN_X, Days: 2 }), now)).toEqual(['3-30-a', '3-30-b', '3-31-a', '3-31-b']);
    expect(kept(daily, except({ Type: R.RETENTIONRANGE_JOBS_SINCE, Timestamp: at(2026, 3, 31, 0) }), now)).toEqual(['3-31-a', '3-31-b']);
  });

  it('the first job of each of the last X days / weeks / months', () => {
    expect(kept(daily, except({ Type: R.RETENTIONRANGE_FIRST_JOB_FOR_EACH_LAST_X_DAYS, Days: 3 }), now)).toEqual(['3-29-a', '3-30-a', '3-31-a', '3-31-b']);
    // 2026-03-31 is a Tuesday: weeks starting Monday are 03-30 and 03-23.
    expect(kept(daily, except({ Type: R.RETENTIONRANGE_FIRST_JOB_FOR_LAST_X_WEEKS, Weeks: 2, WeekOffset: 1 }), now)).toEqual(['3-23-a', '3-30-a', '3-31-b']);
    expect(kept(daily, except({ Type: R.RETENTIONRANGE_FIRST_JOB_FOR_LAST_X_MONTHS, Months: 2 }), now)).toEqual(['2-1-a', '3-1-a', '3-31-b']);
    expect(kept(daily, except({ Type: R.RETENTIONRANGE_FIRST_JOB_FOR_LAST_X_YEARS, Years: 1 }), now)).toEqual(['1-1-a', '3-31-b']);
  });

  it('the last X backups, one for each day / month', () => {
    expect(kept(daily, except({ Type: R.RETENTIONRANGE_LAST_X_BACKUPS_ONE_FOR_EACH_DAY, Jobs: 2 }), now)).toEqual(['3-30-b', '3-31-b']);
    expect(kept(daily, except({ Type: R.RETENTIONRANGE_LAST_X_BACKUPS_ONE_FOR_EACH_MONTH, Jobs: 3 }), now)).toEqual(['1-31-b', '2-28-b', '3-31-b']);
  });

  it('ranges add up: a snapshot is kept when any range keeps it', () => {
    const policy = except({ Type: R.RETENTIONRANGE_MOST_RECENT_X_JOBS, Jobs: 1 }, { Type: R.RETENTIONRANGE_FIRST_JOB_FOR_LAST_X_MONTHS, Months: 3 });
    expect(kept(daily, policy, now)).toEqual(['1-1-a', '2-1-a', '3-1-a', '3-31-b']);
  });

  it("uses the protected item's override for the vault, else the vault's default", () => {
    const vaultDefault = except({ Type: R.RETENTIONRANGE_MOST_RECENT_X_JOBS, Jobs: 5 });
    const override = except({ Type: R.RETENTIONRANGE_MOST_RECENT_X_JOBS, Jobs: 1 });
    const profile = { Destinations: { v1: { DefaultRetention: vaultDefault } }, Sources: { s1: { OverrideDestinationRetention: { v1: override } }, s2: {} } };
    expect(retentionFor(profile, 's1', 'v1')).toBe(override);
    expect(retentionFor(profile, 's2', 'v1')).toBe(vaultDefault);
    expect(retentionFor(profile, 's2', 'v2')).toBeNull();
  });
});
