// Who may read /metrics: loopback clients (unless HALLEY_METRICS_ALLOW_LOOPBACK=0), addresses in
// HALLEY_METRICS_ALLOW, and anyone presenting HALLEY_METRICS_TOKEN as a bearer token. The address is the
// TCP peer's, or, behind a trusted proxy (HALLEY_TRUST_X_FORWARDED_FOR), the client the proxy names: a
// request relayed by a proxy on the same machine is then not mistaken for a local one.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { normaliseAddress } from '../auth/client-address';
import { env } from '../env';

let allowList: { source: string; list: BlockList } | undefined;

function allowed(): BlockList {
  const source = env().HALLEY_METRICS_ALLOW;
  if (allowList?.source === source) return allowList.list;
  const list = new BlockList();
  for (const entry of source.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [address, bits] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(address)) throw new Error(`HALLEY_METRICS_ALLOW: '${entry}' is not an address or CIDR range`);
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  allowList = { source, list };
  return list;
}

function peerAddress(req: IncomingMessage): string {
  const forwarded = req.headers['x-forwarded-for'];
  if (env().HALLEY_TRUST_X_FORWARDED_FOR && forwarded) {
    const last = String(forwarded).split(',').map((s) => s.trim()).filter(Boolean).pop();
    if (last) return normaliseAddress(last);
  }
  return normaliseAddress(req.socket.remoteAddress ?? '');
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^127\./.test(address);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function mayReadMetrics(req: IncomingMessage): boolean {
  const config = env();
  const auth = req.headers.authorization;
  if (config.HALLEY_METRICS_TOKEN && auth?.startsWith('Bearer ')) {
    // Compared as digests: equal length, constant time.
    if (timingSafeEqual(digest(auth.slice(7).trim()), digest(config.HALLEY_METRICS_TOKEN))) return true;
  }
  const address = peerAddress(req);
  if (config.HALLEY_METRICS_ALLOW_LOOPBACK && isLoopback(address)) return true;
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  return isIP(address) !== 0 && allowed().check(address, family);
}
