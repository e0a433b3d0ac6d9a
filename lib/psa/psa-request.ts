// One HTTP request to a PSA, through the outbound guard (lib/net/outbound-guard.ts): the host is resolved
// once, every address checked, and the connection made only to an address that passed; an IP literal is
// checked before connecting. Redirects are never followed, answers are read up to 1 MiB, time is bounded.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { HALLEY_VERSION } from '../meta/version';
import { guardedLookup, isTargetRefused, literalRefusal, urlHost } from '../net/outbound-guard';

export type PsaRequest = { method: 'GET' | 'POST' | 'PUT' | 'PATCH'; url: string; headers?: Record<string, string>; body?: string };
export type PsaResponse = { status: number; body: string; json: unknown };

const MAX_ANSWER = 1024 * 1024;
const WHAT = 'PSA target';

/** Thrown for a request that could not be made or was answered with a non-2xx status. */
export class PsaRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** 'HALLEY_TARGET_REFUSED' when the outbound guard refused the target (see isTargetRefused). */
    readonly code?: string,
  ) {
    super(message);
  }
}

export function psaRequest(req: PsaRequest, opts: { allowPrivate: boolean; timeoutMs: number }): Promise<PsaResponse> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return reject(new PsaRequestError(`invalid URL ${req.url.slice(0, 200)}`, 0));
    }
    const lib = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
    if (!lib) return reject(new PsaRequestError(`unsupported protocol ${url.protocol}`, 0));
    const host = urlHost(url);
    const why = literalRefusal(host, opts.allowPrivate, WHAT);
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
            reject(new PsaRequestError(`redirect (HTTP ${status} to ${String(res.headers.location ?? '?').slice(0, 200)}) not followed`, status));
          } else {
            reject(new PsaRequestError(`HTTP ${status} from ${req.method} ${url.pathname}${text ? `: ${text.replace(/\s+/g, ' ').slice(0, 300)}` : ''}`, status));
          }
        });
      },
    );
    const timer = setTimeout(() => r.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    r.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const refused = isTargetRefused(err);
      const message = refused ? err.message : `${err.code ?? 'error'}: ${err.message}`;
      reject(new PsaRequestError(message.slice(0, 500), 0, refused ? 'HALLEY_TARGET_REFUSED' : undefined));
    });
    r.end(body);
  });
}
