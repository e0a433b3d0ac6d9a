// next-auth's endpoints (sign-in, CSRF, session, sign-out) for the console; see lib/adapters/console/auth-options.ts.
import type { NextRequest } from 'next/server';
import NextAuth from 'next-auth';
import { authOptions } from '@/lib/adapters/console/auth-options';

type Ctx = { params: Promise<{ nextauth: string[] }> };

async function handler(req: NextRequest, ctx: Ctx) {
  // server.ts sets x-forwarded-proto (a trusted proxy's, or "http" for a direct connection).
  const secure = req.headers.get('x-forwarded-proto') === 'https';
  return NextAuth(req as never, ctx as never, authOptions(secure));
}

export { handler as GET, handler as POST };
