// The one guard every outbound connection to a configured or requested address goes through (webhooks,
// SMTP, LDAP, and whatever fetches a URL later: storage endpoints, templates, PSA, other servers).
//
// - The host is canonicalised the way WHATWG URL does (so 0x7f.1, 2130706433 or 0177.0.0.1 are the IPv4
//   address they spell), resolved ONCE (bounded in time), and EVERY resolved address is checked against
//   lib/net/address-policy.ts unless private targets are allowed (lib/net/private-targets.ts).
// - Callers connect to the address that was checked, never to the name again (no DNS rebinding between
//   check and connect): guardedLookup() for http(s) agents, connectGuarded() for raw sockets, or
//   resolveTarget() and connect to `.address` with the configured name as TLS servername.
// - A refusal is a TargetRefusedError whose message names the reason; callers facing unauthenticated
//   users must not pass it on (it would be a reachability oracle).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { apiMessage, type ApiMessage } from '../i18n/api-messages';
import { forbiddenAddressMessage } from './address-policy';

export { forbiddenAddressMessage, forbiddenAddressReason } from './address-policy';

/** DNS answers slower than this count as a failure (dns.lookup can't be cancelled; it is abandoned). */
const DNS_TIMEOUT_MS = 5_000;

/** The catalogue's name (netTargetKind) for each kind of target the callers name; others stay as given. */
const TARGET_KINDS: Record<string, string> = {
  target: 'target',
  'storage endpoint': 'storageEndpoint',
  'SMTP server': 'smtpServer',
  'LDAP server': 'ldapServer',
  'webhook target': 'webhookTarget',
  'PSA target': 'psaTarget',
  'Constellation server': 'constellationServer',
  'Storage Role server': 'storageRoleServer',
  'update feed': 'updateFeed',
  'OpenTelemetry collector': 'otelCollector',
  'IAM endpoint': 'iamEndpoint',
  'B2 API': 'b2Api',
  'storage provisioning URL': 'provisioningUrl',
};

/** `what` as a value of a message: translated when the catalogue knows it, the caller's words otherwise. */
function targetKind(what: string): ApiMessage | string {
  const kind = TARGET_KINDS[what];
  return kind ? apiMessage('netTargetKind', { kind }) : what;
}

/** A refusal of the outbound guard; `translatable`: its message from the "api" catalogue (`message` is its English). */
export class TargetRefusedError extends Error {
  readonly code = 'HALLEY_TARGET_REFUSED';
  readonly translatable?: ApiMessage;
  constructor(message: string | ApiMessage) {
    super(typeof message === 'string' ? message : message.text);
    if (typeof message !== 'string') this.translatable = message;
  }
}

function refusedMessage(what: string, host: string, reason: ApiMessage): ApiMessage {
  return apiMessage('netTargetRefused', { what: targetKind(what), host, reason });
}

/** "Refused <what>: only http:// and https:// are allowed", translatable. */
export function notHttpRefusal(what: string): TargetRefusedError {
  return new TargetRefusedError(apiMessage('netTargetNotHttp', { what: targetKind(what) }));
}

type ResolvedTarget = { address: string; family: number };

/** The host part of a URL without IPv6 brackets. */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * A host name as a URL would read it: lower case, IPv6 without brackets, and any IPv4 spelling (decimal,
 * octal, hex, shortened) as its dotted-quad address. Names that are not valid hosts come back as given
 * (the resolver then refuses them).
 */
export function canonicalHost(host: string): string {
  const trimmed = host.trim();
  const bare = trimmed.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) return bare.toLowerCase();
  try {
    return urlHost(new URL(`http://${trimmed}/`));
  } catch {
    return trimmed;
  }
}

/**
 * How long a failed lookup (no such name, no answer in time) is answered from memory. Without it, every delivery to
 * a host whose DNS hangs waited the whole timeout again and held one of libuv's four resolver threads: a single
 * webhook to such a host kept every delivery slot busy and delayed every other webhook (and the process's file I/O).
 */
const FAILED_LOOKUP_TTL_MS = 15_000;
const NEGATIVE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ENODATA', 'ETIMEOUT', 'ESERVFAIL', 'EAI_FAIL']);
/** Lookups under way, by name: callers asking meanwhile share one resolver call (each with its own timeout). */
const lookupsUnderWay = new Map<string, Promise<LookupAddress[]>>();
const failedLookups = new Map<string, { until: number; err: NodeJS.ErrnoException }>();

/** A fresh copy of a remembered DNS error (callers may annotate the error they get). */
function dnsError(err: NodeJS.ErrnoException): NodeJS.ErrnoException {
  return Object.assign(new Error(err.message), { code: err.code, errno: err.errno, syscall: err.syscall, hostname: (err as { hostname?: string }).hostname });
}

function rememberFailure(hostname: string, err: NodeJS.ErrnoException): void {
  if (!NEGATIVE_CODES.has(String(err.code))) return;
  if (failedLookups.size > 10_000) failedLookups.clear();
  failedLookups.set(hostname, { until: Date.now() + FAILED_LOOKUP_TTL_MS, err });
}

function sharedLookup(hostname: string): Promise<LookupAddress[]> {
  const under = lookupsUnderWay.get(hostname);
  if (under) return under;
  let settle!: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void;
  const lookup = new Promise<LookupAddress[]>((resolve, reject) => {
    settle = (err, addresses) => {
      // Only this lookup's own entry (a resolver that answers at once must not leave a settled one behind).
      if (lookupsUnderWay.get(hostname) === lookup) lookupsUnderWay.delete(hostname);
      if (err) {
        rememberFailure(hostname, err);
        reject(err);
      } else {
        failedLookups.delete(hostname);
        resolve(addresses);
      }
    };
  });
  lookup.catch(() => undefined);
  lookupsUnderWay.set(hostname, lookup);
  dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => settle(err, addresses));
  return lookup;
}

function resolveAll(hostname: string, timeoutMs: number): Promise<LookupAddress[]> {
  const failed = failedLookups.get(hostname);
  if (failed && failed.until > Date.now()) return Promise.reject(dnsError(failed.err));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const err: NodeJS.ErrnoException = Object.assign(new Error(`DNS lookup of ${hostname} took longer than ${timeoutMs} ms`), { code: 'ETIMEOUT' });
      rememberFailure(hostname, err);
      reject(dnsError(err));
    }, timeoutMs);
    sharedLookup(hostname).then(
      (addresses) => {
        clearTimeout(timer);
        resolve(addresses);
      },
      (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(dnsError(err));
      },
    );
  });
}

/**
 * Resolves `host` once and checks every address. Resolves with the addresses (to connect to) when all are
 * allowed; rejects with TargetRefusedError, or with the DNS error.
 */
export async function resolveTarget(host: string, allowPrivate: boolean, what = 'target', timeoutMs = DNS_TIMEOUT_MS): Promise<ResolvedTarget[]> {
  const name = canonicalHost(host);
  if (!name) throw new TargetRefusedError(apiMessage('netTargetNoHost', { what: targetKind(what) }));
  const family = isIP(name);
  const addresses = family ? [{ address: name, family }] : await resolveAll(name, timeoutMs);
  if (addresses.length === 0) throw Object.assign(new Error(`${name} has no address`), { code: 'ENOTFOUND' });
  if (!allowPrivate) {
    for (const a of addresses) {
      const why = forbiddenAddressMessage(a.address);
      if (why) throw new TargetRefusedError(refusedMessage(what, host.trim().slice(0, 255), why));
    }
  }
  return addresses;
}

/**
 * Config-time check of a host name: a readable reason when the guard refuses it, null when it is fine.
 * A name that does not resolve (yet) is accepted here: it is checked again at every connection.
 */
export async function checkOutboundHost(host: string, allowPrivate: boolean, what: string): Promise<string | null> {
  const why = await checkOutboundHostMessage(host, allowPrivate, what);
  return typeof why === 'object' && why ? why.text : why;
}

/** checkOutboundHost's reason as a message from the "api" catalogue (translated for the caller). */
export async function checkOutboundHostMessage(host: string, allowPrivate: boolean, what: string): Promise<ApiMessage | string | null> {
  try {
    await resolveTarget(host, allowPrivate, what);
    return null;
  } catch (err) {
    return err instanceof TargetRefusedError ? (err.translatable ?? err.message) : null;
  }
}

export function isTargetRefused(err: unknown): boolean {
  return err instanceof TargetRefusedError || (err as { code?: unknown } | null)?.code === 'HALLEY_TARGET_REFUSED';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request / net.connect / tls.connect that resolves through resolveTarget, so the
 * socket connects only to addresses that passed the check. (Node skips `lookup` for IP literals: check
 * those with forbiddenAddressReason before connecting, as guardedRequestTarget does.)
 */
export function guardedLookup(allowPrivate: boolean, what = 'target') {
  return (hostname: string, options: { all?: boolean } | number | undefined, callback: LookupCallback): void => {
    resolveTarget(hostname, allowPrivate, what).then(
      (addresses) => {
        if (typeof options === 'object' && options?.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

/** Refusal reason for an IP-literal host (which Node connects to without calling `lookup`), or null. */
export function literalRefusal(host: string, allowPrivate: boolean, what = 'target'): string | null {
  return literalRefusalMessage(host, allowPrivate, what)?.text ?? null;
}

/** literalRefusal's reason as a message from the "api" catalogue (throw it as a TargetRefusedError). */
export function literalRefusalMessage(host: string, allowPrivate: boolean, what = 'target'): ApiMessage | null {
  const bare = canonicalHost(host);
  if (allowPrivate || !isIP(bare)) return null;
  const why = forbiddenAddressMessage(bare);
  return why ? refusedMessage(what, bare, why) : null;
}
