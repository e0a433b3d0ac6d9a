// Issue 19: the reason inside "Test failed: …", "Provisioning … failed: …", "CometServer must be …" and the delivery
// logs is told in the reader's language for every cause Halley knows (lib/i18n/failure-cause.ts), English staying
// the error's own text; anything else is quoted verbatim after a translated lead-in. Stored reasons
// (lib/i18n/stored-message.ts) render in the reader's language, and rows without one show their text.
import { describe, expect, it } from 'vitest';
import { CauseError } from '../../lib/errors';
import { apiMessage, localizeApiMessage } from '../../lib/i18n/api-messages';
import { failureCause } from '../../lib/i18n/failure-cause';
import { renderStoredMessage, storedMessage } from '../../lib/i18n/stored-message';
import { TargetRefusedError } from '../../lib/net/outbound-guard';

const errno = (code: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { code, ...extra });
const s3Error = (name: string, status: number, message = name) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe('failureCause', () => {
  const cases: Array<{ what: string; err: unknown; key: string; de: RegExp; he: RegExp }> = [
    { what: 'DNS failure', err: errno('ENOTFOUND', 'getaddrinfo ENOTFOUND s3.example.invalid', { hostname: 's3.example.invalid' }), key: 'causeHostUnresolved', de: /^der Hostname s3\.example\.invalid konnte nicht aufgelöst werden \(ENOTFOUND\)$/, he: /^לא ניתן היה לפענח את שם המארח s3\.example\.invalid \(ENOTFOUND\)$/ },
    { what: 'connection refused', err: errno('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9', { address: '127.0.0.1', port: 9 }), key: 'causeConnectionRefused', de: /^127\.0\.0\.1:9 hat die Verbindung abgelehnt$/, he: /^127\.0\.0\.1:9 דחה את החיבור$/ },
    { what: 'time-out', err: errno('ETIMEDOUT', 'connect ETIMEDOUT'), key: 'causeTimeout', de: /^der Server hat nicht rechtzeitig geantwortet$/, he: /^השרת לא ענה בזמן$/ },
    { what: 'AWS SDK time-out', err: Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' }), key: 'causeTimeout', de: /rechtzeitig/, he: /בזמן/ },
    { what: 'connection reset', err: errno('ECONNRESET', 'socket hang up'), key: 'causeConnectionClosed', de: /^die Verbindung wurde vor einer Antwort geschlossen \(ECONNRESET\)$/, he: /ECONNRESET/ },
    { what: 'TLS', err: errno('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), key: 'causeTls', de: /^die TLS-Verbindung konnte nicht aufgebaut werden \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/, he: /TLS/ },
    { what: 'S3 403', err: s3Error('AccessDenied', 403, 'Access Denied'), key: 'causeAccessDenied', de: /^der Dienst hat die Zugangsdaten abgelehnt \(HTTP 403\)$/, he: /^השירות דחה את פרטי הגישה \(HTTP 403\)$/ },
    { what: 'IAM refused key (code only)', err: errno('InvalidClientTokenId', 'IAM ListUsers at iam.example.com: InvalidClientTokenId: bad'), key: 'causeAccessDenied', de: /\(InvalidClientTokenId\)$/, he: /InvalidClientTokenId/ },
    { what: 'B2 401', err: Object.assign(new Error('B2 b2_authorize_account failed (HTTP 401): unauthorized: bad key'), { status: 401 }), key: 'causeAccessDenied', de: /\(HTTP 401\)$/, he: /HTTP 401/ },
    { what: 'bucket exists', err: s3Error('BucketAlreadyExists', 409), key: 'causeBucketExists', de: /^der Bucket existiert bereits$/, he: /כבר קיים/ },
    { what: 'bucket missing', err: s3Error('NoSuchBucket', 404), key: 'causeBucketNotFound', de: /^der Bucket wurde nicht gefunden$/, he: /לא נמצא/ },
    { what: 'HeadBucket 404', err: s3Error('NotFound', 404, 'UnknownError'), key: 'causeBucketNotFound', de: /nicht gefunden/, he: /לא נמצא/ },
    { what: 'invalid URL', err: (() => { try { new URL('http://exa mple'); } catch (e) { return e; } })(), key: 'urlInvalid', de: /^'http:\/\/exa mple' ist keine gültige URL$/, he: /http:\/\/exa mple/ },
    { what: 'a cause from a lower layer', err: new CauseError(apiMessage('urlHasCredentials')), key: 'urlHasCredentials', de: /Benutzernamen|Passwort/i, he: /./ },
  ];
  for (const c of cases) {
    it(`knows ${c.what}: translated, English kept as the error's own text`, () => {
      const m = failureCause(c.err);
      expect(m.key).toBe(c.key);
      expect(m.text).toBe((c.err as Error).message);
      expect(localizeApiMessage(m, 'de')).toMatch(c.de);
      expect(localizeApiMessage(m, 'he')).toMatch(c.he);
    });
  }

  it("keeps the outbound guard's own translated refusal", () => {
    const refusal = new TargetRefusedError(apiMessage('netTargetNoHost', { what: 'target' }));
    expect(failureCause(refusal)).toBe(refusal.translatable);
  });

  it("quotes a far service's own words after a translated lead-in (with the status when known)", () => {
    const said = failureCause(new Error('/api/v1/admin/storage/list-buckets on https://x: Incorrect username or password'));
    expect(said.text).toBe('/api/v1/admin/storage/list-buckets on https://x: Incorrect username or password');
    expect(localizeApiMessage(said, 'de')).toBe('gemeldeter Fehler: „/api/v1/admin/storage/list-buckets on https://x: Incorrect username or password“');
    expect(localizeApiMessage(said, 'es')).toBe('error notificado: «/api/v1/admin/storage/list-buckets on https://x: Incorrect username or password»');
    const withStatus = failureCause(Object.assign(new Error('SlowDown: please reduce your request rate'), { $metadata: { httpStatusCode: 503 } }));
    expect(localizeApiMessage(withStatus, 'de')).toBe('der Dienst antwortete mit HTTP 503: „SlowDown: please reduce your request rate“');
    expect(localizeApiMessage(failureCause(Object.assign(new Error('HTTP 502'), { status: 502 })), 'he')).toBe('השירות ענה HTTP 502');
  });

  it('wraps into the three outer messages whole', () => {
    const cause = failureCause(errno('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9', { address: '127.0.0.1', port: 9 }));
    expect(localizeApiMessage(apiMessage('templateTestFailed', { reason: cause }), 'de')).toBe('Test fehlgeschlagen: 127.0.0.1:9 hat die Verbindung abgelehnt');
    expect(localizeApiMessage(apiMessage('provisioningFailed', { template: 'S3', reason: cause }), 'he')).toMatch(/127\.0\.0\.1:9 דחה את החיבור/);
    expect(apiMessage('templateTestFailed', { reason: cause }).text).toBe('Test failed: connect ECONNREFUSED 127.0.0.1:9');
  });
});

describe('stored messages', () => {
  it('render in the reader\'s language, parts joined; plain parts stay as they are', () => {
    const stored = JSON.parse(JSON.stringify(storedMessage([apiMessage('psaNotMappedYet', { account: 'Acme', service: 'Storage' }), 'verbatim'])));
    expect(renderStoredMessage(stored, 'english text', 'de')).toBe('Acme / Storage: in Gradient noch nicht zugeordnet; verbatim');
    expect(renderStoredMessage(stored, 'english text', 'en')).toBe('Acme / Storage: not mapped in Gradient yet; verbatim');
  });

  it('fall back to the row\'s text: old rows (NULL), unknown keys, malformed JSON', () => {
    expect(renderStoredMessage(null, 'HTTP 503', 'de')).toBe('HTTP 503');
    expect(renderStoredMessage([{ key: 'noSuchKeyAnyMore', values: {}, text: 'x' }], 'old text', 'de')).toBe('old text');
    expect(renderStoredMessage({ key: 'causeTimeout' }, 'old text', 'de')).toBe('old text');
    expect(storedMessage([])).toBeNull();
  });
});
