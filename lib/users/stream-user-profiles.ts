// AdminListUsersFull as a stream: every visible profile keyed by username, read in keyset batches and
// encoded as it is read (lib/api/json-stream.ts), so 100,000 accounts never sit in memory at once. The
// entries come in the order the whole-object answer had: usernames that are JavaScript array indexes
// ("0", "42") first in numeric order (an object lists those first), then the rest in PostgreSQL's
// username order (the order the single findMany had).
import { db, PRISMA_ROW_TYPES } from '../db/client';
import { forEachRow } from '../db/for-each-row';
import { isArrayIndexKey } from '../json/array-index-key';
import { JsonText } from '../json/json-text';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { tenantSql } from '../tenancy/tenant-sql';
import { accountBatchQuery, PROFILE_BATCH } from './account-batch-query';
import { accountToProfile, accountToProfileJson, loadAccounts, type LoadedAccount } from './load-profiles';

/** An entry of the answer: a username and its profile (already encoded for the usual accounts). */
type ProfileEntry = [string, Record<string, unknown> | JsonText];

/**
 * The entries of list-users-full. The first batch is read before this returns (so a database error is an
 * ordinary error answer); the rest while the answer is being written.
 */
export async function streamUserProfiles({ actor, batch = PROFILE_BATCH }: { actor: AdminActor; batch?: number }): Promise<AsyncIterable<ProfileEntry>> {
  // Array-index usernames: few (if any); only their ids and names are held.
  const indexRows = await db().$queryRaw<Array<{ id: string; username: string }>>`
    SELECT id, username FROM "Account" WHERE ${tenantSql(actor)} AND username ~ '^(0|[1-9][0-9]{0,9})$'`;
  const indexed = indexRows.filter((r) => isArrayIndexKey(r.username)).sort((a, b) => Number(a.username) - Number(b.username));
  const scope = tenantWhere(actor);
  // One batch on the pg pool (as get-user-profile reads its one account), each profile encoded as its row arrives
  // (forEachRow, accountToProfileJson): no batch of rows or of profile objects is ever held, only the batch's JSON
  // text. Both kept the old generation growing between V8's full collections (bench/README.md).
  // The batch's names and texts are kept in two arrays made once per answer, not in an entry per profile: V8 moves
  // the allocation of objects that keep surviving to the old generation, and an entry there keeps its text alive
  // through the next young-generation collection, and the next, until a full one.
  // Rows after the first batch are written while their batch is still being read (`arrived` wakes the writer after
  // each one), so a text lives for a socket read of rows, not for a whole batch.
  const names: string[] = [];
  const texts: string[] = [];
  let arrived: (() => void) | undefined;
  /** Reads a batch into names/texts (cleared first); resolves to the username to read after, if there may be more. */
  const readAfter = async (after: string | undefined) => {
    const q = accountBatchQuery({ scope, after, limit: batch });
    names.length = 0;
    texts.length = 0;
    let last: string | undefined;
    // tenancy: derived — the statement's tenant condition is tenantWhere(actor) above (accountScopeSqlParts)
    const count = await forEachRow<LoadedAccount>({ text: q.text, values: q.values, types: PRISMA_ROW_TYPES }, (account) => {
      last = account.username;
      if (isArrayIndexKey(account.username)) return; // listed first, from `indexed`
      names.push(account.username);
      texts.push(accountToProfileJson(account));
      arrived?.();
    });
    return count < batch ? undefined : last;
  };
  const firstNext = indexed.length > 0 ? null : await readAfter(undefined);

  return (async function* () {
    for (let i = 0; i < indexed.length; i += batch) {
      const ids = indexed.slice(i, i + batch).map((r) => r.id);
      const rows = await loadAccounts({ AND: [scope, { id: { in: ids } }] }, db());
      const byId = new Map(rows.map((a) => [a.id, a]));
      for (const id of ids) {
        const account = byId.get(id);
        if (account && isArrayIndexKey(account.username)) yield [account.username, accountToProfile(account)] as ProfileEntry;
      }
    }
    let reading: Promise<string | undefined> = firstNext === null ? readAfter(undefined) : Promise.resolve(firstNext);
    for (;;) {
      let read = false;
      let next: string | undefined;
      const finished = reading.then((n) => {
        read = true;
        next = n;
      });
      finished.catch(() => undefined); // a failure is raised below; this only marks it handled while a yield waits
      for (let i = 0; ; ) {
        for (; i < names.length; i++) {
          yield [names[i], new JsonText(texts[i])] as ProfileEntry;
          texts[i] = ''; // written: not held until the batch is done
        }
        if (read) break;
        await Promise.race([new Promise<void>((resolve) => (arrived = resolve)), finished]);
        arrived = undefined;
      }
      if (next === undefined) break;
      reading = readAfter(next); // clears the batch that was just written
    }
  })();
}
