// Which tables a self-backup copies, in which order and with which rows, read from the catalog so a table a
// later migration adds is covered without touching this file.
//  - Load order: every table after the tables it references (restore loads them in this order).
//  - ExcludeJobsDB: the Job table and every table that references it (JobLogEntry) are left out.
//  - RestrictToSingleOrgID: the Tenant row, tables with a "tenantId" column, and tables that reference one
//    of those (a child such as JobLogEntry or AdminRecoveryCode) restricted through that reference;
//    server-wide tables (ServerSetting, LoginFailure, ...) are left out.
//  - Generated and xid8 columns are not copied: their defaults are recomputed on load (Event.txid is the
//    loading transaction's id, so the outbox order stays consistent on the new server).
import type pg from 'pg';

type TablePlan = {
  name: string;
  columns: string[];
  /** The COPY statement that writes this table's rows to STDOUT. */
  copyOut: string;
};

type ForeignKey = { child: string; parent: string; column: string; parentColumn: string };

/** Tables Halley never restores from an archive: the migration applier writes its own. */
const NOT_COPIED = new Set(['_prisma_migrations']);
const JOB_TABLE = 'Job';
const TENANT_TABLE = 'Tenant';

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function catalog(client: pg.Client) {
  const tables = await client.query<{ name: string; partitioned: boolean }>(
    `SELECT c.relname AS name, c.relkind = 'p' AS partitioned FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname`,
  );
  const columns = await client.query<{ table: string; column: string }>(
    `SELECT c.relname AS table, a.attname AS column FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
      WHERE n.nspname = current_schema() AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' AND t.typname <> 'xid8'
      ORDER BY c.relname, a.attnum`,
  );
  const fks = await client.query<ForeignKey>(
    `SELECT cl.relname AS child, pc.relname AS parent, a.attname AS column, pa.attname AS "parentColumn"
       FROM pg_constraint c
       JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class pc ON pc.oid = c.confrelid
       JOIN pg_namespace n ON n.oid = cl.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
      WHERE c.contype = 'f' AND n.nspname = current_schema() ORDER BY cl.relname, c.conname`,
  );
  const byTable = new Map<string, string[]>();
  for (const r of columns.rows) byTable.set(r.table, [...(byTable.get(r.table) ?? []), r.column]);
  const partitioned = new Set(tables.rows.filter((r) => r.partitioned).map((r) => r.name));
  return { tables: tables.rows.map((r) => r.name).filter((t) => !NOT_COPIED.has(t)), partitioned, columns: byTable, fks: fks.rows };
}

/** `tables` ordered so that each comes after the tables it references (cycles keep their name order). */
function loadOrder(tables: string[], fks: ForeignKey[]): string[] {
  const parents = new Map(tables.map((t) => [t, new Set(fks.filter((f) => f.child === t && f.parent !== t).map((f) => f.parent))]));
  const out: string[] = [];
  const done = new Set<string>();
  while (out.length < tables.length) {
    const ready = tables.filter((t) => !done.has(t) && [...parents.get(t)!].every((p) => done.has(p) || !parents.has(p)));
    const next = ready.length ? ready : tables.filter((t) => !done.has(t)).slice(0, 1);
    for (const t of next) {
      done.add(t);
      out.push(t);
    }
  }
  return out;
}

/**
 * The tables of one self-backup. `restrictToOrgId` must already be a known tenant id (it is inlined as a
 * literal: COPY takes no parameters).
 */
export async function planTables(client: pg.Client, opts: { excludeJobs: boolean; restrictToOrgId: string }): Promise<TablePlan[]> {
  const { tables, partitioned, columns, fks } = await catalog(client);
  const order = loadOrder(tables, fks);

  const excluded = new Set<string>();
  if (opts.excludeJobs) {
    excluded.add(JOB_TABLE);
    // Everything that references an excluded table, transitively.
    for (let grew = true; grew; ) {
      grew = false;
      for (const f of fks) {
        if (excluded.has(f.parent) && !excluded.has(f.child)) {
          excluded.add(f.child);
          grew = true;
        }
      }
    }
  }

  const filters = new Map<string, string>();
  if (opts.restrictToOrgId) {
    const literal = `'${opts.restrictToOrgId.replace(/'/g, "''")}'`;
    for (const t of order) {
      if (t === TENANT_TABLE) filters.set(t, `"id" = ${literal}`);
      else if (columns.get(t)?.includes('tenantId')) filters.set(t, `"tenantId" = ${literal}`);
      else {
        const via = fks.find((f) => f.child === t && f.parent !== t && filters.has(f.parent));
        if (via) {
          filters.set(
            t,
            `${quoteIdent(via.column)} IN (SELECT ${quoteIdent(via.parentColumn)} FROM ${quoteIdent(via.parent)} WHERE ${filters.get(via.parent)})`,
          );
        }
      }
    }
  }

  const plans: TablePlan[] = [];
  for (const name of order) {
    if (excluded.has(name)) continue;
    if (opts.restrictToOrgId && !filters.has(name)) continue;
    const cols = columns.get(name) ?? [];
    const list = cols.map(quoteIdent).join(', ');
    const filter = filters.get(name);
    // A partitioned parent is read through a query (COPY reads plain tables only); its partitions are not listed.
    const copyOut = filter
      ? `COPY (SELECT ${list} FROM ${quoteIdent(name)} WHERE ${filter}) TO STDOUT`
      : partitioned.has(name)
        ? `COPY (SELECT ${list} FROM ${quoteIdent(name)}) TO STDOUT`
        : `COPY ${quoteIdent(name)} (${list}) TO STDOUT`;
    plans.push({ name, columns: cols, copyOut });
  }
  return plans;
}

/** Sequences owned by columns of `tables` (serial / autoincrement ids), to be set after a restore. */
export async function ownedSequences(client: pg.Client, tables: string[]): Promise<Array<{ table: string; column: string; sequence: string }>> {
  const { rows } = await client.query<{ table: string; column: string; sequence: string }>(
    `SELECT c.relname AS table, a.attname AS column, s.relname AS sequence
       FROM pg_depend d
       JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
       JOIN pg_class c ON c.oid = d.refobjid
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid
       JOIN pg_namespace n ON n.oid = s.relnamespace
      WHERE n.nspname = current_schema() AND d.deptype IN ('a', 'i') ORDER BY 1, 2`,
  );
  const wanted = new Set(tables);
  return rows.filter((r) => wanted.has(r.table));
}
