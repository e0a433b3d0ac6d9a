import type { Tx } from '../db/client';
import { NotFoundError } from '../errors';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { loadAccount, type LoadedAccount } from './load-profiles';

export function userNotFound(username: string): NotFoundError {
  return new NotFoundError(`User '${username.slice(0, 255)}' was not found`);
}

/** An account the admin may see, by username; another tenant's account looks exactly like a missing one. */
export async function findVisibleAccount(tx: Tx, actor: AdminActor, username: string): Promise<LoadedAccount> {
  const account = await loadAccount({ username, ...tenantWhere(actor) }, tx);
  if (!account) throw userNotFound(username);
  return account;
}

/** Locks the account row for the rest of the transaction (hash-checked writes). */
export async function lockAccount(tx: Tx, accountId: string): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM "Account" WHERE id = ${accountId} FOR UPDATE`;
}
