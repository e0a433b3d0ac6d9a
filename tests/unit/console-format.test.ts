// The console's one formatter (components/console/format.ts) and the query builder's field table
// (components/console/jobs/search-fields.ts): every searchable field has a readable name in every language.
import { describe, expect, it } from 'vitest';
import en from '@/messages/en.json';
import { deviceFilterFieldList } from '@/lib/campaigns/device-filter-fields';
import { SEARCH_FIELDS } from '@/lib/job-search/fields';
import { StreamableEventType } from '@/lib/comet/constants';
import { HALLEY_EVENT_NAMES } from '@/lib/events/halley-event-types';
import { createFormatter, eventTypeConstant, formatBytes, formatDuration, formatOs, formatPlatform, formatSpan, unixToZonedInput, zonedInputToUnix } from '@/components/console/format';
import { defaultValue, FIELD_SPECS, fieldSpec, operatorLabelKey, operatorsFor } from '@/components/console/jobs/search-fields';

const t = (key: string) => `<${key}>`;

describe('format', () => {
  it('sizes in binary units with the language’s decimal mark', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(1536, 'de')).toBe('1,5 KiB');
    expect(formatBytes(150 * 1024 ** 3)).toBe('150 GiB');
    expect(formatBytes(Number.NaN)).toBe('0 B');
    // Hebrew: isolated left to right, so the number stays before its unit in a right-to-left line.
    expect(formatBytes(100 * 1024 ** 3, 'he')).toBe('\u2066100 GiB\u2069');
  });

  it('durations and spans in the language’s units', () => {
    expect(formatDuration(7500)).toBe('2h 5m');
    expect(formatDuration(12)).toBe('12s');
    expect(formatDuration(-1)).toBe('—');
    expect(formatDuration(250, 'de')).toMatch(/^4 Min\. 10 Sek\.$/);
    expect(formatSpan(7 * 86400)).toBe('1 week');
    expect(formatSpan(3 * 86400)).toBe('3 days');
    expect(formatSpan(3 * 86400, 'de')).toBe('3 Tage');
    expect(formatSpan(90)).toBe('90 seconds');
  });

  it('names operating systems and platforms by product name', () => {
    expect(formatOs('darwin')).toBe('macOS');
    expect(formatOs('windows')).toBe('Windows');
    expect(formatOs('plan9')).toBe('plan9');
    expect(formatPlatform({ os: 'linux', distribution: 'Debian 12', arch: 'amd64' })).toBe('Debian 12 · x86-64');
    expect(formatPlatform('darwin/arm64')).toBe('macOS · ARM64');
    expect(formatPlatform(undefined)).toBe('');
  });

  it('turns wall-clock input in a time zone into Unix seconds and back, across DST', () => {
    // 2026-07-01 12:00 in Berlin is 10:00 UTC (CEST); 2026-01-15 12:00 is 11:00 UTC (CET).
    expect(zonedInputToUnix('2026-07-01T12:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 6, 1, 10) / 1000);
    expect(zonedInputToUnix('2026-01-15T12:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 0, 15, 11) / 1000);
    expect(unixToZonedInput(Date.UTC(2026, 6, 1, 10) / 1000, 'Europe/Berlin')).toBe('2026-07-01T12:00');
    expect(unixToZonedInput(Date.UTC(2026, 6, 1, 10) / 1000, 'UTC')).toBe('2026-07-01T10:00');
    expect(zonedInputToUnix('nonsense', 'UTC')).toBeNaN();
  });

  it('formats dates in the admin’s zone and labels job codes', () => {
    const f = createFormatter('en', 'Asia/Tokyo', t);
    expect(f.dateTime(Date.UTC(2026, 0, 1, 23, 30) / 1000, 'date')).toBe('Jan 2, 2026');
    expect(f.dateTime(0)).toBe('—');
    expect(f.relative(1_800_000_000 - 3 * 86400, 1_800_000_000)).toBe('3 days ago');
    expect(f.jobStatus(7002)).toBe('<jobs.status.error>');
    expect(f.jobClassification(4001)).toBe('<jobs.classification.backup>');
    expect(f.fromInput(f.toInput(1_800_000_000))).toBe(1_800_000_000);
  });

  it('labels event types, Comet’s and Halley’s own, and shows unknown ones by their raw name', () => {
    const f = createFormatter('en', 'UTC', t);
    expect(f.eventType(4103, 'SEVT_ACCOUNT_LOGIN')).toBe('<eventTypes.SEVT_ACCOUNT_LOGIN>');
    expect(f.eventType(14501, '')).toBe('<eventTypes.HALLEY_EVENT_CAMPAIGN_STARTED>');
    expect(eventTypeConstant(14601, '')).toBe('HALLEY_EVENT_CONSTELLATION_MISSING_BUCKET');
    expect(f.eventType(4999, 'SEVT_FUTURE_THING')).toBe('SEVT_FUTURE_THING');
    expect(f.eventType(12345, '')).toBe('12345');
    // Every type the server can send has a label in en.json (the other languages follow en.json's keys).
    const names = [...Object.keys(StreamableEventType).filter((n) => !n.startsWith('SEVT__')), ...Object.values(HALLEY_EVENT_NAMES)];
    expect(names.filter((n) => !Object.hasOwn(en.eventTypes, n))).toEqual([]);
  });
});

describe('search field presentation', () => {
  const labels = en.jobs.fields as Record<string, string>;

  it('names every job search field and device filter field readably', () => {
    const names = [...Object.keys(SEARCH_FIELDS), ...deviceFilterFieldList().map((f) => f.name)];
    const missing = names.filter((n) => !Object.hasOwn(FIELD_SPECS, n) || !labels[FIELD_SPECS[n].label]);
    expect(missing).toEqual([]);
    // No readable name leaks the wire vocabulary.
    expect(Object.values(labels).filter((l) => /BackupJobDetail|Halley\.|Unix|bytes\)/.test(l))).toEqual([]);
  });

  it('offers only the operators valid for a field, with sensible defaults', () => {
    expect(operatorsFor(fieldSpec('BackupJobDetail.TimeSinceJobStart', 'int').ui, false)[0]).toBe('int_lt');
    expect(operatorsFor(fieldSpec('BackupJobDetail.Username', 'string').ui, false)[0]).toBe('str_contains_ci');
    expect(operatorsFor('status', true)).toEqual(['int_eq', 'int_neq']);
    expect(operatorsFor('bool', true)).toEqual(['bool_is', 'bool_nis']);
    expect(operatorsFor('text', false)).not.toContain('str_regexmatch');
    expect(operatorsFor('text', true)).toContain('str_regexmatch');
    expect(operatorLabelKey('since', 'int_lt')).toBe('lessThan');
    expect(operatorLabelKey('time', 'int_lt')).toBe('before');
    expect(defaultValue('since')).toBe(String(7 * 86400));
    // Every operator of every kind of field has a label.
    const ops = en.jobs.builder.ops as Record<string, string>;
    for (const ui of ['status', 'classification', 'time', 'since', 'bytes', 'count', 'text', 'id', 'bool', 'tenant', 'group', 'os'] as const) {
      for (const op of operatorsFor(ui, true)) expect(ops[operatorLabelKey(ui, op)], `${ui} ${op}`).toBeTruthy();
    }
  });
});
