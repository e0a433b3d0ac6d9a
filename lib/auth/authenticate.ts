// Resolves the Actor from Comet's in-body credentials: Username + AuthType + Password / TOTP /
// WebAuthnSign / SessionKey. Wrong credentials look the same to the caller whether the username exists
// or not (no username probing); the reasons go to the LOGIN_FAILED events and the log.
//
// Order for password sign-ins: the account → login protection (refuse while cooling down; an attempt that
// could fail takes one of the subject's FailureThreshold slots first, see login-protection.ts) → password
// (local, or the admin's LDAP source; unknown usernames may be provisioned from LDAP) → IP allow-list →
// second factor. An unreachable directory counts and answers exactly like a wrong password (no
// reachability oracle); the reason is in the log and the LOGIN_FAILED event.
// Session keys: the key → IP allow-list → a session that never saw the admin's second factor (started
// before it was switched on) needs one in the same request, or account/session-upgrade.
import { db } from '../db/client';
import { AuthError, BadRequestError, ERR_TOTP_REQUIRED } from '../errors';
import { apiMessage, type ApiMessage } from '../i18n/api-messages';
import type { EndpointAuth } from './endpoint-auth';
import { authenticateDeviceDownload } from './device-download';
import { unauthenticatedDownloadsAllowed } from './public-download';
import { TOP_LEVEL_TENANT_ID, type Actor, type AdminActor, type AuthMethod, type UserActor } from '../tenancy/actor';
import { addressAllowed } from './ip-allow-list';
import { checkExternalPassword, provisionAdminFromLdap } from './ldap/external-sign-in';
import { recordFailedLogin, recordSuccessfulLogin, type LoginKind } from './login-events';
import { beginLoginAttempt, endLoginAttempt, loginSubject, type LoginAttempt } from './login-protection';
import { dummyPasswordHash, passwordRecentlyVerified, verifyPassword } from '../credentials/password';
import { checkSecondFactor, passwordSignInAllowed, secondFactorRequired, totpEnabled, type FactorState } from './second-factor';
import { verifyTotpCode } from '../credentials/totp';
import { ADMIN_AUTH_SELECT, findAdminForSignIn, findLiveSession } from './session';

const AUTH_TYPES = new Set(['Password', 'PasswordTOTP', 'PasswordWebAuthn', 'SessionKey']);

/** Where the request came from (lib/auth/client-address.ts) and which host it was addressed to. */
type AuthContext = { ip: string; host?: string };

type AdminAuthRow = FactorState & {
  id: string;
  username: string;
  tenantId: string;
  permissions: unknown;
  passwordHash: string;
  ipWhitelist: string;
  externalAuthSource: string;
};

const UNREACHABLE = 'directory unreachable';

export async function authenticate(form: URLSearchParams, wanted: EndpointAuth, ctx: AuthContext = { ip: '' }): Promise<Actor> {
  if (wanted === 'none') return { kind: 'anonymous' };
  // Client downloads: no credentials at all is an anonymous caller when the build role allows it; any
  // credentials are an administrator's, checked as usual.
  if (wanted === 'admin-or-public-download' && !form.get('Username') && !form.get('SessionKey')) {
    // A device fetching its own update authenticates with its device token (lib/auth/device-download.ts).
    if (form.get('DeviceToken')) return authenticateDeviceDownload(form.get('DeviceToken')!);
    if (await unauthenticatedDownloadsAllowed()) return { kind: 'anonymous' };
  }
  const auth = wanted === 'admin-or-public-download' ? 'admin' : wanted;
  const username = form.get('Username') ?? '';
  const authType = form.get('AuthType') ?? 'Password';
  if (!AUTH_TYPES.has(authType)) {
    throw new BadRequestError(apiMessage('unsupportedAuthType', { type: authType.slice(0, 40) }));
  }
  const wantAdmin = auth === 'admin' || auth === 'admin-or-user';
  const wantUser = auth === 'user' || auth === 'admin-or-user';
  const factors = { totp: form.get('TOTP') ?? '', webauthnSign: form.get('WebAuthnSign') ?? '' };

  if (authType === 'SessionKey') return sessionSignIn(form, username, { wantAdmin, wantUser }, factors, ctx);

  if (username === '') throw new AuthError();
  const password = form.get('Password') ?? '';
  // Sign-in: usernames are unique server-wide and this lookup is what resolves the actor (lib/auth/session.ts).
  const admin = wantAdmin ? await findAdminForSignIn(username) : null;
  // With an admin of that name, the account is read only when the admin's password fails (an admin and
  // an end user may share a name on hybrid endpoints; the password decides).
  let account = wantUser && !admin ? await findAccount(username) : undefined;
  const attempt = await beginLoginAttempt(loginSubject(username, ctx.ip), () =>
    admin ? !adminSignInSettled(admin, password, ctx.ip) : account ? !userSignInSettled(account, password) : true,
  );
  const fail = async (kind: LoginKind, reason: string, tenantId?: string, message?: ApiMessage): Promise<never> => {
    await recordFailedLogin({ attempt, kind, tenantId, username, ip: ctx.ip, authType, reason });
    throw new AuthError(message);
  };
  try {
    if (admin) {
      const check = passwordSignInAllowed(admin) ? await checkAdminPassword(admin, password) : 'wrong';
      if (check === 'unreachable') return await fail('admin', UNREACHABLE, admin.tenantId);
      if (check === 'ok') return await finishAdminSignIn(admin, { authType, factors, ctx, attempt, fail });
      if (!wantUser) return await fail('admin', 'wrong password', admin.tenantId);
    }
    if (wantUser) {
      account ??= await findAccount(username);
      if (account) {
        if (!passwordSignInAllowed(account) || !(await verifyPassword(account.passwordHash, password))) return await fail('user', 'wrong password', account.tenantId);
        const method = await checkUserTotp(account, authType, factors.totp, (reason, message) => fail('user', reason, account!.tenantId, message));
        await recordSuccessfulLogin({ attempt, kind: 'user', id: account.id, tenantId: account.tenantId, username, ip: ctx.ip, authType, method });
        return userActor(account, authType as AuthMethod);
      }
    }
    if (admin) return await fail('admin', 'wrong password', admin.tenantId);
    if (wantAdmin) {
      const provisioned = await provisionAdminFromLdap({ username, password, host: ctx.host ?? '' });
      if (provisioned === 'unreachable') return await fail('admin', UNREACHABLE);
      if (provisioned) {
        // tenancy: system — sign-in: usernames are unique server-wide and this lookup is what resolves the actor
        const created = await db().adminUser.findUniqueOrThrow({ where: { id: provisioned.adminId }, select: ADMIN_AUTH_SELECT });
        return await finishAdminSignIn(created, { authType, factors, ctx, attempt, fail });
      }
    }
    // Spend the same time as a wrong password, so unknown usernames can't be told apart.
    await verifyPassword(await dummyPasswordHash(), password);
    return await fail(wantAdmin ? 'admin' : 'user', 'unknown username');
  } finally {
    // A second factor still to come, or an error: the slot goes back (a no-op after a failure or success).
    await endLoginAttempt(attempt, 'abandoned');
  }
}

type AccountAuthRow = FactorState & { id: string; username: string; tenantId: string; passwordHash: string };

function findAccount(username: string): Promise<AccountAuthRow | null> {
  // tenancy: system — sign-in: usernames are unique server-wide and this lookup is what resolves the actor
  return db().account.findUnique({
    where: { username },
    select: { id: true, username: true, tenantId: true, passwordHash: true, allowPasswordLogin: true, allowPasswordAndTotpLogin: true, totpSecret: true },
  }).then((a) => (a ? { ...a, allowPasswordAndWebAuthnLogin: false } : null));
}

/**
 * Whether this sign-in will succeed without anything left to guess: a local password verified recently
 * (password.ts's cache), no second factor, an allowed address. Such calls take no login-protection slot.
 */
function adminSignInSettled(admin: AdminAuthRow, password: string, ip: string): boolean {
  return (
    !admin.externalAuthSource &&
    !secondFactorRequired(admin) &&
    passwordSignInAllowed(admin) &&
    addressAllowed(admin.ipWhitelist, ip) &&
    passwordRecentlyVerified(admin.passwordHash, password)
  );
}

function userSignInSettled(account: AccountAuthRow, password: string): boolean {
  return !totpEnabled(account) && passwordSignInAllowed(account) && passwordRecentlyVerified(account.passwordHash, password);
}

/**
 * An end user's TOTP (profile TOTPKey with AllowPasswordAndTOTPLogin): required next to the password,
 * as for admins; users have no recovery codes or security keys. Returns the method used, if any.
 */
async function checkUserTotp(
  account: FactorState,
  authType: string,
  code: string,
  fail: (reason: string, message: ApiMessage) => Promise<never>,
): Promise<'totp' | undefined> {
  if (!totpEnabled(account)) return undefined;
  if (authType !== 'PasswordTOTP' || code === '') throw new AuthError(ERR_TOTP_REQUIRED);
  if (!(await verifyTotpCode(account.totpSecret!, code))) return fail('wrong totp', apiMessage('incorrectTotp'));
  return 'totp';
}

async function checkAdminPassword(admin: AdminAuthRow, password: string): Promise<'ok' | 'wrong' | 'unreachable'> {
  if (admin.externalAuthSource) {
    const result = await checkExternalPassword(admin, password);
    return result === 'accepted' ? 'ok' : result === 'unreachable' ? 'unreachable' : 'wrong';
  }
  return (await verifyPassword(admin.passwordHash, password)) ? 'ok' : 'wrong';
}

async function finishAdminSignIn(
  admin: AdminAuthRow,
  s: {
    authType: string;
    factors: { totp: string; webauthnSign: string };
    ctx: AuthContext;
    attempt: LoginAttempt;
    fail: (kind: LoginKind, reason: string, tenantId?: string, message?: ApiMessage) => Promise<never>;
  },
): Promise<AdminActor> {
  if (!addressAllowed(admin.ipWhitelist, s.ctx.ip)) return s.fail('admin', `address ${s.ctx.ip || 'unknown'} not in IPWhitelist`, admin.tenantId);
  let method: string | undefined;
  if (secondFactorRequired(admin)) {
    // AuthType=Password, or a second factor of a kind this account doesn't use: ask for it.
    const given = s.authType === 'PasswordTOTP' ? { totp: s.factors.totp, webauthnSign: '' } : s.authType === 'PasswordWebAuthn' ? { totp: '', webauthnSign: s.factors.webauthnSign } : null;
    const result = given ? await checkSecondFactor(admin, given) : ({ outcome: 'missing' } as const);
    if (result.outcome === 'missing') throw new AuthError(ERR_TOTP_REQUIRED);
    if (result.outcome === 'wrong') {
      const message = result.method === 'webauthn' ? apiMessage('securityKeyNotVerified') : apiMessage('incorrectTotp');
      return s.fail('admin', `wrong ${result.method}`, admin.tenantId, message);
    }
    method = result.method;
  }
  await recordSuccessfulLogin({
    attempt: s.attempt,
    kind: 'admin',
    id: admin.id,
    tenantId: admin.tenantId,
    username: admin.username,
    ip: s.ctx.ip,
    authType: s.authType,
    method,
  });
  return adminActor(admin, s.authType as AuthMethod, undefined, { secondFactor: method !== undefined, passwordVerified: true });
}

async function sessionSignIn(
  form: URLSearchParams,
  username: string,
  want: { wantAdmin: boolean; wantUser: boolean },
  factors: { totp: string; webauthnSign: string },
  ctx: AuthContext,
): Promise<Actor> {
  const kinds: Array<'admin' | 'user'> = [...(want.wantAdmin ? ['admin' as const] : []), ...(want.wantUser ? ['user' as const] : [])];
  const session = await findLiveSession(form.get('SessionKey') ?? '', kinds);
  const owner = session?.admin ?? session?.account;
  // Comet clients send the Username alongside the key; when they do, it must match.
  if (!session || !owner || (username !== '' && username !== owner.username)) throw new AuthError(apiMessage('sessionKeyInvalid'));
  if (!session.admin) return userActor(session.account!, 'SessionKey', session.id);
  const admin = session.admin;
  if (!addressAllowed(admin.ipWhitelist, ctx.ip)) throw new AuthError(apiMessage('ipRefused'));
  let secondFactor = session.upgraded;
  if (!secondFactor && secondFactorRequired(admin)) {
    // A session that predates the second factor: the factor must come with this request. A wrong code
    // counts like a failed sign-in, so a stolen key can't be used to guess TOTP codes either.
    if (factors.totp === '' && factors.webauthnSign === '') throw new AuthError(ERR_TOTP_REQUIRED);
    const attempt = await beginLoginAttempt(loginSubject(admin.username, ctx.ip), () => true);
    try {
      const result = await checkSecondFactor(admin, factors);
      if (result.outcome === 'missing') throw new AuthError(ERR_TOTP_REQUIRED);
      if (result.outcome === 'wrong') {
        await recordFailedLogin({ attempt, kind: 'admin', tenantId: admin.tenantId, username: admin.username, ip: ctx.ip, authType: 'SessionKey', reason: `wrong ${result.method}` });
        throw new AuthError(result.method === 'webauthn' ? apiMessage('securityKeyNotVerified') : apiMessage('incorrectTotp'));
      }
    } finally {
      await endLoginAttempt(attempt, 'abandoned');
    }
    secondFactor = true;
  }
  // A password next to the key (e.g. to change it in account/set-properties) is checked too.
  // Login protection applies, so a stolen key can't be used to guess the password.
  const password = form.get('Password') ?? '';
  let passwordVerified = false;
  if (password !== '') {
    const attempt = await beginLoginAttempt(
      loginSubject(admin.username, ctx.ip),
      () => !!admin.externalAuthSource || !passwordRecentlyVerified(admin.passwordHash, password),
    );
    try {
      const check = await checkAdminPassword(admin, password);
      if (check !== 'ok') {
        const reason = check === 'unreachable' ? UNREACHABLE : 'wrong password';
        await recordFailedLogin({ attempt, kind: 'admin', tenantId: admin.tenantId, username: admin.username, ip: ctx.ip, authType: 'SessionKey', reason });
        throw new AuthError(apiMessage('incorrectPassword'));
      }
    } finally {
      await endLoginAttempt(attempt, 'abandoned');
    }
    passwordVerified = true;
  }
  return adminActor(admin, 'SessionKey', session.id, { secondFactor, passwordVerified });
}

type AdminRow = { id: string; username: string; tenantId: string; permissions: unknown };

function adminActor(admin: AdminRow, authMethod: AuthMethod, sessionId?: string, extra: { secondFactor?: boolean; passwordVerified?: boolean } = {}): AdminActor {
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
    ...extra,
  };
}

function userActor(account: { id: string; username: string; tenantId: string }, authMethod: AuthMethod, sessionId?: string): UserActor {
  return { kind: 'user', accountId: account.id, username: account.username, tenantId: account.tenantId, authMethod, sessionId };
}

/**
 * The first factor alone (login protection, password or LDAP, IP allow-list), for the step before a
 * PasswordWebAuthn sign-in. Failures count and answer like any other; success records nothing (the
 * sign-in itself follows).
 */
export async function authenticateFirstFactor(username: string, password: string, ctx: AuthContext): Promise<{ adminId: string }> {
  if (username === '') throw new AuthError();
  const admin = await findAdminForSignIn(username);
  const attempt = await beginLoginAttempt(
    loginSubject(username, ctx.ip),
    () => !admin || !!admin.externalAuthSource || !passwordSignInAllowed(admin) || !addressAllowed(admin.ipWhitelist, ctx.ip) || !passwordRecentlyVerified(admin.passwordHash, password),
  );
  const failed = async (reason: string, tenantId?: string): Promise<never> => {
    await recordFailedLogin({ attempt, kind: 'admin', tenantId, username, ip: ctx.ip, authType: 'PasswordWebAuthn', reason });
    throw new AuthError();
  };
  try {
    if (!admin) {
      await verifyPassword(await dummyPasswordHash(), password);
      return await failed('unknown username');
    }
    const check = passwordSignInAllowed(admin) ? await checkAdminPassword(admin, password) : 'wrong';
    if (check === 'unreachable') return await failed(UNREACHABLE, admin.tenantId);
    if (check !== 'ok') return await failed('wrong password', admin.tenantId);
    if (!addressAllowed(admin.ipWhitelist, ctx.ip)) return await failed(`address ${ctx.ip || 'unknown'} not in IPWhitelist`, admin.tenantId);
    return { adminId: admin.id };
  } finally {
    // Success records nothing here (the sign-in itself follows): the slot just goes back.
    await endLoginAttempt(attempt, 'abandoned');
  }
}
