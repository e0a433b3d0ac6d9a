// AdminAccountValidateTotp: a code from the secret that account/regenerate-totp issued switches TOTP
// on (AllowPasswordAndTOTPLogin, secret sealed in totpSecret). The answer carries, once, ten recovery
// codes (Halley's addition, RecoveryCodes). The calling session counts as upgraded: it just proved
// the factor; other sessions of this admin must give it before their next call.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { replaceRecoveryCodes } from '../auth/recovery-codes';
import { verifyTotpCode } from '../credentials/totp';
import { apiMessage } from '../i18n/api-messages';

export async function validateTotp({ actor, code }: { actor: AdminActor; code: string }) {
  // tenancy: own — the admin's own row and session (actor.adminId, actor.sessionId)
  const admin = await db().adminUser.findUnique({ where: { id: actor.adminId }, select: { totpPendingSecret: true } });
  const pending = admin?.totpPendingSecret;
  if (!pending) throw new BadRequestError(apiMessage('totpNothingPending'));
  if (!/^\s*\d{6}\s*$/.test(code)) throw new BadRequestError(apiMessage('totpCodeFormat'));
  if (!(await verifyTotpCode(pending, code))) throw new BadRequestError(apiMessage('totpIncorrectCheckClock'));
  const recoveryCodes = await db().$transaction(async (tx) => {
    // Only the secret that was checked is promoted (a concurrent regenerate leaves this a no-op).
    // tenancy: own — the admin's own row and session (actor.adminId, actor.sessionId)
    const moved = await tx.adminUser.updateMany({
      where: { id: actor.adminId, totpPendingSecret: pending },
      data: { totpSecret: pending, totpPendingSecret: null, allowPasswordAndTotpLogin: true },
    });
    if (moved.count !== 1) throw new BadRequestError(apiMessage('totpSecretChanged'));
    // tenancy: own — the admin's own row and session (actor.adminId, actor.sessionId)
    if (actor.sessionId) await tx.session.updateMany({ where: { id: actor.sessionId, adminId: actor.adminId }, data: { upgraded: true } });
    const codes = await replaceRecoveryCodes(tx, actor.adminId);
    await emitEvent(tx, actor, { tenantId: actor.tenantId, type: SEVT.SEVT_ACCOUNT_ADMIN_UPDATED, resourceId: actor.username, data: { Username: actor.username, Change: 'totp-enabled' } });
    return codes;
  });
  return { Status: 200, Message: 'OK', RecoveryCodes: recoveryCodes };
}
