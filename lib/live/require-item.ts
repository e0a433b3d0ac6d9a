// A command names a protected item of the device's account: it must exist before anything is sent.
import { db } from '../db/client';
import { NotFoundError } from '../errors';
import { apiMessage } from '../i18n/api-messages';

/** `accountId` comes from a connection or device the caller was already allowed to reach (dispatchCommand's build). */
export async function requireItem(accountId: string, itemId: string): Promise<void> {
  // tenancy: derived — accountId is the target device's own account, reached through canSee/tenantWhere by dispatchCommand
  if (!(await db().protectedItem.findUnique({ where: { accountId_itemId: { accountId, itemId } }, select: { id: true } }))) {
    throw new NotFoundError(apiMessage('itemNotFound', { id: itemId.slice(0, 100) }));
  }
}
