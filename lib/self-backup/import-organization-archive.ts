// tenancy-file: system — the import job (run-organization-import.ts) writes one new organization from an archive a top-level admin named; it reads other tenants' rows only to refuse collisions
// Imports a tenant export (admin/organization/export, RestrictToSingleOrgID) into this, populated, server. All in
// ONE transaction of one connection, so a refused, failed or killed import leaves nothing behind:
//  1. verify: the password opens the archive, the manifest is a tenant export this Halley can read (format,
//     version, migrations), every entry's sha256 and size match the manifest while it streams;
//  2. load: each table's COPY data into a temporary staging table shaped like the live one (no constraints);
//  3. the organization: an existing EMPTY organization with the archive's id (no row of any table references it)
//     is replaced; an id taken by a non-empty one is remapped to a new id; the imported organization is never top level;
//  4. remap: every single-column text primary key that is taken here gets a new id, in the staging table and in
//     every staged column that references it; sequence ids (JobLogEntry) are drawn from this server's sequences;
//  5. rows whose reference points outside the archive and does not exist here (e.g. a campaign of the source
//     server) are left out, or the reference cleared when it may be NULL;
//  6. conflicts: hosts another organization holds, and every unique key (user and admin names, ...) a staged row
//     shares with a live one are collected; any conflict refuses the import with the whole list;
//  7. secrets: every value sealed with the source server's key (the export carries that key, data/secret.key) is
//     unsealed and sealed again with this server's key;
//  8. insert the staged rows in load order, write the SEVT_TENANT_NEW event row, COMMIT (a dry run: ROLLBACK).
// Not imported: sessions and WebAuthn challenges (bound to the source server), the event outbox and webhook
// delivery log (importing them would deliver old events again); keyed digests (recovery codes, install tokens)
// only work with the source key, so they are left out when the keys differ.
import { createDecipheriv, createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { PassThrough } from 'node:stream';
import { BlobReader, TextWriter, ZipReader, type FileEntry } from '@zip.js/zip.js';
import pg from 'pg';
import { StreamableEventType as SEVT } from '../comet/constants';
import { apiMessage, type ApiMessage } from '../i18n/api-messages';
import { seal } from '../secrets';
import { normaliseHost } from '../tenancy/host';
import { ensurePartitionsFor } from './ensure-partitions-for';
import { copyIn } from './pg-copy';
import { quoteIdent } from './plan-tables';
import { checkVersions, isFile, readManifest, RestoreRefusedError, streamEntry } from './restore-archive';
import { configureZip } from './zip-codec';

/** Tables never imported (see the header). */
const NOT_IMPORTED = new Set(['Session', 'WebAuthnChallenge', 'Event', 'WebhookDelivery', '_prisma_migrations']);
/** Tables holding keyed digests of the source server's key: useless with another key. */
const KEYED_DIGEST_TABLES = new Set(['AdminRecoveryCode', 'InstallToken']);
const TENANT = 'Tenant';
const SEALED = /^v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]*$/;
const MAX_CONFLICTS = 200;

/** `MessageKey`: the Message as a catalogue message, kept in the row so the import history reads in the reader's language. */
type ImportConflict = { Kind: 'host' | 'user' | 'admin' | 'unique'; Table: string; Columns: string; Value: string; Message: string; MessageKey?: ApiMessage };

function leftOutRow(table: string, rows: number, reason: ApiMessage): ImportResult['summary']['LeftOut'][number] {
  return { Table: table, Rows: rows, Reason: reason.text, ReasonKey: reason };
}

function withMessage(c: Omit<ImportConflict, 'Message' | 'MessageKey'>, message: ApiMessage): ImportConflict {
  return { ...c, Message: message.text, MessageKey: message };
}

type ImportResult = {
  conflicts: ImportConflict[];
  sourceOrgId: string;
  organizationId: string;
  organizationName: string;
  summary: {
    Tables: Array<{ Name: string; Rows: number }>;
    RemappedIDs: number;
    /** Rows whose JSON data named the organization's old id (rewritten to the new one). */
    RewrittenJSONRows: number;
    ResealedSecrets: number;
    ReplacedEmptyOrganization: boolean;
    /** `ReasonKey`: the Reason as a catalogue message, so the import history reads in the reader's language. */
    LeftOut: Array<{ Table: string; Rows: number; Reason: string; ReasonKey?: ApiMessage }>;
  };
};

type ImportOptions = {
  archive: string;
  password: string;
  databaseUrl: string;
  /** This server's key (hex): secrets sealed with the same key need no re-sealing. */
  serverKeyHex: string;
  halleyVersion: string;
  dryRun: boolean;
  /** Who asked (the event's actor). */
  actorName: string;
  onProgress?: (p: { phase: string; rowsDone: number; rowsTotal: number }) => void;
};

type Column = { name: string; type: string; notNull: boolean };
type Fk = { child: string; column: string; parent: string; parentColumn: string };

const stage = (table: string) => `pg_temp.${quoteIdent(`halley_import_${table}`)}`;

/** The sealed format of lib/secrets.ts, opened with another server's key; null when that key did not seal it. */
function unsealWith(key: Buffer, sealed: string): string | null {
  const [, iv, tag, body] = sealed.split(':');
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv!, 'base64url'));
    d.setAuthTag(Buffer.from(tag!, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(body!, 'base64url')), d.final()]).toString('utf8');
  } catch {
    return null;
  }
}

async function catalog(c: pg.Client) {
  const cols = await c.query<{ table: string; name: string; type: string; notNull: boolean }>(
    `SELECT cl.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull"
       FROM pg_attribute a JOIN pg_class cl ON cl.oid = a.attrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
      WHERE n.nspname = current_schema() AND cl.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped ORDER BY cl.relname, a.attnum`,
  );
  const fks = await c.query<Fk>(
    `SELECT cl.relname AS child, a.attname AS column, pc.relname AS parent, pa.attname AS "parentColumn"
       FROM pg_constraint k JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_class pc ON pc.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = cl.relnamespace
       JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
       JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1]
      WHERE k.contype = 'f' AND n.nspname = current_schema() AND cardinality(k.conkey) = 1`,
  );
  // Unique keys (primary keys included) on plain columns, without a predicate.
  const uniques = await c.query<{ table: string; primary: boolean; columns: string[] }>(
    `SELECT cl.relname AS table, i.indisprimary AS primary,
            array(SELECT a.attname FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns
       FROM pg_index i JOIN pg_class cl ON cl.oid = i.indrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
      WHERE n.nspname = current_schema() AND i.indisunique AND i.indexprs IS NULL AND i.indpred IS NULL`,
  );
  const seqCols = await c.query<{ table: string; column: string }>(
    `SELECT c.relname AS table, a.attname AS column FROM pg_depend d
       JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' JOIN pg_class c ON c.oid = d.refobjid
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid
       JOIN pg_namespace n ON n.oid = s.relnamespace
      WHERE n.nspname = current_schema() AND d.deptype IN ('a', 'i')`,
  );
  const columns = new Map<string, Column[]>();
  for (const r of cols.rows) columns.set(r.table, [...(columns.get(r.table) ?? []), { name: r.name, type: r.type, notNull: r.notNull }]);
  return { columns, fks: fks.rows, uniques: uniques.rows, sequenceColumns: new Set(seqCols.rows.map((r) => `${r.table}.${r.column}`)) };
}

function conflictOf(table: string, columns: string[], value: string): ImportConflict {
  if (table === 'Account' && columns.join() === 'username') return withMessage({ Kind: 'user', Table: table, Columns: 'username', Value: value }, apiMessage('importConflictUser', { value }));
  if (table === 'AdminUser' && columns.join() === 'username') return withMessage({ Kind: 'admin', Table: table, Columns: 'username', Value: value }, apiMessage('importConflictAdmin', { value }));
  return withMessage({ Kind: 'unique', Table: table, Columns: columns.join(', '), Value: value }, apiMessage('importConflictUnique', { table, columns: columns.join(', '), value }));
}

export async function importOrganizationArchive(opts: ImportOptions): Promise<ImportResult> {
  configureZip();
  const reader = new ZipReader(new BlobReader(await openAsBlob(opts.archive)));
  const progress = { phase: 'verifying', rowsDone: 0, rowsTotal: 0 };
  const report = (phase?: string) => {
    if (phase) progress.phase = phase;
    opts.onProgress?.({ ...progress });
  };
  try {
    const entries = await reader.getEntries();
    const byName = new Map(entries.map((e) => [e.filename, e]));
    const manifest = await readManifest(entries, opts.password);
    if (!manifest.restrictToOrgId) throw new RestoreRefusedError(apiMessage('archiveNotOrganizationExport'));
    checkVersions(manifest, opts.halleyVersion);
    for (const t of manifest.tables) if (!isFile(byName.get(t.entry))) throw new RestoreRefusedError(apiMessage('archiveEntryMissing', { entry: t.entry }));
    const keyFile = manifest.files.find((f) => f.entry === 'data/secret.key');
    const keyEntry = byName.get('data/secret.key');
    if (!keyFile || !isFile(keyEntry)) throw new RestoreRefusedError(apiMessage('archiveKeyMissing'));
    const keyText = await keyEntry.getData(new TextWriter(), { password: opts.password });
    if (createHash('sha256').update(keyText).digest('hex') !== keyFile.sha256) throw new RestoreRefusedError(apiMessage('archiveKeyDamaged'));
    const sourceKeyHex = keyText.trim();
    const sameKey = sourceKeyHex.toLowerCase() === opts.serverKeyHex.trim().toLowerCase();
    const sourceKey = Buffer.from(sourceKeyHex, 'hex');
    const src = manifest.restrictToOrgId;

    const c = new pg.Client({ connectionString: opts.databaseUrl, application_name: 'halley-organization-import' });
    await c.connect();
    try {
      await c.query('BEGIN');
      await c.query('SET LOCAL statement_timeout = 0');
      // One import at a time: two imports of the same archive would each find the other's names free.
      await c.query(`SELECT pg_advisory_xact_lock(hashtext('halley-organization-import'))`);
      const cat = await catalog(c);
      const leftOut: ImportResult['summary']['LeftOut'] = [];
      const staged = manifest.tables.filter((t) => {
        if (NOT_IMPORTED.has(t.name)) return false;
        if (!cat.columns.has(t.name)) throw new RestoreRefusedError(apiMessage('archiveTableUnknown', { table: t.name }));
        if (!sameKey && KEYED_DIGEST_TABLES.has(t.name)) {
          if (t.rows) leftOut.push(leftOutRow(t.name, t.rows, apiMessage('importLeftOutKeyed')));
          return false;
        }
        return true;
      });
      const stagedNames = new Set(staged.map((t) => t.name));
      progress.rowsTotal = staged.reduce((n, t) => n + t.rows, 0);

      // 2. load (checksums verified while streaming)
      report('loading');
      for (const t of staged) {
        await c.query(`CREATE TEMP TABLE ${stage(t.name)} (LIKE ${quoteIdent(t.name)} INCLUDING DEFAULTS) ON COMMIT DROP`);
        const pass = new PassThrough();
        const loading = copyIn(c, `COPY ${stage(t.name)} (${t.columns.map(quoteIdent).join(', ')}) FROM STDIN`, pass);
        const streaming = streamEntry(byName.get(t.entry) as FileEntry, opts.password, pass, { ...t, name: t.entry });
        const [s, l] = await Promise.allSettled([streaming, loading]);
        if (s.status === 'rejected') throw s.reason;
        if (l.status === 'rejected') throw new Error(`${t.name}: ${(l.reason as Error).message}`);
        progress.rowsDone += t.rows;
        report();
      }
      const tenantRows = await c.query<{ id: string; name: string; hosts: string[] }>(`SELECT id, name, hosts FROM ${stage(TENANT)}`);
      if (tenantRows.rows.length !== 1 || tenantRows.rows[0]!.id !== src) throw new RestoreRefusedError(apiMessage('archiveNotOneOrganization'));
      await c.query(`UPDATE ${stage(TENANT)} SET "isTopLevel" = false`);

      // 3. the organization's id
      report('checking');
      let replaced = false;
      const existing = await c.query<{ isTopLevel: boolean }>(`SELECT "isTopLevel" FROM "Tenant" WHERE id = $1 FOR UPDATE`, [src]);
      if (existing.rows.length && !existing.rows[0]!.isTopLevel) {
        const refs = cat.fks.filter((f) => f.parent === TENANT);
        const { rows } = await c.query<{ used: boolean }>(
          `SELECT ${refs.length ? refs.map((f) => `EXISTS (SELECT 1 FROM ${quoteIdent(f.child)} WHERE ${quoteIdent(f.column)} = $1)`).join(' OR ') : 'false'} AS used`,
          [src],
        );
        if (!rows[0]!.used) {
          await c.query(`DELETE FROM "Tenant" WHERE id = $1`, [src]);
          replaced = true;
        }
      }

      // 4. remap taken ids (parents first: the manifest is in load order)
      let remapped = 0;
      const pkOf = (table: string) => cat.uniques.find((u) => u.table === table && u.primary)?.columns ?? [];
      for (const t of staged) {
        const pk = pkOf(t.name);
        if (pk.length !== 1 || cat.sequenceColumns.has(`${t.name}.${pk[0]}`)) continue;
        const col = cat.columns.get(t.name)!.find((x) => x.name === pk[0]);
        if (!col || col.type !== 'text') continue;
        const k = quoteIdent(pk[0]!);
        const map = `pg_temp.${quoteIdent(`halley_import_map_${t.name}`)}`;
        await c.query(
          `CREATE TEMP TABLE ${map} ON COMMIT DROP AS SELECT s.${k} AS old, gen_random_uuid()::text AS new FROM ${stage(t.name)} s WHERE EXISTS (SELECT 1 FROM ${quoteIdent(t.name)} p WHERE p.${k} = s.${k})`,
        );
        const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${map}`);
        if (!rows[0]!.n) continue;
        remapped += rows[0]!.n;
        for (const f of cat.fks.filter((x) => x.parent === t.name && x.parentColumn === pk[0] && stagedNames.has(x.child))) {
          await c.query(`UPDATE ${stage(f.child)} s SET ${quoteIdent(f.column)} = m.new FROM ${map} m WHERE s.${quoteIdent(f.column)} = m.old`);
        }
        await c.query(`UPDATE ${stage(t.name)} s SET ${k} = m.new FROM ${map} m WHERE s.${k} = m.old`);
      }
      const organizationId = (await c.query<{ id: string }>(`SELECT id FROM ${stage(TENANT)}`)).rows[0]!.id;

      // 4b. a new organization id inside JSON data too (policies, profiles, settings, saved filters that carry an
      // OrganizationID): every JSON string, value or key, that is exactly the old id becomes the new one.
      let rewrittenJson = 0;
      if (organizationId !== src) {
        const [from, to] = [JSON.stringify(src), JSON.stringify(organizationId)];
        for (const t of staged) {
          for (const col of cat.columns.get(t.name)!.filter((x) => x.type === 'jsonb' || x.type === 'json')) {
            const q = quoteIdent(col.name);
            const r = await c.query(`UPDATE ${stage(t.name)} SET ${q} = replace(${q}::text, $1, $2)::${col.type} WHERE strpos(${q}::text, $1) > 0`, [from, to]);
            rewrittenJson += r.rowCount ?? 0;
          }
        }
      }

      // 5. references outside the archive that do not exist here
      for (const t of staged) {
        for (const f of cat.fks.filter((x) => x.child === t.name && !stagedNames.has(x.parent))) {
          const orphan = `s.${quoteIdent(f.column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${quoteIdent(f.parent)} p WHERE p.${quoteIdent(f.parentColumn)} = s.${quoteIdent(f.column)})`;
          const notNull = cat.columns.get(t.name)!.find((x) => x.name === f.column)?.notNull;
          const r = notNull
            ? await c.query(`DELETE FROM ${stage(t.name)} s WHERE ${orphan}`)
            : await c.query(`UPDATE ${stage(t.name)} s SET ${quoteIdent(f.column)} = NULL WHERE ${orphan}`);
          if (r.rowCount) leftOut.push(leftOutRow(t.name, r.rowCount, notNull ? apiMessage('importLeftOutParentMissing', { parent: f.parent }) : apiMessage('importLeftOutColumnCleared', { column: f.column, parent: f.parent })));
        }
      }

      // 6. conflicts
      const conflicts: ImportConflict[] = [];
      const imported = tenantRows.rows[0]!;
      const wanted = new Map(imported.hosts.map((h) => [normaliseHost(h), h] as const).filter(([n]) => n));
      if (wanted.size) {
        const others = await c.query<{ id: string; name: string; hosts: string[] }>(`SELECT id, name, hosts FROM "Tenant" WHERE cardinality(hosts) > 0`);
        for (const o of others.rows) {
          for (const h of o.hosts) {
            const host = wanted.get(normaliseHost(h));
            if (host) conflicts.push(withMessage({ Kind: 'host', Table: TENANT, Columns: 'hosts', Value: host }, apiMessage('importConflictHost', { host, organization: o.name })));
          }
        }
      }
      for (const t of staged) {
        const names = new Set(cat.columns.get(t.name)!.map((x) => x.name));
        for (const u of cat.uniques.filter((x) => x.table === t.name && x.columns.every((col) => names.has(col)))) {
          if (u.columns.length === 1 && cat.sequenceColumns.has(`${t.name}.${u.columns[0]}`)) continue;
          const on = u.columns.map((col) => `p.${quoteIdent(col)} = s.${quoteIdent(col)}`).join(' AND ');
          const { rows } = await c.query<{ v: string[] }>(
            `SELECT ARRAY[${u.columns.map((col) => `s.${quoteIdent(col)}::text`).join(', ')}] AS v FROM ${stage(t.name)} s WHERE EXISTS (SELECT 1 FROM ${quoteIdent(t.name)} p WHERE ${on}) LIMIT ${MAX_CONFLICTS}`,
          );
          for (const r of rows) conflicts.push(conflictOf(t.name, u.columns, r.v.join(', ')));
        }
      }
      let resealed = 0;
      const result = (extra: Partial<ImportResult> = {}): ImportResult => ({
        conflicts,
        sourceOrgId: src,
        organizationId,
        organizationName: imported.name,
        summary: { Tables: staged.map((t) => ({ Name: t.name, Rows: t.rows })), RemappedIDs: remapped, RewrittenJSONRows: rewrittenJson, ResealedSecrets: resealed, ReplacedEmptyOrganization: replaced, LeftOut: leftOut },
        ...extra,
      });
      if (conflicts.length) {
        await c.query('ROLLBACK');
        return result({ conflicts: conflicts.slice(0, MAX_CONFLICTS) });
      }

      // 7. secrets: sealed with the source key -> sealed with this server's key
      if (!sameKey) {
        for (const t of staged) {
          for (const col of cat.columns.get(t.name)!.filter((x) => x.type === 'text' && t.columns.includes(x.name))) {
            const q = quoteIdent(col.name);
            const { rows } = await c.query<{ ctid: string; v: string }>(`SELECT ctid::text AS ctid, ${q} AS v FROM ${stage(t.name)} WHERE ${q} LIKE 'v1:%'`);
            for (const r of rows) {
              if (!SEALED.test(r.v)) continue;
              const plain = unsealWith(sourceKey, r.v);
              if (plain === null) continue;
              await c.query(`UPDATE ${stage(t.name)} SET ${q} = $1 WHERE ctid = $2::tid`, [seal(plain), r.ctid]);
              resealed++;
            }
          }
        }
      }

      // 8. insert
      report('importing');
      progress.rowsDone = 0;
      for (const t of staged) {
        const live = new Set(cat.columns.get(t.name)!.map((x) => x.name));
        const cols = t.columns.filter((col) => live.has(col) && !cat.sequenceColumns.has(`${t.name}.${col}`)).map(quoteIdent).join(', ');
        try {
          await c.query('SAVEPOINT halley_import_table');
          await ensurePartitionsFor(c, t.name, stage(t.name));
          await c.query(`INSERT INTO ${quoteIdent(t.name)} (${cols}) SELECT ${cols} FROM ${stage(t.name)}`);
          await c.query('RELEASE SAVEPOINT halley_import_table');
        } catch (err) {
          const e = err as { code?: string; detail?: string; message: string };
          // A unique key the checks above could not see (an expression index): a conflict like the others.
          if (e.code === '23505') {
            await c.query('ROLLBACK');
            const m = /Key \((.+)\)=\((.*)\) already exists/.exec(e.detail ?? '');
            return result({ conflicts: [conflictOf(t.name, (m?.[1] ?? '').split(', '), m?.[2] ?? e.message)] });
          }
          throw new Error(`${t.name}: ${e.message}`);
        }
        progress.rowsDone += t.rows;
        report();
      }
      await c.query(
        `INSERT INTO "Event" ("tenantId", type, actor, "resourceId", data, timestamp) VALUES ($1, $2, $3, $1, $4, $5)`,
        [organizationId, SEVT.SEVT_TENANT_NEW, opts.actorName, JSON.stringify({ OrganizationID: organizationId, Name: imported.name, ImportedFrom: src }), Math.floor(Date.now() / 1000)],
      );
      await c.query(opts.dryRun ? 'ROLLBACK' : 'COMMIT');
      return result();
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await c.end().catch(() => undefined);
    }
  } finally {
    await reader.close();
  }
}
