// The client's network address, for IP allow-lists, login protection and sign-in events.
// X-Forwarded-For is written by whoever sends the request, so it is ignored unless the operator says
// a reverse proxy is in front (HALLEY_TRUST_X_FORWARDED_FOR); the web process (server.ts) copies the
// socket's peer address into CLIENT_ADDRESS_HEADER, overwriting anything a client sent under that name.
import { isIPv4 } from 'node:net';
import { env } from '../env';

export const CLIENT_ADDRESS_HEADER = 'x-halley-client-address';

/** "::ffff:10.0.0.1" → "10.0.0.1", so IPv4 allow-list patterns match IPv4 clients on dual-stack sockets. */
export function normaliseAddress(address: string): string {
  const a = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  return a;
}

/** Any header source: Fetch Headers, or node:http headers behind a `get`. */
type HeaderSource = { get(name: string): string | null };

export function clientAddressFrom(headers: HeaderSource): string {
  if (env().HALLEY_TRUST_X_FORWARDED_FOR) {
    const forwarded = headers.get('x-forwarded-for');
    // The last entry is the one our own proxy appended; earlier ones are the client's word.
    const last = forwarded?.split(',').map((s) => s.trim()).filter(Boolean).pop();
    if (last) return normaliseAddress(last);
  }
  return normaliseAddress(headers.get(CLIENT_ADDRESS_HEADER) ?? '');
}
