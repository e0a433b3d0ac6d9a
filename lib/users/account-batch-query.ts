// One statement per batch of list-users-full: up to `limit` accounts in username order after `after`, each
// with its devices, vaults, items and rules as JSON arrays in position order. One round trip and no relation
// stitching in the client instead of Prisma's include (the account query plus four `accountId IN (...)`
// queries, joined in JavaScript): that was most of what Halley added over a bare pg server for this list
// (bench/README.md, "list-users-full streamed"). bench/baseline.ts runs this same text, and
// `accountByUsernameQuery` (get-user-profile's one statement) too.
import { accountScopeSqlParts } from '../tenancy/tenant-sql';
import type { AccountScope } from '../tenancy/scope';

const children = (table: string, alias: string) =>
  `(SELECT COALESCE(json_agg(${alias} ORDER BY ${alias}.position), '[]'::json) FROM "${table}" ${alias} WHERE ${alias}."accountId" = a.id)`;

/** The account's columns and its four child lists (as JSON arrays in position order). */
const WITH_CHILDREN =
  `SELECT a.*, ${children('Device', 'd')} AS devices, ${children('StorageVault', 'v')} AS vaults, ` +
  `${children('ProtectedItem', 'i')} AS items, ${children('BackupRule', 'r')} AS rules FROM "Account" a`;

/** `scope`: tenantWhere(actor) of the caller (the tenant condition is part of the statement). */
export function accountBatchQuery({ scope, after, limit }: { scope: AccountScope; after?: string; limit: number }): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const bind = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const where = accountScopeSqlParts(scope, bind, 'a');
  if (after !== undefined) where.push(`a.username > ${bind(after)}`);
  const text = `${WITH_CHILDREN} WHERE ${where.length ? where.join(' AND ') : 'TRUE'} ORDER BY a.username LIMIT ${bind(limit)}`;
  return { text, values };
}

function oneAccountQuery(scope: AccountScope, column: 'username' | 'id', value: string): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const bind = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const where = [`a.${column} = ${bind(value)}`, ...accountScopeSqlParts(scope, bind, 'a')];
  return { text: `${WITH_CHILDREN} WHERE ${where.join(' AND ')}`, values };
}

/**
 * One account by username with its children, in one statement (Prisma's findFirst with the four includes took
 * five round trips through the query compiler): what get-user-profile reads. `scope` as above.
 */
export function accountByUsernameQuery({ scope, username }: { scope: AccountScope; username: string }): { text: string; values: unknown[] } {
  return oneAccountQuery(scope, 'username', username);
}

/** The same by account id: what a connected device reads as its profile (every sign-in of an agent). */
export function accountByIdQuery({ scope, id }: { scope: AccountScope; id: string }): { text: string; values: unknown[] } {
  return oneAccountQuery(scope, 'id', id);
}

/**
 * Accounts per list-users-full batch (~12 KB of profile each, so under 1 MB of rows). Small on purpose: a batch's rows
 * live while its profiles are encoded, and at 250 they outlived V8's young-generation collections and were promoted;
 * the old generation then grew by hundreds of MiB before a full collection (bench/README.md). bench/baseline.ts
 * reads the same batches.
 */
export const PROFILE_BATCH = 64;
