// Console sign-in: next-auth (JWT strategy) wraps Halley's own admin sessions. The credentials go
// through the API's admin/account/session-start endpoint, so the console signs in exactly like an API
// client (login protection, IP allow-list, LDAP, TOTP, WebAuthn, recovery codes, sign-in events). The
// Halley session key lives only inside next-auth's encrypted, httpOnly cookie; the session object that
// next-auth serves to the browser carries the username alone. Revoking the key through the API, or its
// idle expiry (HALLEY_SESSION_TIMEOUT_SECONDS), ends the console session too (lib/adapters/console/session.ts).
import { hkdfSync } from 'node:crypto';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { endpointByPath } from '../../api/endpoints';
import { newRequestId, runEndpoint } from '../../api/handle';
import { clientAddressFrom } from '../../auth/client-address';
import { env, trustAuthHost } from '../../env';
import { AppError } from '../../errors';
import { log } from '../../log';
import { safeCallbackPath } from './safe-callback-url';

export const SESSION_COOKIE = 'halley.session';
/** The console cookie outlives an idle Halley session on purpose: the Halley session decides. */
const COOKIE_MAX_AGE_SECONDS = 12 * 3600;

let secret: string | undefined;
/** next-auth's JWT secret, derived from the server key so there is one secret to manage. */
export function consoleJwtSecret(): string {
  secret ??= Buffer.from(hkdfSync('sha256', Buffer.from(env().HALLEY_SECRET_KEY, 'hex'), Buffer.alloc(0), 'halley console session', 32)).toString('base64url');
  return secret;
}

// The origin comes from the Host header; server.ts sets x-forwarded-proto (or keeps a trusted proxy's).
trustAuthHost();

export type ConsoleToken = { username: string; sessionKey: string };

type HeaderBag = Record<string, string | string[] | undefined> | undefined;
const headerGetter = (headers: HeaderBag) => ({
  get: (name: string) => {
    const v = headers?.[name];
    return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
  },
});

export function authOptions(secure: boolean): NextAuthOptions {
  return {
    secret: consoleJwtSecret(),
    session: { strategy: 'jwt', maxAge: COOKIE_MAX_AGE_SECONDS },
    useSecureCookies: secure,
    cookies: {
      sessionToken: { name: SESSION_COOKIE, options: { httpOnly: true, sameSite: 'lax', path: '/', secure } },
    },
    pages: { signIn: '/login', error: '/login' },
    providers: [
      CredentialsProvider({
        name: 'Halley',
        credentials: {
          username: { type: 'text' },
          password: { type: 'password' },
          totp: { type: 'text' },
          webauthn: { type: 'text' },
        },
        async authorize(credentials, req) {
          const username = credentials?.username ?? '';
          const totp = credentials?.totp ?? '';
          const webauthn = credentials?.webauthn ?? '';
          const form = new URLSearchParams({
            Username: username,
            Password: credentials?.password ?? '',
            AuthType: webauthn ? 'PasswordWebAuthn' : totp ? 'PasswordTOTP' : 'Password',
          });
          if (totp) form.set('TOTP', totp);
          if (webauthn) form.set('WebAuthnSign', webauthn);
          const headers = headerGetter(req?.headers as HeaderBag);
          const requestId = newRequestId(null);
          try {
            const res = (await runEndpoint(endpointByPath('/api/v1/admin/account/session-start')!, form, {
              ip: clientAddressFrom(headers),
              host: headers.get('host') ?? '',
              userAgent: headers.get('user-agent') ?? 'console',
              requestId,
            })) as { SessionKey: string };
            return { id: username, name: username, sessionKey: res.SessionKey } as never;
          } catch (err) {
            // next-auth hands the message to the sign-in form (ERR_TOTP_REQUIRED asks for a second factor).
            if (err instanceof AppError) throw new Error(err.message);
            log.error({ err, requestId }, 'console sign-in failed');
            throw new Error(`Internal server error (request id ${requestId})`);
          }
        },
      }),
    ],
    callbacks: {
      // Where next-auth sends the browser after sign-in or sign-out (and the callback-url cookie it keeps):
      // same-origin paths only (lib/adapters/console/safe-callback-url.ts).
      async redirect({ url, baseUrl }) {
        return new URL(safeCallbackPath(url, baseUrl), baseUrl).href;
      },
      async jwt({ token, user }) {
        if (user) {
          const u = user as unknown as { name: string; sessionKey: string };
          token.username = u.name;
          token.sessionKey = u.sessionKey;
        }
        return token;
      },
      // What /api/auth/session shows to the browser: never the session key.
      async session({ session, token }) {
        session.user = { name: String(token.username ?? '') };
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        const key = typeof token?.sessionKey === 'string' ? token.sessionKey : '';
        if (!key) return;
        const form = new URLSearchParams({ Username: String(token.username ?? ''), AuthType: 'SessionKey', SessionKey: key });
        await runEndpoint(endpointByPath('/api/v1/admin/account/session-revoke')!, form, { ip: '', userAgent: 'console', requestId: newRequestId(null) }).catch(() => undefined);
      },
    },
  };
}
