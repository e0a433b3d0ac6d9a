// UserWebAccountValidateTotp: a code from the secret that regenerate-totp issued switches TOTP on for the
// end user (AllowPasswordAndTOTPLogin, secret sealed in totpSecret). The account's other sessions end: they
// were opened without the factor.
import { verifyTotpCode } from '../credentials/totp';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { emitEvent } from '../events/emit';
import type { UserActor } from '../tenancy/actor';
import { lockOwnAccountAtHash } from './own-account-change';
import { newSecretStamp } from './write-profile';
import { apiMessage } from '../i18n/api-messages';

export async function validateOwnTotp({ actor, profileHash, code }: { actor: UserActor; profileHash: string; code: string }) {
  if (!/^\s*\d{6}\s*$/.test(code)) throw new BadRequestError(apiMessage('totpCodeFormat'));
  await db().$transaction(async (tx) => {
    const account = await lockOwnAccountAtHash(tx, actor, profileHash);
    // tenancy: derived — the caller's own account, found in its scope above
    const row = await tx.account.findUnique({ where: { id: account.id }, select: { totpPendingSecret: true } });
    const pending = row?.totpPendingSecret;
    if (!pending) throw new BadRequestError(apiMessage('totpNothingPending'));
    if (!(await verifyTotpCode(pending, code))) throw new BadRequestError(apiMessage('totpIncorrectCheckClock'));
    // tenancy: derived — the caller's own account, found in its scope above
    await tx.account.update({
      where: { id: account.id },
      data: { totpSecret: pending, totpPendingSecret: null, allowPasswordAndTotpLogin: true, secretStamp: newSecretStamp() },
    });
    // tenancy: derived — the caller's own account's other sessions
    await tx.session.updateMany({ where: { accountId: account.id, revokedAt: null, ...(actor.sessionId ? { id: { not: actor.sessionId } } : {}) }, data: { revokedAt: new Date() } });
    await emitEvent(tx, actor, { tenantId: actor.tenantId, type: SEVT.SEVT_ACCOUNT_UPDATED, resourceId: actor.username, data: { Username: actor.username, Change: 'totp-enabled' } });
  });
  return { Status: 200, Message: 'OK' };
}
