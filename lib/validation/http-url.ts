import { isHostName } from './email-address';

/** An absolute http: or https: URL with a host (name, IPv4 or bracketed IPv6) and no credentials in it. */
export function isHttpUrl(value: string): boolean {
  if (value.length > 2048) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username !== '' || url.password !== '') return false;
  const host = url.hostname;
  if (host.startsWith('[') && host.endsWith(']')) return true;
  return isHostName(host);
}
