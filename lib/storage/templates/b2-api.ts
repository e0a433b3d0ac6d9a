// Backblaze B2's native API (b2api/v2: JSON over HTTPS, an account authorization token), just the calls
// a Storage Template needs: authorize with the template's master key, create (or find) the bucket, create
// an application key restricted to that bucket (and prefix), and remove both again. Every request goes
// through the outbound guard; an error answer becomes an Error with B2's code and message.
import { CauseError } from '../../errors';
import { apiMessageWithEnglish } from '../../i18n/api-messages';
import { guardedRequest } from '../guarded-request';

export const B2_DEFAULT_API = 'https://api.backblazeb2.com';

type TB2Session = { accountId: string; authorizationToken: string; apiUrl: string; s3ApiUrl: string };

function parse(text: string, what: string): Record<string, any> {
  try {
    return JSON.parse(text);
  } catch {
    throw new CauseError(apiMessageWithEnglish('serviceCallNotJson', { service: 'B2', call: what }, `B2 ${what} did not answer JSON`));
  }
}

function failure(what: string, status: number, text: string): Error {
  let detail = text.slice(0, 200);
  try {
    const j = JSON.parse(text);
    detail = `${j.code ?? status}: ${String(j.message ?? '').slice(0, 200)}`;
  } catch {
    // not JSON: the raw text says it
  }
  const english = `B2 ${what} failed (HTTP ${status}): ${detail}`;
  // `status`: lets the reason be told in the reader's language (lib/i18n/failure-cause.ts: 401/403 = refused key);
  // any other answer is Halley's catalogue wording with B2's own words quoted. English stays as it was (callers
  // such as b2-target.ts read it).
  if (status === 401 || status === 403) return Object.assign(new Error(english), { status });
  return Object.assign(new CauseError(apiMessageWithEnglish('serviceCallFailed', { service: 'B2', call: what, status: String(status), detail }, english)), { status });
}

export async function b2Authorize(apiEndpoint: string, keyId: string, appKey: string): Promise<TB2Session> {
  const base = (apiEndpoint.trim() || B2_DEFAULT_API).replace(/\/+$/, '');
  const auth = Buffer.from(`${keyId}:${appKey}`).toString('base64');
  const res = await guardedRequest(`${base}/b2api/v2/b2_authorize_account`, { method: 'GET', headers: { authorization: `Basic ${auth}` } }, 'B2 API');
  if (res.status !== 200) throw failure('b2_authorize_account', res.status, res.text);
  const j = parse(res.text, 'b2_authorize_account');
  if (!j.accountId || !j.authorizationToken || !j.apiUrl) throw new CauseError(apiMessageWithEnglish('serviceCallAnsweredWithout', { service: 'B2', call: 'b2_authorize_account', fields: 'accountId, authorizationToken, apiUrl' }, 'B2 b2_authorize_account answered without accountId, authorizationToken or apiUrl'));
  return { accountId: String(j.accountId), authorizationToken: String(j.authorizationToken), apiUrl: String(j.apiUrl), s3ApiUrl: String(j.s3ApiUrl ?? '') };
}

/** One authorized B2 call (POST JSON to the session's apiUrl). */
export async function b2Call(s: TB2Session, name: string, payload: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await guardedRequest(
    `${s.apiUrl.replace(/\/+$/, '')}/b2api/v2/${name}`,
    { method: 'POST', headers: { authorization: s.authorizationToken, 'content-type': 'application/json' }, body: JSON.stringify(payload) },
    'B2 API',
  );
  if (res.status !== 200) throw failure(name, res.status, res.text);
  return parse(res.text, name);
}
