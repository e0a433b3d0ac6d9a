// Issues 19 and 20: every error message the API produces comes from the "api" catalogue in the caller's
// language (Accept-Language), with English as the fallback. Samples endpoints across the areas (request core,
// users, policies, jobs, organizations, email, webhooks, dispatcher), as a tenant admin and as the top-level
// admin, in Spanish, German, Japanese and Hebrew; and the one validation rule set (email, host, time zone,
// bounded text) refuses values with the field named.
import { beforeAll, describe, expect, it } from 'vitest';
import { apiMessage, localizeApiMessage } from '../../lib/i18n/api-messages';
import type { Locale } from '../../lib/i18n/locales';
import { encodeForm, type CometClient, type ParamValue } from '../helpers/comet-client';
import { makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';

const ACCEPT: Record<Locale & ('es' | 'de' | 'ja' | 'he'), string> = { es: 'es-ES,es;q=0.9', de: 'de-DE,de;q=0.9,en;q=0.5', ja: 'ja-JP', he: 'he-IL,he;q=0.8' };
const LOCALES = Object.keys(ACCEPT) as Array<keyof typeof ACCEPT>;

/** One call in `locale`: the decoded {Status, Message}. */
async function callIn(by: CometClient, locale: keyof typeof ACCEPT | 'en', path: string, params: Record<string, ParamValue> = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (locale !== 'en') headers['accept-language'] = ACCEPT[locale];
  const r = await by.raw(path, { method: 'POST', headers, body: encodeForm(by.creds, params, by.style).toString() });
  return r.body as { Status: number; Message: string };
}

let root: CometClient;
let t: TenantFixture;
let user: { username: string; password: string };

beforeAll(async () => {
  root = await rootClient();
  t = await makeTenant('api-i18n');
  user = await makeUser(t.admin);
}, 60_000);

type Case = {
  what: string;
  by: () => CometClient;
  path: string;
  params: () => Record<string, ParamValue>;
  status: number;
  message: () => ReturnType<typeof apiMessage>;
};

const CASES: Case[] = [
  { what: 'an unknown policy', by: () => t.admin, path: '/api/v1/admin/policies/get', params: () => ({ PolicyID: 'no-such-policy' }), status: 404, message: () => apiMessage('policyNotFound', { id: 'no-such-policy' }) },
  { what: 'an unknown job', by: () => t.admin, path: '/api/v1/admin/get-job-properties', params: () => ({ JobID: 'no-such-job' }), status: 404, message: () => apiMessage('jobNotFound', { id: 'no-such-job' }) },
  { what: 'a taken user name', by: () => t.admin, path: '/api/v1/admin/add-user', params: () => ({ TargetUser: user.username, TargetPassword: 'Correct-Horse-42' }), status: 409, message: () => apiMessage('usernameInUse', { username: user.username }) },
  { what: 'an unknown user', by: () => t.admin, path: '/api/v1/admin/get-user-profile', params: () => ({ TargetUser: 'no-such-user-x' }), status: 400, message: () => apiMessage('userNotFound', { username: 'no-such-user-x' }) },
  { what: 'a missing parameter', by: () => t.admin, path: '/api/v1/admin/policies/get', params: () => ({}), status: 400, message: () => apiMessage('missingParam', { name: 'PolicyID' }) },
  { what: 'a top-level-only action', by: () => t.admin, path: '/api/v1/admin/organization/set', params: () => ({ Organization: { Name: 'x' } }), status: 403, message: () => apiMessage('topLevelOnly') },
  { what: 'an empty organization name', by: () => root, path: '/api/v1/admin/organization/set', params: () => ({ Organization: { Name: '  ' } }), status: 400, message: () => apiMessage('fieldEmpty', { field: 'Organization.Name' }) },
  { what: 'an organization host that is no host name', by: () => root, path: '/api/v1/admin/organization/set', params: () => ({ Organization: { Name: uniq('Hosts'), Hosts: ['not a host!'] } }), status: 400, message: () => apiMessage('fieldNotHost', { field: 'Organization.Hosts[0]', value: 'not a host!' }) },
  { what: "a profile's time zone", by: () => t.admin, path: '/api/v1/admin/set-user-profile', params: () => ({ TargetUser: user.username, ProfileData: { Username: user.username, LocalTimezone: 'Mars/Olympus_Mons' } }), status: 400, message: () => apiMessage('fieldNotTimeZone', { field: 'ProfileData.LocalTimezone', value: 'Mars/Olympus_Mons' }) },
  { what: "a profile's email address", by: () => t.admin, path: '/api/v1/admin/set-user-profile', params: () => ({ TargetUser: user.username, ProfileData: { Username: user.username, Emails: ['nobody-at-example'] } }), status: 400, message: () => apiMessage('fieldNotEmail', { field: 'ProfileData.Emails[0]', value: 'nobody-at-example' }) },
  { what: 'a sender address', by: () => root, path: '/api/v1/admin/meta/email-options/set', params: () => ({ EmailOptions: { Mode: 'smtp', SMTPHost: 'mail.example.com', SMTPPort: 25, FromEmail: 'not-an-address' } }), status: 400, message: () => apiMessage('fieldNotEmail', { field: 'EmailOptions.FromEmail', value: 'not-an-address' }) },
  { what: 'a webhook without URL', by: () => root, path: '/api/v1/admin/meta/webhook-options/set', params: () => ({ WebhookOptions: { hook: { URL: '', Level: 'full' } } }), status: 400, message: () => apiMessage('fieldEmpty', { field: 'WebhookOptions["hook"].URL' }) },
  { what: 'a job search on an unknown field', by: () => t.admin, path: '/api/v1/admin/get-jobs-for-custom-search', params: () => ({ Query: { ClauseType: 'and', ClauseChildren: [{ RuleField: 'Nope', RuleOperator: 'str_eq', RuleValue: 'x' }] } }), status: 400, message: () => apiMessage('searchFieldUnknown', { field: '"Nope"' }) },
  { what: 'a login URL that is no http(s) address', by: () => t.admin, path: '/api/v1/admin/dispatcher/update-login-url', params: () => ({ TargetID: 'no-such-connection', NewURL: 'ftp://example.com/' }), status: 400, message: () => apiMessage('paramNotHttpUrl', { name: 'NewURL' }) },
];

describe('API error messages in the caller’s language', () => {
  for (const c of CASES) {
    it(`${c.what}: English by default, translated for es, de, ja and he`, async () => {
      const expected = c.message();
      const en = await callIn(c.by(), 'en', c.path, c.params());
      expect(en).toEqual({ Status: c.status, Message: expected.text });
      for (const locale of LOCALES) {
        const got = await callIn(c.by(), locale, c.path, c.params());
        expect(got.Status).toBe(c.status);
        expect(got.Message).toBe(localizeApiMessage(expected, locale));
        expect(got.Message, `${c.what} in ${locale}`).not.toBe(expected.text);
      }
    });
  }

  it('reads as a person would write it (literal samples)', async () => {
    expect((await callIn(t.admin, 'es', '/api/v1/admin/policies/get', { PolicyID: 'p1' })).Message).toBe("No se encontró la directiva 'p1'");
    expect((await callIn(t.admin, 'de', '/api/v1/admin/get-job-properties', { JobID: 'j1' })).Message).toBe("Auftrag 'j1' wurde nicht gefunden");
    expect((await callIn(t.admin, 'ja', '/api/v1/admin/policies/get', {})).Message).toBe('必須パラメーター「PolicyID」がありません');
    expect((await callIn(root, 'he', '/api/v1/admin/organization/set', { Organization: { Name: '' } })).Message).toBe('השדה Organization.Name לא יכול להיות ריק');
  });

  it('a message that wraps another translates both (a report filter inside email options)', async () => {
    const option = { EmailReportConfig: { ReportType: 1, SummaryFrequency: [], Filter: { RuleField: 'Nope', RuleOperator: 'str_eq', RuleValue: 'x' } }, LanguageCode: 'en_US', LocalTimezone: 'UTC', Recipients: ['ops@example.com'] };
    const got = await callIn(root, 'de', '/api/v1/admin/meta/email-options/set', { EmailOptions: { Mode: 'smtp', SMTPHost: 'mail.example.com', SMTPPort: 25, EmailReportingOptions: [option] } });
    expect(got.Status).toBe(400);
    expect(got.Message).toBe(`EmailOptions.EmailReportingOptions[0].Filter: ${localizeApiMessage(apiMessage('searchFieldUnknown', { field: '"Nope"' }), 'de')}`);
    expect(got.Message).toContain('Unbekanntes Suchfeld');
  });

  it('an unknown language falls back to English', async () => {
    const r = await t.admin.raw('/api/v1/admin/policies/get', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'tlh' },
      body: encodeForm(t.admin.creds, { PolicyID: 'p2' }).toString(),
    });
    expect(r.body).toEqual({ Status: 404, Message: "Policy 'p2' was not found" });
  });
});
