// Storage Role addresses (a Comet-type vault's CometServer) compared the way an admin means them:
// scheme and host case-insensitive, the scheme's default port implied, a trailing slash ignored.

/** The comparable form of an http(s) address, or null when it is not one. */
export function normalizeAddress(address: string): string | null {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || url.username !== '' || url.password !== '') return null;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.hostname.toLowerCase()}:${port}${path}${url.search}`;
}
