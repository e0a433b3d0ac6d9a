// A statement on the pg pool whose rows are handed over one by one as pg parses them, never gathered into a
// result. For the bulk streams (list-users-full): a gathered batch lives until its last row has arrived and the
// whole batch has been encoded, long enough for V8's young-generation collections to promote it; and allocation
// sites whose objects keep surviving are then allocated straight in the old generation. Either way the process grew
// by hundreds of MiB between full collections (bench/README.md, "list-users-full at 100,000 accounts").
import pg from 'pg';
import { dbPool } from './client';

type Statement = { text: string; values: unknown[]; types?: pg.CustomTypesConfig };

/**
 * Runs `statement` and calls `onRow` for each row as it arrives; resolves to the number of rows. `onRow` runs inside
 * pg's parsing: a throw there is held, the statement read to its end (the connection stays usable), then rethrown.
 */
export async function forEachRow<Row>(statement: Statement, onRow: (row: Row) => void): Promise<number> {
  const client = await dbPool().connect();
  let count = 0;
  let failure: { err: unknown } | undefined;
  try {
    const query = new pg.Query({ text: statement.text, values: statement.values, types: statement.types });
    query.on('row', (row: Row) => {
      if (failure) return;
      try {
        onRow(row);
        count++;
      } catch (err) {
        failure = { err };
      }
    });
    await new Promise<void>((resolve, reject) => {
      query.on('end', () => resolve());
      query.on('error', reject);
      client.query(query);
    });
  } catch (err) {
    client.release(err instanceof Error ? err : true);
    throw err;
  }
  client.release();
  if (failure) throw failure.err;
  return count;
}
