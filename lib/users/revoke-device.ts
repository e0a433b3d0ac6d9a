import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { NotFoundError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { userNotFound } from './find-account';
import { apiMessage } from '../i18n/api-messages';

/** AdminRevokeDevice: removes a registered device from the account; its data and items stay. */
export async function revokeDevice({ actor, username, deviceId }: { actor: AdminActor; username: string; deviceId: string }): Promise<void> {
  await db().$transaction(async (tx) => {
    const account = await tx.account.findFirst({ where: { username, ...tenantWhere(actor) }, select: { id: true, tenantId: true } });
    if (!account) throw userNotFound(username);
    const removed = await tx.device.deleteMany({ where: { accountId: account.id, deviceId, ...tenantWhere(actor) } });
    if (removed.count === 0) throw new NotFoundError(apiMessage('deviceNotFoundForUser', { id: deviceId.slice(0, 255), username }));
    await emitEvent(tx, actor, { tenantId: account.tenantId, type: SEVT.SEVT_DEVICE_REMOVED, resourceId: deviceId, data: { Username: username, DeviceID: deviceId } });
  });
}
