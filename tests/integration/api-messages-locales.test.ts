// Issues 19 and 20: every error message the API produces comes from the "api" catalogue in the caller's
// language (Accept-Language), with English as the fallback. Samples endpoints across the areas (request core,
// users, policies, jobs, organizations, email, webhooks, dispatcher), as a tenant admin and as the top-level
// admin, in Spanish, German, Japanese and Hebrew; and the one validation rule set (email, host, time zone,
// bounded text) refuses values with the field named. Messages built around a cause are translated whole: the
// outbound guard's reasons, webhook URL checks, object keys (the storage object API), Zod issues (price list,
// console preferences; campaign options in tests/unit/api-message-causes.test.ts, as the wire types refuse a
// wrong type first) and SMTP failures around the server's own reply.
import { beforeAll, describe, expect, it } from 'vitest';
import { PAGE_SIZES } from '../../lib/admins/page-sizes';
import { apiMessage, apiMessageWithEnglish, localizeApiMessage, type ApiMessage } from '../../lib/i18n/api-messages';
import { checkWebhookUrl } from '../../lib/webhooks/check-webhook-url';
import type { Locale } from '../../lib/i18n/locales';
import { encodeForm, type CometClient, type ParamValue } from '../helpers/comet-client';
import { makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { allowPrivateTargets } from '../helpers/private-targets';
import { halleyUrl } from '../helpers/server';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';

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
  { what: 'a webhook URL with credentials', by: () => root, path: '/api/v1/admin/meta/webhook-options/set', params: () => ({ WebhookOptions: { hook: { URL: 'http://a:b@example.com/in', Level: 'full' } } }), status: 400, message: () => apiMessage('fieldRefused', { field: 'WebhookOptions["hook"].URL', reason: apiMessage('urlHasCredentials') }) },
  { what: 'a webhook URL that is not http(s)', by: () => root, path: '/api/v1/admin/meta/webhook-options/set', params: () => ({ WebhookOptions: { hook: { URL: 'ftp://example.com/in', Level: 'full' } } }), status: 400, message: () => apiMessage('fieldRefused', { field: 'WebhookOptions["hook"].URL', reason: apiMessage('urlNotHttp', { scheme: 'ftp:' }) }) },
  { what: 'a negative price (a Zod issue with a custom message)', by: () => t.admin, path: '/api/v1/admin/billing/price-list/set', params: () => ({ PriceList: { Currency: 'EUR', DevicePrice: -1, GBMonthPrice: 1 } }), status: 400, message: () => apiMessage('priceListInvalid', { path: 'DevicePrice', reason: apiMessage('mustNotBeNegative') }) },
  { what: 'a currency code (a Zod issue with a custom message)', by: () => t.admin, path: '/api/v1/admin/billing/price-list/set', params: () => ({ PriceList: { Currency: 'euro', DevicePrice: 1, GBMonthPrice: 1 } }), status: 400, message: () => apiMessage('priceListInvalid', { path: 'Currency', reason: apiMessage('currencyCodeInvalid') }) },
  {
    what: 'a console preference out of its choices (a Zod refinement)',
    by: () => t.admin,
    path: '/api/v1/admin/account/console-preferences/set',
    params: () => ({ Preferences: JSON.stringify({ PageSize: 7 }) }),
    status: 400,
    message: () => {
      const oneOf = apiMessageWithEnglish('zodInvalidValue', { options: PAGE_SIZES.join(', ') }, `must be one of ${PAGE_SIZES.join(', ')}`);
      return apiMessage('preferencesInvalid', { reason: apiMessageWithEnglish('zodIssueAt', { path: 'PageSize', reason: oneOf }, `PageSize ${oneOf.text}`) });
    },
  },
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

  it('an object key the storage object API refuses (HTTP status and message in the caller’s language)', async () => {
    const { NewBucketID: bucket, NewBucketKey: key } = await t.admin.ok('/api/v1/admin/storage/register-bucket');
    const put = (locale: keyof typeof ACCEPT | 'en') =>
      fetch(halleyUrl(`/storage/v1/${bucket}/chunks/.hidden`), { method: 'PUT', headers: { authorization: `Bearer ${key}`, ...(locale === 'en' ? {} : { 'accept-language': ACCEPT[locale] }) }, body: 'x' });
    const expected = apiMessage('objectKeySegmentInvalid', { segment: '.hidden' });
    const en = await put('en');
    expect(en.status).toBe(400);
    expect(await en.json()).toEqual({ Status: 400, Message: "object key segment '.hidden' is not allowed (letters, digits and . _ = - only; not starting with '.')" });
    for (const locale of LOCALES) {
      const r = await put(locale);
      expect(r.status).toBe(400);
      expect((await r.json()).Message).toBe(localizeApiMessage(expected, locale));
    }
    expect((await (await put('de')).json()).Message).toBe("Segment '.hidden' des Objektschlüssels ist nicht erlaubt (nur Buchstaben, Ziffern und . _ = -; nicht mit '.' beginnend)");
  });

  it('an SMTP server’s refusal: a sentence in the caller’s language around the server’s own reply', async () => {
    const restore = await allowPrivateTargets(true);
    let sink: SmtpSink | undefined;
    try {
      sink = await startSmtpSink({ credentials: { username: 'mailer', password: 'Correct-Horse-42' } });
      const params = {
        EmailOptions: { Mode: 'smtp', SMTPHost: '127.0.0.1', SMTPPort: sink.port, SMTPUsername: 'mailer', SMTPPassword: 'Wrong-Horse-42', SMTPAllowUnencrypted: true, FromEmail: 'reports@acme.example' },
        Recipient: 'ops@acme.example',
      };
      const en = await callIn(root, 'en', '/api/v1/admin/meta/send-test-email', params);
      expect(en.Status).toBe(400);
      expect(en.Message).toMatch(/^Sending to ops@acme\.example failed: Invalid login: 535 /);
      const de = await callIn(root, 'de', '/api/v1/admin/meta/send-test-email', params);
      expect(de).toEqual({ Status: 400, Message: expect.stringMatching(/^Senden an ops@acme\.example fehlgeschlagen: der SMTP-Server hat die Anmeldung abgelehnt: 535 /) });
      const ja = await callIn(root, 'ja', '/api/v1/admin/meta/send-test-email', params);
      expect(ja.Message).toMatch(/^ops@acme\.example への送信に失敗しました: SMTP サーバーがサインインを拒否しました: 535 /);
    } finally {
      await sink?.close();
      await restore();
    }
  });

  it('the outbound guard’s reason, translated whole (a webhook to a private address with private targets off)', async () => {
    const restore = await allowPrivateTargets(false);
    try {
      const url = 'http://[::ffff:127.0.0.1]/in';
      const { refusal } = await checkWebhookUrl(url, false);
      const expected = apiMessage('fieldRefused', { field: 'WebhookOptions["guarded"].URL', reason: refusal as ApiMessage });
      const params = { WebhookOptions: { guarded: { URL: url, Level: 'full' } } };
      expect(await callIn(root, 'en', '/api/v1/admin/meta/webhook-options/set', params)).toEqual({ Status: 400, Message: expected.text });
      expect(expected.text).toContain('embeds the non-public IPv4 address 127.0.0.1');
      for (const locale of LOCALES) {
        const got = await callIn(root, locale, '/api/v1/admin/meta/webhook-options/set', params);
        expect(got).toEqual({ Status: 400, Message: localizeApiMessage(expected, locale) });
      }
      expect((await callIn(root, 'es', '/api/v1/admin/meta/webhook-options/set', params)).Message).toContain('contiene la dirección IPv4 no pública 127.0.0.1');
    } finally {
      await restore();
    }
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
