// The shapes of addresses the server reads besides whole http(s) URLs (lib/validation/http-url.ts): whether a text
// starts with a URL scheme, an endpoint given as "host", "host:port" or a URL (S3 endpoints, Storage Role servers),
// "host[:port]" server fields of backup locations, and links with a chosen set of schemes (a dispatcher's login URL
// may be ws:// too). Every place in lib/ that reads such a value uses these, so one value is judged one way
// everywhere (tests/unit/validation-rules.test.ts refuses new URL/host/email/time-zone regexes outside
// lib/validation).
import { isIP } from 'node:net';
import { isHostName } from './email-address';
import { isHttpUrl } from './http-url';

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const HTTP_SCHEME = /^https?:\/\//i;
const PORT = /^\d{1,5}$/;

/** "scheme://..." (any scheme). */
export function hasUrlScheme(text: string): boolean {
  return SCHEME.test(text);
}

/** Starts with http:// or https:// (any case); says nothing about the rest. */
export function hasHttpScheme(text: string): boolean {
  return HTTP_SCHEME.test(text);
}

/** The text as a URL: unchanged when it has a scheme, else `scheme://text`. */
export function withDefaultScheme(text: string, scheme: 'http' | 'https'): string {
  return hasUrlScheme(text) ? text : `${scheme}://${text}`;
}

/** An endpoint as admins type it: "host", "host:port" or an http(s) URL, with a valid host and no credentials. */
export function isEndpointAddress(text: string): boolean {
  const t = text.trim();
  return t !== '' && !/\s/.test(t) && isHttpUrl(withDefaultScheme(t, 'https'));
}

function isPort(text: string): boolean {
  return PORT.test(text) && Number(text) <= 65535;
}

/** host, host:port or [IPv6]:port (no scheme or path): a backup location's S3Server, SFTPServer or SMBServer. */
export function isHostPort(value: string): boolean {
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0 || isIP(value.slice(1, end)) !== 6) return false;
    const rest = value.slice(end + 1);
    return rest === '' || (rest.startsWith(':') && isPort(rest.slice(1)));
  }
  const colon = value.lastIndexOf(':');
  const host = colon < 0 ? value : value.slice(0, colon);
  if (colon >= 0 && !isPort(value.slice(colon + 1))) return false;
  return !host.endsWith('.') && isHostName(host);
}

/** An absolute URL with one of `schemes` (without ':'), a host, and no credentials. */
export function isUrlWithScheme(value: string, schemes: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (!schemes.includes(url.protocol.slice(0, -1))) return false;
  if (url.username !== '' || url.password !== '') return false;
  const host = url.hostname;
  return host.startsWith('[') ? host.endsWith(']') : isHostName(host);
}
