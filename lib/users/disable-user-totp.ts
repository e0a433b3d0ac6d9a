// AdminDisableUserTotp: an admin switches TOTP off for a user who lost their authenticator. The secret is
// removed (not kept for later), and the account's sessions end.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { userNotFound } from './find-account';
import { newSecretStamp } from './write-profile';

export async function disableUserTotp({ actor, username }: { actor: AdminActor; username: string }) {
  await db().$transaction(async (tx) => {
    const account = await tx.account.findFirst({ where: { username, ...tenantWhere(actor) }, select: { id: true, tenantId: true } });
    if (!account) throw userNotFound(username);
    // tenancy: derived — the account was found with tenantWhere above
    await tx.account.update({ where: { id: account.id }, data: { totpSecret: null, totpPendingSecret: null, allowPasswordAndTotpLogin: false, secretStamp: newSecretStamp() } });
    // tenancy: derived — the account was found with tenantWhere above
    await tx.session.updateMany({ where: { accountId: account.id, revokedAt: null }, data: { revokedAt: new Date() } });
    await emitEvent(tx, actor, { tenantId: account.tenantId, type: SEVT.SEVT_ACCOUNT_UPDATED, resourceId: username, data: { Username: username, Change: 'totp-disabled' } });
  });
  return { Status: 200, Message: 'OK' };
}
