// One bounded HTTP request through the outbound guard, for provisioning calls (custom template URLs,
// other Storage Role servers): connects only to checked addresses, follows no redirect, stops after
// HALLEY_STORAGE_TIMEOUT_MS and reads at most 1 MiB of the answer.
import http from 'node:http';
import https from 'node:https';
import { env } from '../env';
import { CauseError } from '../errors';
import { apiMessage, apiMessageWithEnglish, type ApiMessage } from '../i18n/api-messages';
import { guardedLookup, literalRefusalMessage, notHttpRefusal, TargetRefusedError, urlHost } from '../net/outbound-guard';
import { withPrivateTargets } from '../net/private-targets';

const MAX_RESPONSE = 1024 * 1024;

type GuardedResponse = { status: number; text: string };

function once(url: URL, init: { method: string; headers: Record<string, string>; body?: string }, allowPrivate: boolean, what: string): Promise<GuardedResponse> {
  return new Promise((resolve, reject) => {
    const why = literalRefusalMessage(urlHost(url), allowPrivate, what);
    if (why) return reject(new TargetRefusedError(why));
    const lib = url.protocol === 'https:' ? https : http;
    const timeout = env().HALLEY_STORAGE_TIMEOUT_MS;
    const headers: Record<string, string | number> = { ...init.headers };
    if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
    const req = lib.request(url, { method: init.method, headers, lookup: guardedLookup(allowPrivate, what) as never, timeout }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_RESPONSE) return void req.destroy(new CauseError(apiMessage('causeAnswerTooLarge', { host: url.host, bytes: String(MAX_RESPONSE) })));
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`${url.host} did not answer within ${timeout} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(init.body);
  });
}

export function guardedRequest(rawUrl: string, init: { method: string; headers?: Record<string, string>; body?: string }, what: string): Promise<GuardedResponse> {
  const url = new URL(rawUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw notHttpRefusal(what);
  return withPrivateTargets((allow) => once(url, { method: init.method, headers: init.headers ?? {}, body: init.body }, allow, what));
}

/** POSTs a Comet API call (form-encoded, admin credentials) to another server; answers its JSON. */
export async function callRemoteApi(base: string, path: string, creds: { username: string; password: string }, params: Record<string, string>): Promise<Record<string, any>> {
  const body = new URLSearchParams({ Username: creds.username, AuthType: 'Password', Password: creds.password, ...params }).toString();
  const res = await guardedRequest(`${base.replace(/\/+$/, '')}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }, 'Storage Role server');
  return remoteApiAnswer(base, path, res);
}

/**
 * Another server's answer to the Comet API call `path`: its JSON, or its refusal as a RemoteApiError (an answer
 * without JSON, an HTTP status or a Comet Status of 400 and more), translatable with the far server's words quoted.
 */
export function remoteApiAnswer(base: string, path: string, res: GuardedResponse): Record<string, any> {
  let json: Record<string, any>;
  try {
    json = JSON.parse(res.text);
  } catch {
    throw new RemoteApiError(apiMessage('remoteNoJson', { path, server: base, status: String(res.status) }), res.status);
  }
  const answer: Record<string, any> = json !== null && typeof json === 'object' ? json : {};
  if (res.status !== 200 || (typeof answer.Status === 'number' && answer.Status >= 400)) {
    const status = typeof answer.Status === 'number' && answer.Status >= 400 ? answer.Status : res.status;
    const said = typeof answer.Message === 'string' && answer.Message !== '' ? answer.Message.slice(0, 300) : '';
    const english = `${path} on ${base}: ${said || `HTTP ${res.status}`}`;
    // Comet refuses credentials with Status 401/403 (its Message is English, e.g. "Unauthorised"): a known cause.
    const cause =
      status === 401 || status === 403
        ? apiMessage('causeAccessDenied', { detail: said ? `${status} ${said}` : `HTTP ${status}` })
        : said
          ? apiMessage('causeRemoteStatus', { status: String(status), text: said })
          : apiMessage('causeHttpStatus', { status: String(status) });
    throw new RemoteApiError(apiMessageWithEnglish('remoteCallFailed', { path, server: base, cause }, english), status);
  }
  return json;
}

/** Another server's refusal of a call: the far server's words quoted after a translated lead-in (lib/i18n/failure-cause). */
export class RemoteApiError extends Error {
  constructor(
    readonly translatable: ApiMessage,
    readonly status: number,
  ) {
    super(translatable.text);
  }
}
