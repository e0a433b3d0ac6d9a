import type { Tx } from '../db/client';
import { NotFoundError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import type { AdminActor, UserActor } from '../tenancy/actor';
import { accountScopeWhere, tenantWhere } from '../tenancy/scope';
import { loadAccount, type LoadedAccount } from './load-profiles';

/** Comet answers an unknown (or foreign) TargetUser with Status 400, not 404. */
export function userNotFound(username: string): NotFoundError {
  return new NotFoundError(apiMessage('userNotFound', { username: username.slice(0, 255) }), 400);
}

/** An account the admin may see, by username; another tenant's account looks exactly like a missing one. */
export async function findVisibleAccount(tx: Tx, actor: AdminActor, username: string): Promise<LoadedAccount> {
  const account = await loadAccount({ username, ...tenantWhere(actor) }, tx);
  if (!account) throw userNotFound(username);
  return account;
}

/** An end user's own account, within its tenant. */
export async function findOwnAccount(tx: Tx, actor: UserActor): Promise<LoadedAccount> {
  const { accountId, ...tenant } = accountScopeWhere(actor);
  const account = await loadAccount({ id: accountId, ...tenant }, tx);
  if (!account) throw new NotFoundError(apiMessage('ownAccountNotFound'));
  return account;
}

/** Locks the account row for the rest of the transaction (hash-checked writes). */
export async function lockAccount(tx: Tx, accountId: string): Promise<void> {
  // tenancy: derived — locks an account its caller found in scope
  await tx.$executeRaw`SELECT 1 FROM "Account" WHERE id = ${accountId} FOR UPDATE`;
}
