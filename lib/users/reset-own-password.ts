// UserWebAccountResetPassword: the end user changes their own password, proving the old one. The account's
// other sessions end with the old password.
import { hashPassword, verifyPassword } from '../credentials/password';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { emitEvent } from '../events/emit';
import type { UserActor } from '../tenancy/actor';
import { lockOwnAccountAtHash } from './own-account-change';
import { checkNewPassword } from '../validation/check-new-password';
import { newSecretStamp } from './write-profile';
import { apiMessage } from '../i18n/api-messages';

export async function resetOwnPassword(opts: { actor: UserActor; profileHash: string; oldPassword: string; newPassword: string }) {
  const { actor } = opts;
  await checkNewPassword(opts.newPassword);
  const passwordHash = await hashPassword(opts.newPassword);
  await db().$transaction(async (tx) => {
    const account = await lockOwnAccountAtHash(tx, actor, opts.profileHash);
    // tenancy: derived — the caller's own account, found in its scope above
    const row = await tx.account.findUnique({ where: { id: account.id }, select: { passwordHash: true } });
    if (!row || !(await verifyPassword(row.passwordHash, opts.oldPassword))) throw new BadRequestError(apiMessage('oldPasswordWrong'));
    // tenancy: derived — the caller's own account, found in its scope above
    await tx.account.update({ where: { id: account.id }, data: { passwordHash, secretStamp: newSecretStamp(), requirePasswordChange: false } });
    // tenancy: derived — the caller's own account's other sessions
    await tx.session.updateMany({ where: { accountId: account.id, revokedAt: null, ...(actor.sessionId ? { id: { not: actor.sessionId } } : {}) }, data: { revokedAt: new Date() } });
    await emitEvent(tx, actor, { tenantId: actor.tenantId, type: SEVT.SEVT_ACCOUNT_UPDATED, resourceId: actor.username, data: { Username: actor.username } });
  });
  return { Status: 200, Message: 'OK' };
}
