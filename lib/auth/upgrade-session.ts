// AdminAccountSessionUpgrade: marks a session key as having seen the admin's second factor, so it is
// a full session again (a key started before TOTP/WebAuthn was switched on needs this). The factor
// must come with this call: AuthType=PasswordTOTP / PasswordWebAuthn with the key in SessionKey, or
// AuthType=SessionKey with that key plus TOTP / WebAuthnSign.
import { db } from '../db/client';
import { AuthError, NotFoundError } from '../errors';
import { keyedDigest } from '../secrets';
import { ERR_TOTP_REQUIRED } from '../errors';
import type { AdminActor } from '../tenancy/actor';
import { apiMessage, localizeApiMessage } from '../i18n/api-messages';
import type { Locale } from '../i18n/locales';

/** `locale`: the language of the answer's Message (the caller's). */
export async function upgradeSession({ actor, sessionKey, locale = 'en' }: { actor: AdminActor; sessionKey: string; locale?: Locale }): Promise<{ Status: number; Message: string }> {
  // tenancy: own — the admin's own row and session key (actor.adminId)
  const admin = await db().adminUser.findUnique({ where: { id: actor.adminId }, select: { allowPasswordAndTotpLogin: true, totpSecret: true, allowPasswordAndWebAuthnLogin: true } });
  const hasFactor = !!admin && ((admin.allowPasswordAndTotpLogin && !!admin.totpSecret) || admin.allowPasswordAndWebAuthnLogin);
  const where = { keyHash: keyedDigest(sessionKey), adminId: actor.adminId, revokedAt: null, expiresAt: { gt: new Date() } };
  // tenancy: own — the admin's own row and session key (actor.adminId)
  const session = await db().session.findFirst({ where, select: { id: true, upgraded: true } });
  if (!session) throw new NotFoundError(apiMessage('sessionKeyNotFound'));
  if (!hasFactor) return { Status: 200, Message: localizeApiMessage(apiMessage('sessionNoSecondFactor'), locale) };
  if (!actor.secondFactor) throw new AuthError(ERR_TOTP_REQUIRED);
  // tenancy: own — the admin's own row and session key (actor.adminId)
  if (!session.upgraded) await db().session.update({ where: { id: session.id }, data: { upgraded: true } });
  return { Status: 200, Message: 'OK' };
}
