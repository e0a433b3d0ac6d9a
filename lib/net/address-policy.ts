// Which IP addresses an outbound connection may go to when private targets are not allowed: only public
// unicast ones. IPv4: everything in the special-purpose registry is refused (loopback, RFC 1918, CGNAT,
// link-local incl. cloud metadata 169.254.169.254, documentation, benchmarking, multicast, reserved).
// IPv6: only global unicast (2000::/3) minus its special ranges is public; an address that carries an
// IPv4 address (mapped ::ffff:0:0/96, translated ::ffff:0:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) is
// judged by that IPv4 address too, and the local-use NAT64 prefix 64:ff9b:1::/48, Teredo (2001::/32) and
// the IPv4-compatible ::/96 are refused outright (their embedded address can't be trusted to be checked).
import { BlockList, isIP } from 'node:net';
import { apiMessage, type ApiMessage } from '../i18n/api-messages';

const blockedV4 = new BlockList();
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
for (const [net, bits] of V4) blockedV4.addSubnet(net, bits, 'ipv4');

const globalV6 = new BlockList();
globalV6.addSubnet('2000::', 3, 'ipv6');
const blockedV6 = new BlockList();
const V6: Array<[string, number]> = [
  ['2001::', 23], // IETF protocol assignments (Teredo 2001::/32, benchmarking, ORCHID…)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: allowed only through its embedded address, below
  ['3fff::', 20], // documentation (RFC 9637)
];
for (const [net, bits] of V6) blockedV6.addSubnet(net, bits, 'ipv6');

/** Eight 16-bit words of an IPv6 address (with an optional dotted IPv4 tail and zone), or null. */
function expandV6(address: string): number[] | null {
  let text = address.split('%')[0].toLowerCase();
  if (isIP(text) !== 6) return null;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const p = dotted.slice(1, 5).map(Number);
    text = text.slice(0, -dotted[0].length) + `${((p[0] << 8) | p[1]).toString(16)}:${((p[2] << 8) | p[3]).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const part = (s: string | undefined) => (s ? s.split(':').map((w) => parseInt(w, 16)) : []);
  const h = part(head);
  const t = part(tail);
  const words = text.includes('::') ? [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t] : h;
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : null;
}

const v4Of = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/** The IPv4 address an IPv6 address stands for or routes to (mapped, translated, NAT64, 6to4), if any. */
function embeddedV4(words: number[]): string | null {
  const zero = (from: number, to: number) => words.slice(from, to).every((w) => w === 0);
  if (zero(0, 5) && words[5] === 0xffff) return v4Of(words[6], words[7]); // ::ffff:a.b.c.d (mapped)
  if (zero(0, 4) && words[4] === 0xffff && words[5] === 0) return v4Of(words[6], words[7]); // ::ffff:0:a.b.c.d (translated)
  if (words[0] === 0x64 && words[1] === 0xff9b && zero(2, 6)) return v4Of(words[6], words[7]); // 64:ff9b::/96 NAT64
  if (words[0] === 0x2002) return v4Of(words[1], words[2]); // 6to4
  return null;
}

function v4Reason(address: string): ApiMessage | null {
  return blockedV4.check(address, 'ipv4') ? apiMessage('netAddressReservedV4', { address }) : null;
}

function v6Reason(address: string): ApiMessage | null {
  const words = expandV6(address);
  if (!words) return apiMessage('netNotIpAddress', { address });
  const canonical = words.map((w) => w.toString(16)).join(':');
  const inner = embeddedV4(words);
  if (inner) {
    if (blockedV4.check(inner, 'ipv4')) return apiMessage('netAddressEmbedsV4', { address, inner });
    // The 6to4 prefix itself is in the blocked list only so that a bare 2002:: without a public inner
    // address is refused; mapped, translated and NAT64 forms live outside 2000::/3.
    return null;
  }
  if (!globalV6.check(canonical, 'ipv6') || blockedV6.check(canonical, 'ipv6')) {
    return apiMessage('netAddressReservedV6', { address });
  }
  return null;
}

/** Why an IP address is not a public target (a message from the "api" catalogue), or null when it is public. */
export function forbiddenAddressMessage(address: string): ApiMessage | null {
  const bare = address.split('%')[0];
  const family = isIP(bare);
  if (family === 4) return v4Reason(bare);
  if (family === 6) return v6Reason(address);
  return apiMessage('netNotIpAddress', { address });
}

/** Why an IP address is not a public target, in English, or null when it is public. */
export function forbiddenAddressReason(address: string): string | null {
  return forbiddenAddressMessage(address)?.text ?? null;
}
