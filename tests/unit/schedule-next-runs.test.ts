// Schedule maths for the "next 5 runs" preview: every frequency, the device's time zone (including a DST
// change), time windows, days of the week, and the random-delay precedence.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCHEDULE_FREQUENCY as F } from '../../lib/comet/constants';
import { effectiveRandomDelay, nextRuns } from '../../lib/schedules/next-runs';
import { validateRule } from '../../lib/profile/validate-backup-config';

const iso = (ms: number[]) => ms.map((t) => new Date(t).toISOString());
const at = (s: string) => Date.parse(s);

describe('nextRuns', () => {
  it('daily at 22:00 in the device zone, across the spring DST change', () => {
    const runs = nextRuns({ FrequencyType: F.SCHEDULE_FREQUENCY_DAILY, SecondsPast: 22 * 3600 }, { after: at('2026-03-27T12:00:00Z'), timeZone: 'Europe/Amsterdam', count: 4 });
    // CET (+1) until 29 March 02:00, then CEST (+2).
    expect(iso(runs)).toEqual(['2026-03-27T21:00:00.000Z', '2026-03-28T21:00:00.000Z', '2026-03-29T20:00:00.000Z', '2026-03-30T20:00:00.000Z']);
  });

  it('hourly at :15 within 09:00-11:00 on weekdays only', () => {
    const s = { FrequencyType: F.SCHEDULE_FREQUENCY_HOURLY, SecondsPast: 15 * 60, RestrictRuntime: true, FromTime: { Hour: 9, Minutes: 0 }, ToTime: { Hour: 11, Minutes: 0 }, RestrictDays: true, DaysSelect: { Monday: true, Tuesday: true, Wednesday: true, Thursday: true, Friday: true } };
    // Friday 4 December 2026, 10:30 in New York (UTC-5).
    const runs = nextRuns(s, { after: at('2026-12-04T15:30:00Z'), timeZone: 'America/New_York', count: 3 });
    expect(iso(runs)).toEqual(['2026-12-07T14:15:00.000Z', '2026-12-07T15:15:00.000Z', '2026-12-08T14:15:00.000Z']);
  });

  it('a window that wraps past midnight', () => {
    const s = { FrequencyType: F.SCHEDULE_FREQUENCY_HOURLY, SecondsPast: 0, RestrictRuntime: true, FromTime: { Hour: 23, Minutes: 0 }, ToTime: { Hour: 1, Minutes: 0 } };
    expect(iso(nextRuns(s, { after: at('2026-12-04T12:00:00Z'), timeZone: 'UTC', count: 4 }))).toEqual(['2026-12-04T23:00:00.000Z', '2026-12-05T00:00:00.000Z', '2026-12-05T01:00:00.000Z', '2026-12-05T23:00:00.000Z']);
  });

  it('weekly on the selected days; none selected gives no runs', () => {
    const s = { FrequencyType: F.SCHEDULE_FREQUENCY_WEEKLY, SecondsPast: 3600, DaysSelect: { Sunday: true, Wednesday: true } };
    expect(iso(nextRuns(s, { after: at('2026-12-04T00:00:00Z'), timeZone: 'UTC', count: 3 }))).toEqual(['2026-12-06T01:00:00.000Z', '2026-12-09T01:00:00.000Z', '2026-12-13T01:00:00.000Z']);
    expect(nextRuns({ ...s, DaysSelect: {} }, { after: 0, timeZone: 'UTC', count: 3 })).toEqual([]);
  });

  it('monthly on day 31 falls back to the last day of shorter months', () => {
    const s = { FrequencyType: F.SCHEDULE_FREQUENCY_MONTHLY, SecondsPast: 0, SelectedDay: 31 };
    expect(iso(nextRuns(s, { after: at('2027-01-15T00:00:00Z'), timeZone: 'UTC', count: 3 }))).toEqual(['2027-01-31T00:00:00.000Z', '2027-02-28T00:00:00.000Z', '2027-03-31T00:00:00.000Z']);
  });

  it('yearly on 29 February finds leap years (28 February otherwise)', () => {
    const s = { FrequencyType: F.SCHEDULE_FREQUENCY_YEARLY, SecondsPast: 0, SelectedMonth: 2, SelectedDay: 29 };
    expect(iso(nextRuns(s, { after: at('2026-12-04T00:00:00Z'), timeZone: 'UTC', count: 2 }))).toEqual(['2027-02-28T00:00:00.000Z', '2028-02-29T00:00:00.000Z']);
  });

  it('periodic with an offset, once-only, and refusals', () => {
    const periodic = { FrequencyType: F.SCHEDULE_FREQUENCY_PERIODIC, SecondsPast: 6 * 3600, Offset: 1800 };
    expect(iso(nextRuns(periodic, { after: at('2026-12-04T00:00:00Z'), timeZone: 'Asia/Kolkata', count: 2 }))).toEqual(['2026-12-04T00:30:00.000Z', '2026-12-04T06:30:00.000Z']);
    expect(nextRuns({ FrequencyType: F.SCHEDULE_FREQUENCY_PERIODIC, SecondsPast: 10 }, { after: 0, timeZone: 'UTC', count: 5 })).toEqual([]);
    const once = at('2027-01-01T08:00:00Z') / 1000;
    expect(nextRuns({ FrequencyType: F.SCHEDULE_FREQUENCY_ONCEONLY, SecondsPast: once }, { after: at('2026-12-04T00:00:00Z'), timeZone: 'UTC', count: 5 })).toEqual([once * 1000]);
    expect(nextRuns({ FrequencyType: 1234 }, { after: 0, timeZone: 'UTC', count: 5 })).toEqual([]);
    expect(nextRuns({ FrequencyType: F.SCHEDULE_FREQUENCY_DAILY }, { after: 0, timeZone: 'Not/AZone', count: 5 })).toEqual([]);
  });

  it('property: runs are strictly increasing, after the start, on allowed days and inside the window', () => {
    const zones = ['UTC', 'Europe/Amsterdam', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
    fc.assert(
      fc.property(
        fc.constantFrom(F.SCHEDULE_FREQUENCY_HOURLY, F.SCHEDULE_FREQUENCY_DAILY, F.SCHEDULE_FREQUENCY_WEEKLY, F.SCHEDULE_FREQUENCY_PERIODIC),
        fc.integer({ min: 0, max: 3599 }),
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
        (freq, secs, zone, after, days) => {
          const names = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
          const DaysSelect = Object.fromEntries(names.map((n, i) => [n, days[i]]));
          const s = { FrequencyType: freq, SecondsPast: freq === F.SCHEDULE_FREQUENCY_PERIODIC ? secs + 60 : secs, RestrictDays: true, DaysSelect };
          const runs = nextRuns(s, { after, timeZone: zone, count: 5 });
          if (!days.some(Boolean)) return runs.length === 0;
          const fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'long' });
          return runs.every((t, i) => t > after && (i === 0 || t > runs[i - 1]) && DaysSelect[fmt.format(new Date(t))] === true);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('effectiveRandomDelay', () => {
  it('server overrides policy overrides schedule, capped at SCHEDULE_MAX_RANDOM_DELAY_SECS', () => {
    expect(effectiveRandomDelay({ schedule: 300 })).toEqual({ seconds: 300, source: 'schedule' });
    expect(effectiveRandomDelay({ schedule: 300, policy: 600 })).toEqual({ seconds: 600, source: 'policy' });
    expect(effectiveRandomDelay({ schedule: 300, policy: 600, server: 60 })).toEqual({ seconds: 60, source: 'server' });
    expect(effectiveRandomDelay({ schedule: 99_999 })).toEqual({ seconds: 18_000, source: 'schedule' });
  });
});

describe('schedule validation', () => {
  const ctx = { vaultIds: new Set(['v']), itemIds: new Set(['i']) };
  const codes = (schedule: object) => validateRule('r', { Description: 'x', Source: 'i', Destination: 'v', Schedules: [schedule] }, ctx).map((e) => `${e.field.join('.')}:${e.code}`);
  it('accepts a good schedule and names the field of a bad one', () => {
    expect(codes({ FrequencyType: F.SCHEDULE_FREQUENCY_HOURLY, SecondsPast: 900, RestrictRuntime: true, FromTime: { Hour: 8, Minutes: 0 }, ToTime: { Hour: 18, Minutes: 0 } })).toEqual([]);
    expect(codes({ FrequencyType: F.SCHEDULE_FREQUENCY_HOURLY, SecondsPast: 3600 })).toEqual(['Schedules.0.SecondsPast:range']);
    expect(codes({ FrequencyType: F.SCHEDULE_FREQUENCY_DAILY, SecondsPast: 0, RestrictRuntime: true, FromTime: { Hour: 24, Minutes: 0 }, ToTime: { Hour: 1, Minutes: 60 } })).toEqual(['Schedules.0.FromTime.Hour:range', 'Schedules.0.ToTime.Minutes:range']);
    expect(codes({ FrequencyType: F.SCHEDULE_FREQUENCY_WEEKLY, SecondsPast: 0 })).toEqual(['Schedules.0.DaysSelect:daysRequired']);
    expect(codes({ FrequencyType: F.SCHEDULE_FREQUENCY_MONTHLY, SecondsPast: 0, SelectedDay: 0 })).toEqual(['Schedules.0.SelectedDay:range']);
    expect(codes({ FrequencyType: F.SCHEDULE_FREQUENCY_DAILY, SecondsPast: 0, RandomDelaySecs: 18_001 })).toEqual(['Schedules.0.RandomDelaySecs:range']);
    expect(codes({ FrequencyType: 42 })).toEqual(['Schedules.0.FrequencyType:frequency']);
  });
});
