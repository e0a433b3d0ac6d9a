import { dbPool, PRISMA_ROW_TYPES, type Tx } from '../db/client';
import { NotFoundError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import type { AdminActor, UserActor } from '../tenancy/actor';
import { accountScopeWhere, tenantWhere } from '../tenancy/scope';
import { accountByUsernameQuery } from './account-batch-query';
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

/**
 * `findVisibleAccount` for reads outside a transaction (get-user-profile and -and-hash, every SDK's most frequent
 * call): the same row and children in one statement on the pg pool, without Prisma's five round trips, query
 * compiler and relation stitching. The children arrive as JSON arrays (int8 as JSON numbers), as list-users-full
 * reads them; the mapper takes either. bench/baseline.ts runs this statement too.
 */
export async function readVisibleAccount(actor: AdminActor, username: string): Promise<LoadedAccount> {
  const q = accountByUsernameQuery({ scope: tenantWhere(actor), username });
  // tenancy: derived — the statement's tenant condition is tenantWhere(actor) above (accountScopeSqlParts)
  const { rows } = await dbPool().query<LoadedAccount>({ text: q.text, values: q.values, types: PRISMA_ROW_TYPES });
  if (!rows[0]) throw userNotFound(username);
  return rows[0];
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
