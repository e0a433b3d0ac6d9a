// Rows copied into a table partitioned by month (the usage ledger's detail tables) need a partition for each of
// their months: restore and tenant import stage such rows first, then ask for the months the staged rows span
// (halley_usage_ensure_partitions, idempotent) before inserting them into the live table.
import type pg from 'pg';
import { quoteIdent } from './plan-tables';

/** Whether `table` is a partitioned parent table. */
export async function isPartitioned(client: pg.ClientBase, table: string): Promise<boolean> {
  const { rows } = await client.query<{ p: boolean }>(
    `SELECT c.relkind = 'p' AS p FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = $1`,
    [table],
  );
  return rows[0]?.p === true;
}

/** Creates the month partitions of `table` that the rows of `staged` (a table with a "day" column) need. */
export async function ensurePartitionsFor(client: pg.ClientBase, table: string, staged: string): Promise<void> {
  if (!(await isPartitioned(client, table))) return;
  await client.query(`SELECT halley_usage_ensure_partitions(min("day")::date, max("day")::date) FROM ${staged} HAVING count(*) > 0`);
}
