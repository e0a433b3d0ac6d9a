// A Storage Role bucket (DESTINATIONTYPE_COMET: CometServer, CometBucket, CometBucketKey) on this Halley or
// another one, through its object API (/storage/v1/<bucket>/<key>, lib/adapters/storage/object-api.ts) over
// the outbound guard. The archive is streamed as one chunked PUT to its final key: the object API writes it
// to a temporary file and renames it only when the body is complete, so the bucket holds either the whole
// archive or none of it, and a killed worker's broken upload is removed by the receiving server itself
// (nothing for removeOrphans to do). Bytes flow with back-pressure (the request is the archive's stream).
import http from 'node:http';
import https from 'node:https';
import { guardedLookup, literalRefusalMessage, TargetRefusedError, urlHost } from '../../net/outbound-guard';
import { allowPrivateTargetsNow } from '../../net/private-targets';
import type { LocationConfig } from '../stored-options';
import type { ArchiveInfo, BackupLocation, PendingArchive } from './location';
import { withDefaultScheme } from '../../validation/url-parts';
import { CauseError } from '../../errors';
import { apiMessage, apiMessageWithEnglish } from '../../i18n/api-messages';

const WHAT = 'Storage Role server';
/** A stalled connection (no byte either way) fails the run after this long. */
const IDLE_TIMEOUT_MS = 5 * 60_000;
const MAX_ANSWER = 1024 * 1024;

type Answer = { status: number; text: string };

/** "host:port", "http://host:port/" → the object API base URL of that server, or an error saying why not. */
export function objectApiBase(server: string): URL {
  const raw = server.trim();
  const url = new URL(withDefaultScheme(raw, 'http'));
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CauseError(apiMessageWithEnglish('urlNotHttp', { scheme: url.protocol }, 'CometServer must be an http:// or https:// URL'));
  if (url.username || url.password) throw new CauseError(apiMessageWithEnglish('urlHasCredentials', {}, 'CometServer must not carry credentials'));
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/storage/v1/`;
  url.search = '';
  url.hash = '';
  return url;
}

type AnswerAction = 'check' | 'store' | 'list' | 'remove';

/**
 * The error a non-2xx object API answer stands for (its JSON Message, never the key): refused credentials as a
 * known cause, other answers with the server's Message quoted, in the reader's language; English as before.
 */
function answerError(action: AnswerAction, name: string, a: Answer): Error {
  let said = '';
  try {
    const m = JSON.parse(a.text)?.Message;
    if (typeof m === 'string') said = m.slice(0, 300);
  } catch {
    // not JSON: the status says enough
  }
  const status = String(a.status);
  const cause =
    a.status === 401 || a.status === 403
      ? apiMessage('causeAccessDenied', { detail: said ? `HTTP ${status}: ${said}` : `HTTP ${status}` })
      : said
        ? apiMessage('causeHttpStatusSaid', { status, text: said })
        : apiMessage('causeHttpStatus', { status });
  const what = { check: 'Bucket', store: 'Storing', list: 'Listing', remove: 'Removing' }[action];
  return new CauseError(apiMessageWithEnglish('storageRoleAnswered', { action, name, cause }, `${what} ${name}: ${said ? `${said} (HTTP ${status})` : `HTTP ${status}`}`));
}

export function storageRoleLocation(location: LocationConfig): BackupLocation {
  const server = String(location.CometServer ?? '');
  const bucket = String(location.CometBucket ?? '');
  const bucketKey = String(location.CometBucketKey ?? '');
  const base = () => objectApiBase(server);
  const objectUrl = (key = '') => new URL(`${encodeURIComponent(bucket)}${key ? `/${key.split('/').map(encodeURIComponent).join('/')}` : ''}`, base());

  /** Starts one request through the guard (the private-target switch as cached now). */
  async function open(method: string, url: URL, headers: Record<string, string> = {}): Promise<{ req: http.ClientRequest; answer: Promise<Answer> }> {
    const allowPrivate = await allowPrivateTargetsNow();
    const why = literalRefusalMessage(urlHost(url), allowPrivate, WHAT);
    if (why) throw new TargetRefusedError(why);
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, {
      method,
      headers: { ...headers, authorization: `Bearer ${bucketKey}` },
      lookup: guardedLookup(allowPrivate, WHAT) as never,
      timeout: IDLE_TIMEOUT_MS,
    });
    const answer = new Promise<Answer>((resolve, reject) => {
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_ANSWER) chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`${url.host} did not answer within ${IDLE_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
    });
    return { req, answer };
  }

  async function call(method: string, url: URL): Promise<Answer> {
    const { req, answer } = await open(method, url);
    req.end();
    return answer;
  }

  return {
    describe: () => `storage role: ${server}/${bucket}`,
    async check() {
      if (!bucket) throw new CauseError(apiMessage('locationFieldEmpty', { field: 'CometBucket' }));
      const a = await call('GET', Object.assign(objectUrl(), { search: '?limit=1' }));
      if (a.status !== 200) throw answerError('check', bucket, a);
    },
    async create(name: string): Promise<PendingArchive> {
      const { req, answer } = await open('PUT', objectUrl(name), { 'content-type': 'application/zip' });
      let outcome: Answer | undefined;
      // An early refusal (wrong key, too large) stops the archive at once instead of after the last byte.
      const settled = answer.then((a) => {
        outcome = a;
        if (a.status !== 200) req.destroy(answerError('store', name, a));
        return a;
      });
      settled.catch(() => undefined);
      return {
        stream: req,
        async commit() {
          const a = await settled;
          if (a.status !== 200) throw answerError('store', name, a);
          const size = Number(JSON.parse(a.text)?.Size);
          return { size: Number.isFinite(size) ? size : 0 };
        },
        async abort() {
          req.destroy();
          // Published already (the body was complete before the run failed): remove it.
          if (outcome?.status === 200) await call('DELETE', objectUrl(name)).catch(() => undefined);
        },
      };
    },
    async list(prefix: string): Promise<ArchiveInfo[]> {
      const out: ArchiveInfo[] = [];
      let after = '';
      for (;;) {
        const url = objectUrl();
        url.search = new URLSearchParams({ prefix, after, limit: '1000' }).toString();
        const a = await call('GET', url);
        if (a.status !== 200) throw answerError('list', bucket, a);
        const page = JSON.parse(a.text) as { Objects?: Array<{ Key: string; Size: number; Modified: number }>; NextAfter?: string };
        for (const o of page.Objects ?? []) if (o.Key.endsWith('.zip') && !o.Key.includes('/')) out.push({ name: o.Key, size: o.Size, modifiedMs: o.Modified * 1000 });
        if (!page.NextAfter) return out;
        after = page.NextAfter;
      }
    },
    async remove(name: string) {
      const a = await call('DELETE', objectUrl(name));
      if (a.status !== 204 && a.status !== 200) throw answerError('remove', name, a);
    },
    async removeOrphans() {
      return 0;
    },
  };
}
