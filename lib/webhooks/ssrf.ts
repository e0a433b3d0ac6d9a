// SSRF guard for webhook targets. A webhook URL is chosen by an administrator (possibly a tenant's), and
// the workers POST to it from inside the provider's network, so by default Halley refuses targets that
// are not on the public internet: loopback, private (RFC 1918, ULA), link-local (incl. cloud metadata at
// 169.254.169.254), CGNAT, multicast, reserved and documentation ranges, in IPv4 and IPv6, including
// IPv4 addresses embedded in IPv6 (::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16).
//
// Host names are resolved and EVERY address is checked; the connection then goes to the checked
// addresses only (the lookup is pinned, so a DNS answer that changes between check and connect can't
// slip through). Redirects are never followed (lib/webhooks/send.ts).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
const V4: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];
const V6: Array<[string, number]> = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // IPv4-compatible (deprecated)
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['2001::', 23], // IETF protocol assignments (Teredo etc.)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];
for (const [net, bits] of V4) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of V6) blocked.addSubnet(net, bits, 'ipv6');

/** The IPv4 address carried inside an IPv6 one (mapped, NAT64, 6to4), if any. */
function embeddedV4(v6: string): string | null {
  const words = expandV6(v6);
  if (!words) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zero = (from: number, to: number) => words.slice(from, to).every((w) => w === 0);
  if (zero(0, 5) && words[5] === 0xffff) return v4(words[6], words[7]); // ::ffff:a.b.c.d
  if (words[0] === 0x64 && words[1] === 0xff9b && zero(2, 6)) return v4(words[6], words[7]); // NAT64
  if (words[0] === 0x2002) return v4(words[1], words[2]); // 6to4
  return null;
}

/** Eight 16-bit words of an IPv6 address (with an optional dotted IPv4 tail), or null. */
function expandV6(address: string): number[] | null {
  let text = address.split('%')[0].toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const p = dotted[1].split('.').map(Number);
    text = text.slice(0, -dotted[1].length) + `${((p[0] << 8) | p[1]).toString(16)}:${((p[2] << 8) | p[3]).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const part = (s: string | undefined) => (s ? s.split(':').map((w) => parseInt(w, 16)) : []);
  const h = part(head);
  const t = part(tail);
  const words = text.includes('::') ? [...h, ...new Array(8 - h.length - t.length).fill(0), ...t] : h;
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : null;
}

/** Why an IP address is not a public target, or null when it is public. */
export function forbiddenAddressReason(address: string): string | null {
  const family = isIP(address.split('%')[0]);
  if (family === 4) return blocked.check(address, 'ipv4') ? `${address} is a loopback, private, link-local or reserved IPv4 address` : null;
  if (family === 6) {
    const inner = embeddedV4(address);
    if (inner && blocked.check(inner, 'ipv4')) return `${address} embeds the non-public IPv4 address ${inner}`;
    return blocked.check(address.split('%')[0], 'ipv6') ? `${address} is a loopback, private, link-local or reserved IPv6 address` : null;
  }
  return `${address} is not an IP address`;
}

export class TargetRefusedError extends Error {
  readonly code = 'HALLEY_TARGET_REFUSED';
}

function resolveAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });
}

/** The host part of a URL without IPv6 brackets. */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Resolves `hostname` and checks every address. Resolves with the addresses when all are allowed;
 * rejects with TargetRefusedError otherwise (or with the DNS error).
 */
export async function resolveTarget(hostname: string, allowPrivate: boolean): Promise<LookupAddress[]> {
  const family = isIP(hostname);
  const addresses = family ? [{ address: hostname, family }] : await resolveAll(hostname);
  if (addresses.length === 0) throw new Error(`${hostname} has no address`);
  if (!allowPrivate) {
    for (const a of addresses) {
      const why = forbiddenAddressReason(a.address);
      if (why) throw new TargetRefusedError(`Refused webhook target ${hostname}: ${why} (see HALLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS)`);
    }
  }
  return addresses;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request/net.connect that resolves through resolveTarget, so the socket connects
 * only to addresses that passed the check.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean } | number | undefined, callback: LookupCallback): void => {
    resolveTarget(hostname, allowPrivate).then(
      (addresses) => {
        if (typeof options === 'object' && options?.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

/**
 * Checks a webhook URL when it is configured: http(s), no credentials, and a host whose addresses are
 * public (unless private targets are allowed). Returns a readable reason, or null when it is fine.
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `'${raw.slice(0, 200)}' is not a valid URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `the URL must start with http:// or https://, got '${url.protocol}'`;
  if (url.username || url.password) return 'the URL must not contain a user name or password (use CustomHeaders for credentials)';
  if (!url.hostname) return 'the URL has no host';
  try {
    await resolveTarget(urlHost(url), allowPrivate);
  } catch (err) {
    if (err instanceof TargetRefusedError) return err.message;
    return `the host ${url.hostname} could not be resolved (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  return null;
}
