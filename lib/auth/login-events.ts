// SEVT_ACCOUNT_ADMIN_LOGIN / _LOGIN_FAILED and SEVT_ACCOUNT_LOGIN / _LOGIN_FAILED.
// A failure writes its event and its login-protection count in one transaction. Comet's PHP and JS
// SDKs send the password with every call, so a success is recorded as a login (event + lastLoginAt)
// at most once per account, address and auth type every SUCCESS_EVENT_EVERY_MS: a sign-in, not each call.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { emitEvent } from '../events/emit';
import { log } from '../log';
import { keyedDigest } from '../secrets';
import { TOP_LEVEL_TENANT_ID } from '../tenancy/actor';
import { endLoginAttempt, loginProtectionOptions, recordLoginFailure, type LoginAttempt } from './login-protection';

const SUCCESS_EVENT_EVERY_MS = 10 * 60 * 1000;
const RECENT_MAX = 20_000;
const recent = new Map<string, number>();

export type LoginKind = 'admin' | 'user';

type LoginFailure = {
  /** The attempt (its slot is given back with the count, in the event's transaction). */
  attempt: LoginAttempt;
  kind: LoginKind;
  /** The account's tenant; unknown usernames are reported to the top-level organization. */
  tenantId?: string;
  username: string;
  ip: string;
  authType: string;
  reason: string;
};

export async function recordFailedLogin(f: LoginFailure): Promise<void> {
  const options = await loginProtectionOptions(); // before the transaction (see recordLoginFailure)
  await db().$transaction(async (tx) => {
    const lockedNow = await recordLoginFailure(tx, f.attempt, options);
    await emitEvent(tx, { kind: 'anonymous' }, {
      tenantId: f.tenantId ?? TOP_LEVEL_TENANT_ID,
      type: f.kind === 'admin' ? SEVT.SEVT_ACCOUNT_ADMIN_LOGIN_FAILED : SEVT.SEVT_ACCOUNT_LOGIN_FAILED,
      resourceId: f.username.slice(0, 255),
      data: { Username: f.username.slice(0, 255), RemoteAddress: f.ip, AuthType: f.authType, Reason: f.reason, ...(lockedNow ? { LockedOut: true } : {}) },
    });
  });
  log.info({ username: f.username.slice(0, 255), ip: f.ip, reason: f.reason, kind: f.kind }, 'sign-in failed');
}

export async function recordSuccessfulLogin(s: {
  attempt: LoginAttempt;
  kind: LoginKind;
  id: string;
  tenantId: string;
  username: string;
  ip: string;
  authType: string;
  method?: string;
}): Promise<void> {
  await endLoginAttempt(s.attempt, 'success');
  const key = keyedDigest(`${s.kind}\u0000${s.id}\u0000${s.ip}\u0000${s.authType}`);
  const until = recent.get(key);
  if (until !== undefined && until > Date.now()) return;
  if (recent.size >= RECENT_MAX) {
    const oldest = recent.keys().next().value;
    if (oldest !== undefined) recent.delete(oldest);
  }
  recent.delete(key);
  recent.set(key, Date.now() + SUCCESS_EVENT_EVERY_MS);
  await db().$transaction(async (tx) => {
    // tenancy: system — records the sign-in of the admin or account just authenticated
    if (s.kind === 'admin') await tx.adminUser.update({ where: { id: s.id }, data: { lastLoginAt: new Date() } });
    // The one who signed in is the event's actor.
    const self = { kind: 'user', accountId: s.id, username: s.username, tenantId: s.tenantId, authMethod: 'Password' } as const;
    await emitEvent(tx, self, {
      tenantId: s.tenantId,
      type: s.kind === 'admin' ? SEVT.SEVT_ACCOUNT_ADMIN_LOGIN : SEVT.SEVT_ACCOUNT_LOGIN,
      resourceId: s.username,
      data: { Username: s.username, RemoteAddress: s.ip, AuthType: s.authType, ...(s.method ? { SecondFactor: s.method } : {}) },
    });
  });
}
