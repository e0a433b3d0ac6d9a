// Security headers of the console (everything server.ts hands to Next). The Content-Security-Policy needs
// a fresh nonce per page, so proxy.ts builds it; the static headers are set by server.ts on every
// response, assets and refusals included.

/** Headers every non-API response carries. */
export function consoleSecurityHeaders(https: boolean): Record<string, string> {
  return {
    // frame-ancestors 'none' in the CSP says the same to browsers that read it; this is for the rest.
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    // Only a trusted proxy can say the browser reached us over HTTPS (server.ts), so only then.
    ...(https ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}

/** A nonce for one response: 128 random bits, base64 (what CSP's nonce-source allows). */
export function newCspNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The console's policy. Next reads the nonce back out of the request's Content-Security-Policy header and
 * puts it on its own scripts; 'strict-dynamic' lets those load the page's chunks.
 * - 'unsafe-eval' only in development: React uses eval there to rebuild server error stacks, never in a
 *   production build.
 * - style-src allows 'unsafe-inline': React writes style attributes (recharts sizes its SVGs, Radix
 *   positions popovers and dialogs with inline styles), and a nonce cannot cover a style attribute. Styles
 *   cannot run code; scripts stay nonce-only.
 * - connect-src 'self' covers the same-origin fetches, the SSE relay and the dev server's websocket.
 * - upgrade-insecure-requests only over HTTPS: on a plain-HTTP install it would break every asset.
 */
export function consoleCsp(nonce: string, opts: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}
