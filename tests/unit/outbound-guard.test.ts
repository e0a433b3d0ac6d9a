// The outbound guard (lib/net): every spelling of a non-public address is refused while private targets
// are not allowed (IPv4 literals in decimal/octal/hex as WHATWG URL reads them, every IPv6 form that
// embeds an IPv4 address, NAT64 local-use, Teredo, 6to4), host names are judged by every address they
// resolve to, and the raw-socket connect goes to the checked address within a bound. With the switch on,
// the same targets are allowed. Real sockets on 127.0.0.1, no Halley server needed.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forbiddenAddressReason } from '../../lib/net/address-policy';
import { connectGuarded } from '../../lib/net/connect-guarded';
import { canonicalHost, checkOutboundHost, guardedLookup, literalRefusal, resolveTarget, TargetRefusedError } from '../../lib/net/outbound-guard';

// Non-public targets in every form the guard must see through (as a host name would be configured).
const REFUSED_HOSTS = [
  '127.0.0.1',
  'localhost',
  '0.0.0.0',
  '10.1.2.3',
  '169.254.169.254',
  '100.64.0.1',
  '192.0.2.10',
  // IPv4 spellings WHATWG URL (and getaddrinfo) turn into 127.0.0.1 / 10.0.0.1
  '2130706433',
  '0x7f000001',
  '0x7f.1',
  '0177.0.0.1',
  '127.1',
  '0x0a.0.0.1',
  '012.0.0.1',
  // IPv6 forms, with and without brackets
  '::1',
  '[::1]',
  '::',
  '::ffff:127.0.0.1',
  '[::ffff:127.0.0.1]',
  '::ffff:7f00:1',
  '::ffff:0:127.0.0.1', // IPv4-translated ::ffff:0:0/96 (was accepted before)
  '[::ffff:0:127.0.0.1]',
  '::ffff:0:7f00:1',
  '::ffff:0:a00:1',
  '::127.0.0.1', // IPv4-compatible
  '64:ff9b::127.0.0.1', // NAT64 well-known prefix
  '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
  '64:ff9b:1::8.8.8.8', // NAT64 local-use prefix: refused whatever it embeds
  '64:ff9b:1:abcd::1',
  '2002:7f00:1::1', // 6to4 of 127.0.0.1
  '2002:c0a8:101::1', // 6to4 of 192.168.1.1
  '2002::1', // 6to4 of 0.0.0.0
  '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
  '2001:db8::1',
  '3fff::1',
  'fe80::1',
  'fe80::1%lo',
  'fc00::1',
  'fd12:3456::1',
  'fec0::1',
  'ff02::1',
  '100::1',
];

const PUBLIC_ADDRESSES = ['93.184.216.34', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '2a00:1450:4001::1', '::ffff:8.8.8.8', '::ffff:0:8.8.8.8', '64:ff9b::8.8.8.8', '2002:0808:0808::1'];

describe('forbiddenAddressReason', () => {
  it.each(['127.0.0.1', '::1', '::ffff:0:127.0.0.1', '::ffff:0:7f00:1', '64:ff9b:1::1', '2001::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2', 'fe80::1%eth0', '::127.0.0.1', '2002:7f00:1::1'])('refuses %s', (ip) => {
    expect(forbiddenAddressReason(ip)).toBeTruthy();
  });
  it.each(PUBLIC_ADDRESSES)('allows the public address %s', (ip) => {
    expect(forbiddenAddressReason(ip)).toBeNull();
  });
  it('names the embedded address', () => {
    expect(forbiddenAddressReason('::ffff:0:127.0.0.1')).toMatch(/embeds the non-public IPv4 address 127\.0\.0\.1/);
    expect(forbiddenAddressReason('64:ff9b::a9fe:a9fe')).toMatch(/169\.254\.169\.254/);
  });
});

describe('canonicalHost', () => {
  it('reads IPv4 spellings as WHATWG URL does', () => {
    expect(canonicalHost('0x7f.1')).toBe('127.0.0.1');
    expect(canonicalHost('2130706433')).toBe('127.0.0.1');
    expect(canonicalHost('0177.0.0.1')).toBe('127.0.0.1');
    expect(canonicalHost('[::FFFF:0:127.0.0.1]')).toBe('::ffff:0:127.0.0.1');
    expect(canonicalHost('Mail.Example.COM')).toBe('mail.example.com');
  });
});

describe('resolveTarget', () => {
  it.each(REFUSED_HOSTS)('refuses %s while private targets are not allowed, and allows it when they are', async (host) => {
    await expect(resolveTarget(host, false, 'SMTP server')).rejects.toBeInstanceOf(TargetRefusedError);
    await expect(resolveTarget(host, false, 'SMTP server')).rejects.toThrow(/Refused SMTP server .*HALLEY_ALLOW_PRIVATE_TARGETS/);
    const allowed = await resolveTarget(host, true);
    expect(allowed.length).toBeGreaterThan(0);
  });

  it('refuses a name if any of its addresses is non-public (localhost resolves to 127.0.0.1 and ::1 here)', async () => {
    await expect(resolveTarget('localhost', false)).rejects.toThrow(/loopback/);
  });

  it('allows public literals without the switch', async () => {
    for (const ip of PUBLIC_ADDRESSES) expect(await resolveTarget(ip, false)).toEqual([{ address: ip, family: ip.includes(':') ? 6 : 4 }]);
  });

  it('checkOutboundHost gives a reason for a refused host, null for a fine or not (yet) resolvable one', async () => {
    expect(await checkOutboundHost('[::ffff:0:127.0.0.1]', false, 'LDAP server')).toMatch(/Refused LDAP server/);
    expect(await checkOutboundHost('127.0.0.1', true, 'LDAP server')).toBeNull();
    expect(await checkOutboundHost('8.8.8.8', false, 'LDAP server')).toBeNull();
    expect(await checkOutboundHost('no-such-host.invalid', false, 'LDAP server')).toBeNull();
  });

  it('literalRefusal checks IP literals that Node connects to without a lookup', () => {
    expect(literalRefusal('::ffff:0:127.0.0.1', false)).toMatch(/embeds/);
    expect(literalRefusal('127.0.0.1', true)).toBeNull();
    expect(literalRefusal('example.com', false)).toBeNull();
  });

  it('guardedLookup answers only with checked addresses', async () => {
    const lookup = (allow: boolean, host: string) =>
      new Promise<{ err: unknown; address: unknown }>((resolve) => guardedLookup(allow)(host, { all: true }, (err, address) => resolve({ err, address })));
    expect((await lookup(false, 'localhost')).err).toBeInstanceOf(TargetRefusedError);
    const ok = await lookup(true, '0x7f.1');
    expect(ok.err).toBeNull();
    expect(ok.address).toEqual([{ address: '127.0.0.1', family: 4 }]);
  });
});

describe('connectGuarded', () => {
  let server: net.Server;
  let port = 0;
  const seen: string[] = [];
  beforeAll(async () => {
    server = net.createServer((s) => {
      seen.push(String(s.remoteAddress));
      s.on('error', () => undefined);
      s.end('220 hello\r\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses a loopback target without the switch and never connects', async () => {
    const before = seen.length;
    for (const host of ['127.0.0.1', 'localhost', '[::ffff:0:127.0.0.1]', '2130706433']) {
      await expect(connectGuarded({ host, port, allowPrivate: false, timeoutMs: 2000, what: 'SMTP server' })).rejects.toBeInstanceOf(TargetRefusedError);
    }
    expect(seen.length).toBe(before);
  });

  it('connects to the checked address with the switch on (also for an odd IPv4 spelling)', async () => {
    for (const host of ['127.0.0.1', '0x7f.1']) {
      const socket = await connectGuarded({ host, port, allowPrivate: true, timeoutMs: 2000, what: 'SMTP server' });
      expect(socket.remoteAddress).toBe('127.0.0.1');
      socket.destroy();
    }
  });

  it('reports a refused port as a connection error, not a refusal of the guard', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = await connectGuarded({ host: '127.0.0.1', port: freePort, allowPrivate: true, timeoutMs: 2000, what: 'SMTP server' }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(TargetRefusedError);
    expect((err as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });
});
