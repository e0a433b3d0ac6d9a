// AdminListUsersFull as a stream: every visible profile keyed by username, read in keyset batches and
// encoded as it is read (lib/api/json-stream.ts), so 100,000 accounts never sit in memory at once. The
// entries come in the order the whole-object answer had: usernames that are JavaScript array indexes
// ("0", "42") first in numeric order (an object lists those first), then the rest in PostgreSQL's
// username order (the order the single findMany had).
import { db, dbPool, PRISMA_ROW_TYPES } from '../db/client';
import { isArrayIndexKey } from '../json/array-index-key';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { tenantSql } from '../tenancy/tenant-sql';
import { accountBatchQuery, PROFILE_BATCH } from './account-batch-query';
import { accountToProfile, loadAccounts, type LoadedAccount } from './load-profiles';

/**
 * The entries of list-users-full. The first batch is read before this returns (so a database error is an
 * ordinary error answer); the rest while the answer is being written.
 */
export async function streamUserProfiles({ actor, batch = PROFILE_BATCH }: { actor: AdminActor; batch?: number }): Promise<AsyncIterable<[string, Record<string, unknown>]>> {
  // Array-index usernames: few (if any); only their ids and names are held.
  const indexRows = await db().$queryRaw<Array<{ id: string; username: string }>>`
    SELECT id, username FROM "Account" WHERE ${tenantSql(actor)} AND username ~ '^(0|[1-9][0-9]{0,9})$'`;
  const indexed = indexRows.filter((r) => isArrayIndexKey(r.username)).sort((a, b) => Number(a.username) - Number(b.username));
  const scope = tenantWhere(actor);
  // On the pg pool, as get-user-profile reads its one account (readVisibleAccount): Prisma's row mapping of 250
  // accounts with their children as JSON arrays was most of Halley's CPU and garbage beyond the baseline's.
  const readAfter = async (after: string | undefined) => {
    const q = accountBatchQuery({ scope, after, limit: batch });
    // tenancy: derived — the statement's tenant condition is tenantWhere(actor) above (accountScopeSqlParts)
    return (await dbPool().query<LoadedAccount>({ text: q.text, values: q.values, types: PRISMA_ROW_TYPES })).rows;
  };
  const first = indexed.length > 0 ? undefined : await readAfter(undefined);

  return (async function* () {
    for (let i = 0; i < indexed.length; i += batch) {
      const ids = indexed.slice(i, i + batch).map((r) => r.id);
      const rows = await loadAccounts({ AND: [scope, { id: { in: ids } }] }, db());
      const byId = new Map(rows.map((a) => [a.id, a]));
      for (const id of ids) {
        const account = byId.get(id);
        if (account && isArrayIndexKey(account.username)) yield [account.username, accountToProfile(account)] as [string, Record<string, unknown>];
      }
    }
    let rows = first ?? (await readAfter(undefined));
    while (rows.length > 0) {
      for (const account of rows) {
        if (!isArrayIndexKey(account.username)) yield [account.username, accountToProfile(account)] as [string, Record<string, unknown>];
      }
      if (rows.length < batch) break;
      rows = await readAfter(rows[rows.length - 1].username);
    }
  })();
}
