// A command names a backup rule of the device's account: it must exist before anything is sent.
import { db } from '../db/client';
import { NotFoundError } from '../errors';
import { apiMessage } from '../i18n/api-messages';

/** `accountId` comes from a connection or device the caller was already allowed to reach (dispatchCommand's build). */
export async function requireRule(accountId: string, ruleId: string): Promise<void> {
  // tenancy: derived — accountId is the target device's own account, reached through canSee/tenantWhere by dispatchCommand
  if (!(await db().backupRule.findUnique({ where: { accountId_ruleId: { accountId, ruleId } }, select: { id: true } }))) {
    throw new NotFoundError(apiMessage('ruleNotFound', { id: ruleId.slice(0, 100) }));
  }
}
