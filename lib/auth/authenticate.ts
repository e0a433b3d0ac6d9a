// Resolves the Actor from Comet's in-body credentials: Username + AuthType + Password / TOTP /
// SessionKey. Every failure looks the same to the caller (no username probing).
import { db } from '../db/client';
import { AuthError, BadRequestError, ERR_TOTP_REQUIRED } from '../errors';
import type { EndpointAuth } from '../api/registry';
import { TOP_LEVEL_TENANT_ID, type Actor, type AdminActor, type AuthMethod, type UserActor } from '../tenancy/actor';
import { dummyPasswordHash, verifyPassword } from './password';
import { findLiveSession } from './session';
import { verifyTotpCode } from './totp';

const AUTH_TYPES = new Set(['Password', 'PasswordTOTP', 'SessionKey']);

export async function authenticate(form: URLSearchParams, auth: EndpointAuth): Promise<Actor> {
  if (auth === 'none') return { kind: 'anonymous' };
  const username = form.get('Username') ?? '';
  const authType = form.get('AuthType') ?? 'Password';
  if (!AUTH_TYPES.has(authType)) {
    throw new BadRequestError(`Unsupported AuthType '${authType.slice(0, 40)}' (expected Password, PasswordTOTP or SessionKey)`);
  }
  const wantAdmin = auth === 'admin' || auth === 'admin-or-user';
  const wantUser = auth === 'user' || auth === 'admin-or-user';

  if (authType === 'SessionKey') {
    const kinds: Array<'admin' | 'user'> = [...(wantAdmin ? ['admin' as const] : []), ...(wantUser ? ['user' as const] : [])];
    const session = await findLiveSession(form.get('SessionKey') ?? '', kinds);
    const owner = session?.admin ?? session?.account;
    // Comet clients send the Username alongside the key; when they do, it must match.
    if (!session || !owner || (username !== '' && username !== owner.username)) throw new AuthError('Invalid or expired session key');
    if (session.admin) {
      return adminActor(session.admin, 'SessionKey', session.id);
    }
    return userActor(session.account!, 'SessionKey', session.id);
  }

  if (username === '') throw new AuthError();
  const password = form.get('Password') ?? '';
  if (wantAdmin) {
    const admin = await db().adminUser.findUnique({
      where: { username },
      select: {
        id: true,
        username: true,
        tenantId: true,
        permissions: true,
        passwordHash: true,
        allowPasswordLogin: true,
        allowPasswordAndTotpLogin: true,
        totpSecret: true,
      },
    });
    const passwordOk = admin ? admin.allowPasswordLogin && (await verifyPassword(admin.passwordHash, password)) : false;
    // hybrid/session/start: an admin and an end user may share a name; the password decides.
    if (admin && !passwordOk && !wantUser) throw new AuthError();
    if (admin && passwordOk) {
      if (admin.allowPasswordAndTotpLogin && admin.totpSecret) {
        const code = form.get('TOTP') ?? '';
        if (authType !== 'PasswordTOTP' || code === '') throw new AuthError(ERR_TOTP_REQUIRED);
        if (!(await verifyTotpCode(admin.totpSecret, code))) throw new AuthError('Incorrect TOTP code');
      }
      return adminActor(admin, authType as AuthMethod);
    }
  }
  if (wantUser) {
    const account = await db().account.findUnique({
      where: { username },
      select: { id: true, username: true, tenantId: true, passwordHash: true, allowPasswordLogin: true },
    });
    if (account) {
      if (!account.allowPasswordLogin || !(await verifyPassword(account.passwordHash, password))) throw new AuthError();
      return userActor(account, authType as AuthMethod);
    }
  }
  // Spend the same time as a wrong password, so unknown usernames can't be told apart.
  await verifyPassword(await dummyPasswordHash(), password);
  throw new AuthError();
}

type AdminRow = { id: string; username: string; tenantId: string; permissions: unknown };

function adminActor(admin: AdminRow, authMethod: AuthMethod, sessionId?: string): AdminActor {
  return {
    kind: 'admin',
    adminId: admin.id,
    username: admin.username,
    tenantId: admin.tenantId,
    // The top-level organization has a fixed id, so no join is needed to know it.
    isTopLevel: admin.tenantId === TOP_LEVEL_TENANT_ID,
    permissions: (admin.permissions ?? {}) as Record<string, unknown>,
    authMethod,
    sessionId,
  };
}

function userActor(account: { id: string; username: string; tenantId: string }, authMethod: AuthMethod, sessionId?: string): UserActor {
  return { kind: 'user', accountId: account.id, username: account.username, tenantId: account.tenantId, authMethod, sessionId };
}
