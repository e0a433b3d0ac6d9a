// One HTTP request to a PSA, through the outbound guard (lib/net/outbound-guard.ts): the host is resolved
// once, every address checked, and the connection made only to an address that passed; an IP literal is
// checked before connecting. Redirects are never followed, answers are read up to 1 MiB, time is bounded.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { HALLEY_VERSION } from '../meta/version';
import { guardedLookup, isTargetRefused, literalRefusalMessage, urlHost } from '../net/outbound-guard';
import { apiMessageWithEnglish, type ApiMessage } from '../i18n/api-messages';
import { failureCause } from '../i18n/failure-cause';

export type PsaRequest = { method: 'GET' | 'POST' | 'PUT' | 'PATCH'; url: string; headers?: Record<string, string>; body?: string };
export type PsaResponse = { status: number; body: string; json: unknown };

const MAX_ANSWER = 1024 * 1024;
const WHAT = 'PSA target';

/**
 * Thrown for a request that could not be made or was answered with a non-2xx status. `translatable`: the reason
 * as a catalogue message (the push log shows it in the reader's language); `message` is its English.
 */
export class PsaRequestError extends Error {
  readonly translatable: ApiMessage;
  constructor(
    message: ApiMessage,
    readonly status: number,
    /** 'HALLEY_TARGET_REFUSED' when the outbound guard refused the target (see isTargetRefused). */
    readonly code?: string,
  ) {
    super(message.text);
    this.translatable = message;
  }
}

/** The request's own time limit (its error has no Node code). */
class NoAnswerError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

export function psaRequest(req: PsaRequest, opts: { allowPrivate: boolean; timeoutMs: number }): Promise<PsaResponse> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return reject(new PsaRequestError(apiMessageWithEnglish('urlInvalid', { url: req.url.slice(0, 200) }, `invalid URL ${req.url.slice(0, 200)}`), 0));
    }
    const lib = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
    if (!lib) return reject(new PsaRequestError(apiMessageWithEnglish('urlNotHttp', { scheme: url.protocol }, `unsupported protocol ${url.protocol}`), 0));
    const host = urlHost(url);
    const why = literalRefusalMessage(host, opts.allowPrivate, WHAT);
    if (why) return reject(new PsaRequestError(why, 0, 'HALLEY_TARGET_REFUSED'));
    const body = req.body ?? '';
    const headers: Record<string, string> = {
      ...(req.headers ?? {}),
      accept: 'application/json',
      'user-agent': `Halley-PSA/${HALLEY_VERSION}`,
      ...(req.body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}),
    };
    const r = lib.request(
      {
        method: req.method,
        protocol: url.protocol,
        hostname: host,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        headers,
        agent: false,
        lookup: guardedLookup(opts.allowPrivate, WHAT) as never,
        servername: url.protocol === 'https:' && !isIP(host) ? host : undefined,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let seen = 0;
        res.on('data', (c: Buffer) => {
          seen += c.length;
          if (seen <= MAX_ANSWER) chunks.push(c);
          else res.destroy();
        });
        res.on('error', () => undefined);
        res.on('close', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          if (status >= 200 && status < 300) {
            let json: unknown = null;
            try {
              json = text ? JSON.parse(text) : null;
            } catch {
              json = null;
            }
            resolve({ status, body: text, json });
          } else if (status >= 300 && status < 400) {
            const location = String(res.headers.location ?? '?').slice(0, 200);
            reject(new PsaRequestError(apiMessageWithEnglish('redirectNotFollowed', { status: String(status), location }, `redirect (HTTP ${status} to ${location}) not followed`), status));
          } else {
            // The PSA's own words stay verbatim, quoted after a translated lead-in.
            const said = text.replace(/\s+/g, ' ').slice(0, 300);
            const values = { status: String(status), method: req.method, path: url.pathname.slice(0, 200) };
            const english = `HTTP ${status} from ${req.method} ${url.pathname}${said ? `: ${said}` : ''}`;
            const message = said ? apiMessageWithEnglish('psaHttpStatusFromSaid', { ...values, text: said }, english) : apiMessageWithEnglish('psaHttpStatusFrom', values, english);
            reject(new PsaRequestError(message, status));
          }
        });
      },
    );
    const timer = setTimeout(() => r.destroy(new NoAnswerError(opts.timeoutMs)), opts.timeoutMs);
    r.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const refused = isTargetRefused(err);
      const english = (refused ? err.message : `${err.code ?? 'error'}: ${err.message}`).slice(0, 500);
      const reason = err instanceof NoAnswerError ? apiMessageWithEnglish('noAnswerWithin', { ms: String(err.ms) }, english) : failureCause(err);
      reject(new PsaRequestError(apiMessageWithEnglish(reason.key, reason.values, english), 0, refused ? 'HALLEY_TARGET_REFUSED' : undefined));
    });
    r.end(body);
  });
}
