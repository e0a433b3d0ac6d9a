// HalleyAdminBulkReplaceAddressesUndo: puts back exactly the addresses one replace changed. A vault whose
// address is no longer the one the replace wrote (edited, deleted, or replaced again since) is left as it
// is and counted as skipped. An operation is undone once.
import { db } from '../db/client';
import { ConflictError, NotFoundError } from '../errors';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { userNotFound } from '../users/find-account';
import { notifyDevices } from './notify-devices';
import type { TOperationChange } from './replace-addresses';
import { rewriteVaultAddresses } from './rewrite-vault-addresses';
import { apiMessage } from '../i18n/api-messages';

export async function undoReplace({ actor, operationId }: { actor: AdminActor; operationId: string }): Promise<{ Restored: number; Skipped: number }> {
  const claimed = await db().bulkReplaceOperation.updateMany({ where: { id: operationId, status: 'done', ...tenantWhere(actor) }, data: { status: 'undone', undoneAt: new Date() } });
  if (claimed.count === 0) {
    const exists = await db().bulkReplaceOperation.findFirst({ where: { id: operationId, ...tenantWhere(actor) }, select: { status: true } });
    if (!exists) throw new NotFoundError(apiMessage('operationNotFound', { id: operationId.slice(0, 100) }));
    throw new ConflictError(exists.status === 'undone' ? apiMessage('operationUndone') : apiMessage('operationRunning'));
  }
  const op = await db().bulkReplaceOperation.findFirst({ where: { id: operationId, ...tenantWhere(actor) }, select: { changes: true } });
  const changes = (op?.changes ?? []) as TOperationChange[];
  const byUser = new Map<string, TOperationChange[]>();
  for (const c of changes) byUser.set(c.username, [...(byUser.get(c.username) ?? []), c]);
  let restored = 0;
  const accounts: string[] = [];
  for (const [username, list] of byUser) {
    const wrote = new Map(list.map((c) => [c.vaultId, c]));
    let done;
    try {
      done = await rewriteVaultAddresses({ actor, username, vaultIds: [...wrote.keys()], decide: (id, address) => (address === wrote.get(id)!.after ? wrote.get(id)!.before : null) });
    } catch (err) {
      // A user deleted (or moved out of scope) since: nothing of it to restore.
      if (err instanceof NotFoundError && err.message === userNotFound(username).message) continue;
      throw err;
    }
    restored += done.length;
    const account = await db().account.findFirst({ where: { username, ...tenantWhere(actor) }, select: { id: true } });
    if (done.length > 0 && account) accounts.push(account.id);
  }
  await notifyDevices(accounts);
  return { Restored: restored, Skipped: changes.length - restored };
}
