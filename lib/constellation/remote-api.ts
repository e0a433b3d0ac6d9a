// One Comet admin API call to another Halley (or Comet) server listed in a Constellation's Servers, through
// the outbound guard (checked addresses only, no redirects), form-encoded with the admin credentials given,
// bounded in time (HALLEY_STORAGE_TIMEOUT_MS) and size (HALLEY_CONSTELLATION_REMOTE_MAX_MB: list-users-full
// of a large server is big). Any failure is an error naming the server: the caller's run is then partial.
import http from 'node:http';
import https from 'node:https';
import { env } from '../env';
import { CauseError } from '../errors';
import { apiMessageWithEnglish } from '../i18n/api-messages';
import { guardedLookup, literalRefusalMessage, notHttpRefusal, TargetRefusedError, urlHost } from '../net/outbound-guard';
import { withPrivateTargets } from '../net/private-targets';
import { remoteApiAnswer } from '../storage/guarded-request';

export type TRemoteCreds = { address: string; username: string; password: string };

function post(url: URL, body: string, allowPrivate: boolean, limit: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const why = literalRefusalMessage(urlHost(url), allowPrivate, 'Constellation server');
    if (why) return reject(new TargetRefusedError(why));
    const lib = url.protocol === 'https:' ? https : http;
    const timeout = env().HALLEY_STORAGE_TIMEOUT_MS;
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) };
    const req = lib.request(url, { method: 'POST', headers, lookup: guardedLookup(allowPrivate, 'Constellation server') as never, timeout }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limit) return void req.destroy(new CauseError(apiMessageWithEnglish('causeAnswerTooLarge', { host: url.host, bytes: String(limit) }, `the answer of ${url.host} is larger than ${Math.round(limit / 1048576)} MiB (HALLEY_CONSTELLATION_REMOTE_MAX_MB)`)));
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`${url.host} did not answer within ${timeout} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

export async function remoteApi(creds: TRemoteCreds, apiPath: string, params: Record<string, string> = {}): Promise<any> {
  const url = new URL(`${creds.address.replace(/\/+$/, '')}${apiPath}`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw notHttpRefusal('Constellation server');
  const body = new URLSearchParams({ Username: creds.username, AuthType: 'Password', Password: creds.password, ...params }).toString();
  const limit = env().HALLEY_CONSTELLATION_REMOTE_MAX_MB * 1048576;
  const res = await withPrivateTargets((allow) => post(url, body, allow, limit));
  // A refusal (an HTTP status or a Comet Status >= 400, an answer without JSON) is a RemoteApiError, as opposed to
  // no answer at all: translatable, the far server's own Message quoted verbatim inside.
  return remoteApiAnswer(creds.address.replace(/\/+$/, ''), apiPath, res);
}
