// One signed POST of a webhook body. Headers: Comet's `x-Comet-Tracing-Id`, the webhook's CustomHeaders,
// and Halley's `X-Halley-Event-Id` (deduplication key), `X-Halley-Delivery-Id`, `X-Halley-Webhook-Id`,
// `X-Halley-Attempt`, `X-Halley-Timestamp` and `X-Halley-Signature: sha256=<hex>` where the hex is
// HMAC-SHA256(secret, `${timestamp}.${body}`). Redirects are never followed (a 3xx is a failed attempt),
// and the connection goes only to addresses that passed the outbound guard (lib/net/outbound-guard.ts).
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { HALLEY_VERSION } from '../meta/version';
import { isIP } from 'node:net';
import { guardedLookup, isTargetRefused, literalRefusalMessage, urlHost } from '../net/outbound-guard';
import { apiMessageWithEnglish, type ApiMessage } from '../i18n/api-messages';
import { failureCause } from '../i18n/failure-cause';

/**
 * `error`: why an attempt failed, in English (logs, the row's text); `reason`: the same as a catalogue message, for
 * the delivery log in the reader's language; `refused`: the outbound guard refused the target (nothing was sent).
 */
type SendResult = { ok: boolean; status: number; error: string; reason?: ApiMessage; refused?: boolean };

/** A failed attempt whose English text is `error`. */
function failed(status: number, reason: ApiMessage, refused = false): SendResult {
  return { ok: false, status, error: reason.text.slice(0, 500), reason, ...(refused && { refused }) };
}

/** The request's own time limit (its error has no Node code). */
class NoAnswerError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

export type SendInput = {
  url: string;
  body: string;
  secret: string;
  customHeaders: Record<string, string>;
  eventId: string;
  deliveryId: string;
  webhookName: string;
  attempt: number;
  allowPrivate: boolean;
  timeoutMs: number;
};

/** `sha256=<hex>` over `${timestamp}.${body}`, what receivers recompute to verify a delivery. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  // The same bytes as one update of `${timestamp}.${body}`, without copying the body into a new string per POST.
  return `sha256=${createHmac('sha256', secret).update(timestamp).update('.').update(body).digest('hex')}`;
}

// Keep-alive connections, separately for "private targets allowed" so a socket opened while they were
// allowed is never reused once they are not.
const agents = new Map<string, http.Agent>();
function agentFor(protocol: string, allowPrivate: boolean): http.Agent {
  const key = `${protocol}${allowPrivate}`;
  let agent = agents.get(key);
  if (!agent) {
    const opts = { keepAlive: true, maxSockets: 256, maxFreeSockets: 256, lookup: lookupFor(allowPrivate) as never };
    agent = protocol === 'https:' ? new https.Agent(opts) : new http.Agent(opts);
    agents.set(key, agent);
  }
  return agent;
}

// Made once per switch position, not per POST.
const lookups = new Map<boolean, ReturnType<typeof guardedLookup>>();
function lookupFor(allowPrivate: boolean): ReturnType<typeof guardedLookup> {
  let l = lookups.get(allowPrivate);
  if (!l) lookups.set(allowPrivate, (l = guardedLookup(allowPrivate, 'webhook target')));
  return l;
}

// A webhook's URL is parsed once, not per POST (a batch is up to 500 POSTs to the same URL), and so is what
// depends on it alone: the Host header (as Node would write it) and the guard's verdict on an IP literal for
// each position of the private-targets switch (literalRefusalMessage is a function of the host and the switch).
type Target = {
  protocol: string;
  host: string;
  port: string;
  path: string;
  servername: string | undefined;
  hostHeader: string;
  refusal: Map<boolean, ApiMessage | null>;
};
const targets = new Map<string, Target | null>();
function targetOf(raw: string): Target | null {
  let t = targets.get(raw);
  if (t === undefined) {
    try {
      const url = new URL(raw);
      const host = urlHost(url);
      // Node's own Host header: IPv6 in brackets, the port unless it is the scheme's default (url.port is '' then).
      const hostHeader = `${isIP(host) === 6 ? `[${host}]` : host}${url.port ? `:${url.port}` : ''}`;
      t = { protocol: url.protocol, host, port: url.port, path: `${url.pathname}${url.search}`, servername: url.protocol === 'https:' && !isIP(host) ? host : undefined, hostHeader, refusal: new Map() };
    } catch {
      t = null;
    }
    if (targets.size > 1000) targets.clear();
    targets.set(raw, t);
  }
  return t;
}

const USER_AGENT = `Halley-Webhooks/${HALLEY_VERSION}`;

/**
 * The request's headers as a flat [name, value, ...] list, which Node writes as they are (validating each) instead of
 * going through setHeader per header. The same headers as `{ ...custom, ...own }` with Node's Host added: names
 * match case-insensitively, a later one replaces an earlier one, Halley's own come last, and the webhook's own
 * `Host` (if it has one) replaces Node's.
 */
function headerList(custom: Record<string, string>, hostHeader: string, own: string[]): string[] {
  const names = Object.keys(custom);
  if (names.length === 0) {
    own.push('Host', hostHeader);
    return own;
  }
  const byName = new Map<string, [string, string]>();
  for (const name of names) byName.set(name.toLowerCase(), [name, custom[name]]);
  for (let i = 0; i < own.length; i += 2) byName.set(own[i].toLowerCase(), [own[i], own[i + 1]]);
  if (!byName.has('host')) byName.set('host', ['Host', hostHeader]);
  const out: string[] = [];
  for (const [name, value] of byName.values()) out.push(name, value);
  return out;
}

export function sendWebhook(input: SendInput): Promise<SendResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: SendResult) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const url = targetOf(input.url);
    if (!url) return done(failed(0, apiMessageWithEnglish('urlInvalid', { url: input.url.slice(0, 200) }, 'invalid URL')));
    const timestamp = String(Math.floor(Date.now() / 1000));
    const lib = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
    if (!lib) return done(failed(0, apiMessageWithEnglish('urlNotHttp', { scheme: url.protocol }, `unsupported protocol ${url.protocol}`)));
    // Node connects to an IP literal without calling `lookup`, so the guard checks it here.
    const host = url.host;
    let why = url.refusal.get(input.allowPrivate);
    if (why === undefined) url.refusal.set(input.allowPrivate, (why = literalRefusalMessage(host, input.allowPrivate, 'webhook target')));
    if (why) return done(failed(0, why, true));
    const headers = headerList(input.customHeaders, url.hostHeader, [
      'content-type',
      'application/json',
      'content-length',
      String(Buffer.byteLength(input.body)),
      'user-agent',
      USER_AGENT,
      'x-Comet-Tracing-Id',
      randomUUID(),
      'X-Halley-Event-Id',
      input.eventId,
      'X-Halley-Delivery-Id',
      input.deliveryId,
      'X-Halley-Webhook-Id',
      encodeURIComponent(input.webhookName),
      'X-Halley-Attempt',
      String(input.attempt),
      'X-Halley-Timestamp',
      timestamp,
      'X-Halley-Signature',
      signWebhook(input.secret, timestamp, input.body),
    ]);
    const req = lib.request(
      {
        method: 'POST',
        protocol: url.protocol,
        hostname: host,
        port: url.port || undefined,
        path: url.path,
        headers,
        agent: agentFor(url.protocol, input.allowPrivate),
        lookup: lookupFor(input.allowPrivate) as never,
        servername: url.servername,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        // Drain (up to a limit) so the keep-alive socket can be reused; the answer's body is not kept.
        let seen = 0;
        res.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > 1024 * 1024) res.destroy();
        });
        res.on('error', () => undefined);
        res.on('close', () => clearTimeout(timer));
        res.on('end', () => {
          if (status >= 200 && status < 300) done({ ok: true, status, error: '' });
          else if (status >= 300 && status < 400) {
            const location = String(res.headers.location ?? '?').slice(0, 200);
            done(failed(status, apiMessageWithEnglish('webhookRedirectNotFollowed', { status: String(status), location }, `redirect (HTTP ${status} to ${location}) not followed: webhooks never follow redirects`)));
          } else done(failed(status, apiMessageWithEnglish('webhookAnsweredHttp', { status: String(status) }, `HTTP ${status}`)));
        });
        // A 2xx is final as soon as the status line arrived, even if the body is slow.
        if (status >= 200 && status < 300) done({ ok: true, status, error: '' });
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new NoAnswerError(input.timeoutMs));
    }, input.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const english = isTargetRefused(err) ? err.message : `${err.code ?? 'error'}: ${err.message}`;
      const reason = err instanceof NoAnswerError ? apiMessageWithEnglish('noAnswerWithin', { ms: String(err.ms) }, english) : failureCause(err);
      done(failed(0, apiMessageWithEnglish(reason.key, reason.values, english), isTargetRefused(err)));
    });
    req.end(input.body);
  });
}
