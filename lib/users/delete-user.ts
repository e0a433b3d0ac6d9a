import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { userNotFound } from './find-account';

export type UninstallConfig = { UninstallFlag?: boolean; RemoveConfigFile?: boolean };

/**
 * AdminDeleteUser. The account, its devices, vaults, items, rules and sessions go in one statement
 * scoped to the admin's tenant. The uninstall request is recorded in the event for the live
 * connection layer, which tells online devices to uninstall.
 */
export async function deleteUser({ actor, username, uninstall }: { actor: AdminActor; username: string; uninstall?: UninstallConfig }): Promise<void> {
  await db().$transaction(async (tx) => {
    const account = await tx.account.findFirst({ where: { username, ...tenantWhere(actor) }, select: { id: true, tenantId: true } });
    if (!account) throw userNotFound(username);
    const deleted = await tx.account.deleteMany({ where: { id: account.id, ...tenantWhere(actor) } });
    if (deleted.count !== 1) throw userNotFound(username);
    await emitEvent(tx, actor, {
      tenantId: account.tenantId,
      type: SEVT.SEVT_ACCOUNT_REMOVED,
      resourceId: username,
      data: { Username: username, Uninstall: uninstall ?? null },
    });
  });
}
