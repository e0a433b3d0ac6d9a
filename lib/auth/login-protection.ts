// Comet's LoginProtectionOptions: after FailureThreshold failed sign-ins, further attempts are refused
// for CooldownSeconds. Failures are counted per (username, client address): an attacker elsewhere can't
// lock a real administrator out, and an unknown username is counted exactly like a known one, so the
// lockout answer says nothing about which usernames exist. Only a keyed digest of the pair is stored.
import { db, type Tx } from '../db/client';
import { AuthError } from '../errors';
import { keyedDigest } from '../secrets';
import { readServerSetting } from '../settings/server-settings';

export type LoginProtectionOptions = { Enabled: boolean; FailureThreshold: number; CooldownSeconds: number };

export const LOGIN_PROTECTION_KEY = 'LoginProtection';
export const DEFAULT_LOGIN_PROTECTION: LoginProtectionOptions = Object.freeze({ Enabled: true, FailureThreshold: 5, CooldownSeconds: 300 });

export function loginProtectionOptions(): Promise<LoginProtectionOptions> {
  return readServerSetting<LoginProtectionOptions>(LOGIN_PROTECTION_KEY, DEFAULT_LOGIN_PROTECTION);
}

export function loginSubject(username: string, ip: string): string {
  return keyedDigest(`login\u0000${username.toLowerCase()}\u0000${ip}`);
}

export class LockedOutError extends AuthError {
  constructor(seconds: number) {
    super(`Too many failed sign-in attempts: sign-in is blocked for this username from your address for ${seconds} more second${seconds === 1 ? '' : 's'}`);
  }
}

/**
 * Throws LockedOutError while the subject is cooling down. Returns whether earlier failures are on
 * record, so a successful sign-in only spends a statement on clearing them when there are some.
 */
export async function assertNotLockedOut(subject: string): Promise<boolean> {
  const options = await loginProtectionOptions();
  if (!options.Enabled) return false;
  const row = await db().loginFailure.findUnique({ where: { subject }, select: { lockedUntil: true } });
  const until = row?.lockedUntil?.getTime() ?? 0;
  if (until > Date.now()) throw new LockedOutError(Math.ceil((until - Date.now()) / 1000));
  return row !== null;
}

/**
 * Counts one failure inside the caller's transaction; returns true when it started a lockout.
 * Failures older than the cooldown window no longer count (the window restarts).
 */
export async function recordLoginFailure(tx: Tx, subject: string): Promise<boolean> {
  const options = await loginProtectionOptions();
  if (!options.Enabled) return false;
  const now = new Date();
  const windowStart = new Date(now.getTime() - options.CooldownSeconds * 1000);
  // One statement, so concurrent failures can't both read the old count.
  const rows = await tx.$queryRaw<Array<{ failures: number }>>`
    INSERT INTO "LoginFailure" (subject, failures, "firstFailureAt", "lockedUntil")
    VALUES (${subject}, 1, ${now}, NULL)
    ON CONFLICT (subject) DO UPDATE SET
      failures = CASE WHEN "LoginFailure"."firstFailureAt" < ${windowStart} OR "LoginFailure"."lockedUntil" <= ${now} THEN 1 ELSE "LoginFailure".failures + 1 END,
      "firstFailureAt" = CASE WHEN "LoginFailure"."firstFailureAt" < ${windowStart} OR "LoginFailure"."lockedUntil" <= ${now} THEN ${now} ELSE "LoginFailure"."firstFailureAt" END,
      "lockedUntil" = CASE WHEN "LoginFailure"."lockedUntil" <= ${now} THEN NULL ELSE "LoginFailure"."lockedUntil" END
    RETURNING failures`;
  const failures = rows[0]?.failures ?? 1;
  if (failures >= options.FailureThreshold) {
    await tx.loginFailure.update({ where: { subject }, data: { lockedUntil: new Date(now.getTime() + options.CooldownSeconds * 1000) } });
    return failures === options.FailureThreshold;
  }
  // Now and then, forget subjects that have been quiet for a day (no scheduler needed for this).
  if (Math.random() < 0.01) {
    await tx.loginFailure.deleteMany({ where: { firstFailureAt: { lt: new Date(now.getTime() - 86_400_000) }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] } });
  }
  return false;
}

/** A successful sign-in forgets earlier failures of the same subject. */
export async function clearLoginFailures(subject: string): Promise<void> {
  await db().loginFailure.deleteMany({ where: { subject } });
}
