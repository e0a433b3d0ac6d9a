// Next's proxy (formerly middleware): a Content-Security-Policy with a fresh script nonce for every
// console page. Next takes the nonce from the request's CSP header and puts it on its own scripts.
// The other security headers are set by server.ts on every response.
import { NextResponse, type NextRequest } from 'next/server';
import { isDevelopmentBuild } from './lib/env';
import { consoleCsp, newCspNonce } from './lib/web/security-headers';

export function proxy(request: NextRequest) {
  const nonce = newCspNonce();
  // server.ts has set x-forwarded-proto: a trusted proxy's value, else "http".
  const csp = consoleCsp(nonce, { dev: isDevelopmentBuild(), https: request.headers.get('x-forwarded-proto') === 'https' });
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', csp);
  headers.set('x-nonce', nonce);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  // Documents only: not the hashed static assets, not the admin API (server.ts serves it without Next),
  // and not the router's own fetches (RSC navigations and prefetches, server actions), which are never
  // rendered as a page: their scripts are loaded by Next's already-trusted runtime ('strict-dynamic').
  // Skipping actions also spares their bodies the copy Next makes for a proxy.
  matcher: [
    {
      source: '/((?!_next/static|_next/image|api/v1/|icon.svg|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'rsc' },
        { type: 'header', key: 'next-action' },
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
