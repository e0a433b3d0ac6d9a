// Pure parts of email reports: the message files, schedule maths, language matching and rendering.
import { describe, expect, it } from 'vitest';
import { EMAIL_LOCALES, EMAIL_MESSAGES, emailLocale } from '../../lib/email/i18n';
import { DEFAULT_BRANDING, renderEmail, type JobLine } from '../../lib/email/render';
import { nextRun, periodFor, scheduleToRepeat } from '../../lib/email/schedule';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('lib/email/messages', () => {
  it.each(EMAIL_LOCALES.map((l) => [l]))('%s has exactly the keys and placeholders of en.json', (locale) => {
    const en = EMAIL_MESSAGES.en as Record<string, string>;
    const other = EMAIL_MESSAGES[locale] as Record<string, string>;
    expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en)) {
      expect(other[key].trim(), `${locale} ${key}`).not.toBe('');
      expect(placeholders(other[key]), `${locale} ${key}`).toEqual(placeholders(en[key]));
    }
  });

  it('matches Comet LanguageCodes', () => {
    expect(emailLocale('de_DE')).toBe('de');
    expect(emailLocale('pt_BR')).toBe('pt-BR');
    expect(emailLocale('pt_PT')).toBe('pt-PT');
    expect(emailLocale('fr_CA')).toBe('fr');
    expect(emailLocale('nl_NL')).toBe('nl');
    expect(emailLocale('es_ES')).toBe('es');
    expect(emailLocale('ko_KR')).toBe('en');
    expect(emailLocale('')).toBe('en');
  });
});

describe('ScheduleConfig -> job scheduler', () => {
  it('daily, in the time zone, with seconds and restricted days', () => {
    expect(scheduleToRepeat({ FrequencyType: 8011, SecondsPast: 7 * 3600 + 30 * 60 + 5 }, 'Europe/Berlin')).toEqual({ pattern: '5 30 7 * * *', tz: 'Europe/Berlin' });
    expect(scheduleToRepeat({ FrequencyType: 8011, SecondsPast: 3600, RestrictDays: true, DaysSelect: { Monday: true, Friday: true } }, '')).toEqual({ pattern: '0 0 1 * * 1,5', tz: 'UTC' });
    expect(scheduleToRepeat({ FrequencyType: 8011, SecondsPast: 0, RestrictDays: true, DaysSelect: {} }, 'UTC')).toBeNull();
  });

  it('hourly, weekly, monthly, yearly, periodic; once-only is refused', () => {
    expect(scheduleToRepeat({ FrequencyType: 8012, SecondsPast: 15 * 60 }, 'UTC')).toEqual({ pattern: '0 15 * * * *', tz: 'UTC' });
    expect(scheduleToRepeat({ FrequencyType: 8013, SecondsPast: 86_400 + 9 * 3600 }, 'UTC')).toEqual({ pattern: '0 0 9 * * 1', tz: 'UTC' });
    expect(scheduleToRepeat({ FrequencyType: 8014, SecondsPast: 6 * 3600, SelectedDay: 15 }, 'UTC')).toEqual({ pattern: '0 0 6 15 * *', tz: 'UTC' });
    expect(scheduleToRepeat({ FrequencyType: 8016, SecondsPast: 0, SelectedMonth: 12, SelectedDay: 31 }, 'UTC')).toEqual({ pattern: '0 0 0 31 12 *', tz: 'UTC' });
    expect(scheduleToRepeat({ FrequencyType: 8015, SecondsPast: 5 }, 'UTC')).toEqual({ every: 60_000 });
    expect(scheduleToRepeat({ FrequencyType: 8010, SecondsPast: 1_800_000_000 }, 'UTC')).toBeNull();
    expect(scheduleToRepeat({ FrequencyType: 8011, SecondsPast: 0 }, 'Not/AZone')).toEqual({ pattern: '0 0 0 * * *', tz: 'UTC' });
  });

  it('a period runs from the previous occurrence to this one (time zone aware), or TimeSpan', () => {
    const daily = scheduleToRepeat({ FrequencyType: 8011, SecondsPast: 8 * 3600 }, 'Europe/Paris')!;
    const due = Date.UTC(2026, 10, 22, 7, 0, 0); // 08:00 in Paris (CET)
    expect(nextRun(daily, due - 1000)).toBe(due);
    expect(periodFor(daily, due)).toEqual({ start: due / 1000 - 86_400, end: due / 1000 });
    expect(periodFor(daily, due, 3600)).toEqual({ start: due / 1000 - 3600, end: due / 1000 });
    // Across the DST change (29 March 2026 in Europe): 23 hours.
    const afterDst = Date.UTC(2026, 2, 29, 6, 0, 0);
    expect(periodFor(daily, afterDst)).toEqual({ start: afterDst / 1000 - 23 * 3600, end: afterDst / 1000 });
  });
});

describe('renderEmail', () => {
  const job: JobLine = { guid: 'g', username: 'alice', status: 7002, classification: 4001, device: 'PC <1>', item: 'Docs & "stuff"', vault: 'S3', start: 1_790_000_000, end: 1_790_000_600, uploaded: 1_500_000, downloaded: 0, totalSize: 2e9, files: 1234 };

  it('escapes values, uses branding and the language, has a text part', () => {
    const r = renderEmail({
      content: { kind: 'immediate', job, log: [{ time: 1_790_000_100, severity: 'E', message: '<script>x</script>' }] },
      languageCode: 'de_DE',
      timeZone: 'Europe/Berlin',
      branding: { ...DEFAULT_BRANDING, brandName: 'Acme', topColor: '#123456', accentColor: 'red;background:url(x)' },
      recipient: 'a@example.com',
    });
    expect(r.locale).toBe('de');
    expect(r.subject).toBe('Acme: Fehler – PC <1> / Docs & "stuff"');
    expect(r.html).toContain('PC &lt;1&gt;');
    expect(r.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(r.html).not.toContain('<script>');
    expect(r.html).toContain('background:#123456');
    expect(r.html).not.toContain('url(x)');
    expect(r.text).toContain('Gerät: PC <1>');
    expect(r.text).toContain('1.234');
  });

  it('summary lists jobs and totals in each language', () => {
    for (const [code, word] of [['fr_FR', 'Résumé des sauvegardes'], ['es_ES', 'Resumen de copias'], ['nl_NL', 'Back-upoverzicht'], ['pt_BR', 'Resumo de backups'], ['en_US', 'Backup summary']]) {
      const r = renderEmail({
        content: { kind: 'summary', period: { start: 1_790_000_000, end: 1_790_086_400 }, totals: { jobs: 1, succeeded: 0, warnings: 0, failed: 1, running: 0 }, lines: [job], more: 0, groups: [] },
        languageCode: code,
        timeZone: 'UTC',
        branding: DEFAULT_BRANDING,
        recipient: 'ops@example.com',
      });
      expect(r.html, code).toContain(word);
      expect(r.text, code).toContain('alice');
    }
  });
});

describe('who receives which report (userReports)', () => {
  const base = { id: 'acct-1', tenantId: 't-1', username: 'alice', accountName: 'Alice Ltd', languageCode: 'fr_FR', localTimezone: 'Europe/Paris' };
  const summary = { ReportType: 1, SummaryFrequency: [{ FrequencyType: 8011, SecondsPast: 0 }], Filter: {} };
  const failedOnly = { ReportType: 0, SummaryFrequency: [], Filter: { RuleField: 'Halley.IsFailed', RuleOperator: 'bool_is', RuleValue: 'true' } };

  it('nothing without SendEmailReports or addresses', async () => {
    const { userReports } = await import('../../lib/email/report-sources');
    expect(userReports({ ...base, emails: ['a@x.example'], sendEmailReports: false, data: {} })).toEqual([]);
    expect(userReports({ ...base, emails: [], sendEmailReports: true, data: {} })).toEqual([]);
  });

  it("Halley's default, the policy's DefaultEmailReports, and per-address overrides", async () => {
    const { userReports, DEFAULT_USER_REPORTS } = await import('../../lib/email/report-sources');
    const plain = userReports({ ...base, emails: ['a@x.example', 'b@x.example'], sendEmailReports: true, data: {} });
    expect(plain).toHaveLength(1);
    expect(plain[0]).toMatchObject({ key: 'user:acct-1:0', recipients: ['a@x.example', 'b@x.example'], config: DEFAULT_USER_REPORTS[0], scope: { tenantId: 't-1', accountId: 'acct-1' }, languageCode: 'fr_FR', timeZone: 'Europe/Paris' });

    const data = {
      Policy: { DefaultEmailReports: { ShouldOverrideDefaultReports: true, Reports: [summary] } },
      OverrideEmailSettings: { 'b@x.example': { Reports: [failedOnly, summary] } },
    };
    const specs = userReports({ ...base, emails: ['a@x.example', 'b@x.example'], sendEmailReports: true, data });
    expect(specs.map((s) => [s.key, s.recipients, s.config])).toEqual([
      ['user:acct-1:0', ['a@x.example'], summary],
      ['user:acct-1:1', ['b@x.example'], failedOnly],
      ['user:acct-1:2', ['b@x.example'], summary],
    ]);
    // A policy that does not override keeps Halley's default.
    const notOverriding = userReports({ ...base, emails: ['a@x.example'], sendEmailReports: true, data: { Policy: { DefaultEmailReports: { ShouldOverrideDefaultReports: false, Reports: [summary] } } } });
    expect(notOverriding[0].config).toEqual(DEFAULT_USER_REPORTS[0]);
  });
});
