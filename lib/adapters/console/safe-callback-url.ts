// Where the console may send a browser after sign-in (the login page's callbackUrl, next-auth's redirect).
// A prefix test is not enough: browsers read "/\evil" as "//evil", drop tabs and newlines anywhere in a
// URL, and resolve "/.//evil" to the path "//evil". So the value is resolved the way a browser resolves it,
// kept only when it lands on our own origin, and handed back as a normalised path that cannot be read
// as another host.

/**
 * The same-origin path (with query and fragment) that `value` leads to from `origin`, or '/'.
 * `origin` is the console's own (scheme://host[:port]); absolute URLs on it are accepted too.
 */
export function safeCallbackPath(value: string | null | undefined, origin: string): string {
  if (!value) return '/';
  let base: URL;
  let target: URL;
  try {
    base = new URL(origin);
    target = new URL(value, base);
  } catch {
    return '/';
  }
  if (target.origin !== base.origin) return '/';
  const path = `${target.pathname}${target.search}${target.hash}`;
  // A path that begins with two slashes (or a slash and a backslash) is a network-path reference.
  return /^\/[/\\]/.test(path) || !path.startsWith('/') ? '/' : path;
}
