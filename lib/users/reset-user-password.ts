import { hashPassword, verifyPassword } from '../credentials/password';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { userNotFound } from './find-account';
import { checkNewPassword } from '../validation/check-new-password';
import { newSecretStamp } from './write-profile';
import { apiMessage } from '../i18n/api-messages';

/**
 * AdminResetUserPassword. When OldPassword is given it must match (Comet uses it to re-encrypt
 * vault keys on the device). The account's other sessions end with the old password.
 */
export async function resetUserPassword(opts: { actor: AdminActor; username: string; newPassword: string; oldPassword?: string }): Promise<void> {
  const { actor, username } = opts;
  await checkNewPassword(opts.newPassword);
  const account = await db().account.findFirst({ where: { username, ...tenantWhere(actor) }, select: { id: true, tenantId: true, passwordHash: true } });
  if (!account) throw userNotFound(username);
  if (opts.oldPassword !== undefined && !(await verifyPassword(account.passwordHash, opts.oldPassword))) {
    throw new BadRequestError(apiMessage('oldPasswordWrong'));
  }
  const passwordHash = await hashPassword(opts.newPassword);
  await db().$transaction(async (tx) => {
    const updated = await tx.account.updateMany({
      where: { id: account.id, ...tenantWhere(actor) },
      data: { passwordHash, secretStamp: newSecretStamp(), requirePasswordChange: false },
    });
    if (updated.count !== 1) throw userNotFound(username);
    // tenancy: derived — the account was found with tenantWhere above
    await tx.session.updateMany({ where: { accountId: account.id, revokedAt: null }, data: { revokedAt: new Date() } });
    await emitEvent(tx, actor, { tenantId: account.tenantId, type: SEVT.SEVT_ACCOUNT_UPDATED, resourceId: username, data: { Username: username } });
  });
}
