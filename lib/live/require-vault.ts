// A command names a storage vault of the device's account: it must exist before anything is sent.
import { db } from '../db/client';
import { NotFoundError } from '../errors';
import { apiMessage } from '../i18n/api-messages';

/** `accountId` comes from a connection or device the caller was already allowed to reach (dispatchCommand's build). */
export async function requireVault(accountId: string, vaultId: string): Promise<void> {
  // tenancy: derived — accountId is the target device's own account, reached through canSee/tenantWhere by dispatchCommand
  if (!(await db().storageVault.findUnique({ where: { accountId_vaultId: { accountId, vaultId } }, select: { id: true } }))) {
    throw new NotFoundError(apiMessage('vaultNotFound', { id: vaultId.slice(0, 100) }));
  }
}
