// The way back from a self-backup archive (scripts/restore.ts is its command line). A dry run opens the
// archive with the password, checks the manifest (format, versions, migrations this Halley knows) and
// streams every entry through its sha256. `apply` then restores into an EMPTY database and data directory:
// the archive's migrations are applied, every table is loaded with COPY in one transaction (checked
// against the manifest's counts and checksums before COMMIT), sequences are set, the remaining migrations
// of this Halley are applied, and the data directory files (secret key, configuration, logs) are written.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, openAsBlob } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PassThrough, Transform, Writable } from 'node:stream';
import { BlobReader, TextWriter, ZipReader, type Entry, type FileEntry } from '@zip.js/zip.js';
import pg from 'pg';
import { applyMigrations, readMigrations } from '../db/migrate';
import { apiMessage, type ApiMessage } from '../i18n/api-messages';
import { storedMessage } from '../i18n/stored-message';
import { ARCHIVE_FORMAT, ARCHIVE_FORMAT_VERSION, compareVersions, MANIFEST_ENTRY, type Manifest } from './manifest';
import { copyIn } from './pg-copy';
import { ensurePartitionsFor, isPartitioned } from './ensure-partitions-for';
import { quoteIdent } from './plan-tables';
import { configureZip } from './zip-codec';

/**
 * Ends the self-backup runs a restored snapshot saw in progress (other than the one that wrote it): they never end
 * on the restored server. The reason is also stored as its catalogue message (the run history reads it in the
 * reader's language) when the schema has the column (migration 20261209170000_stored_errors): the restore runs
 * the archive's own migrations first, so an older archive's runs keep the English text only. Answers how many.
 */
export async function failUnfinishedRuns(client: pg.Client): Promise<number> {
  const unfinished = apiMessage('selfBackupUnfinishedRestored');
  const { rowCount: stored } = await client.query(
    `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'SelfBackupRun' AND column_name = 'errorMessage'`,
  );
  const done = stored
    ? await client.query(`UPDATE "SelfBackupRun" SET status = 'failed', "endedAt" = now(), error = $1, "errorMessage" = $2::jsonb WHERE status IN ('queued', 'running')`, [
        unfinished.text,
        JSON.stringify(storedMessage([unfinished])),
      ])
    : await client.query(`UPDATE "SelfBackupRun" SET status = 'failed', "endedAt" = now(), error = $1 WHERE status IN ('queued', 'running')`, [unfinished.text]);
  return done.rowCount ?? 0;
}

/**
 * Why an archive is refused. A catalogue message (the organization import shows it in the reader's language;
 * the restore command line prints its English) or plain English (the command line's own checks).
 */
export class RestoreRefusedError extends Error {
  readonly translatable?: ApiMessage;
  constructor(message: string | ApiMessage) {
    super(typeof message === 'string' ? message : message.text);
    if (typeof message !== 'string') this.translatable = message;
  }
}

type RestoreOptions = {
  archive: string;
  password: string;
  apply: boolean;
  /** Required with apply. */
  databaseUrl?: string;
  /** Required with apply. */
  dataDir?: string;
  halleyVersion: string;
  migrationsDir?: string;
  log: (line: string) => void;
};

type RestoreSummary = {
  manifest: Manifest;
  applied: boolean;
  tables: Array<{ name: string; rows: number }>;
  files: string[];
};

export function isFile(e: Entry | undefined): e is FileEntry {
  return !!e && !e.directory;
}

/** Streams one entry's plain bytes into `sink` (a Node stream), checking sha256 and size on the way. */
export async function streamEntry(entry: FileEntry, password: string, sink: Writable, expect: { sha256: string; bytes: number; name: string }) {
  const hash = createHash('sha256');
  let bytes = 0;
  const check = new Transform({
    transform(chunk: Buffer, _e, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  check.pipe(sink);
  try {
    await entry.getData(Writable.toWeb(check), { password });
  } catch (err) {
    sink.destroy(err as Error);
    throw err;
  }
  const sha = hash.digest('hex');
  if (sha !== expect.sha256 || bytes !== expect.bytes) {
    const err = new RestoreRefusedError(apiMessage('archiveEntryDamaged', { entry: expect.name }));
    sink.destroy(err);
    throw err;
  }
}

export async function readManifest(entries: Entry[], password: string): Promise<Manifest> {
  const entry = entries.find((e) => e.filename === MANIFEST_ENTRY);
  if (!isFile(entry)) throw new RestoreRefusedError(apiMessage('archiveManifestMissing', { entry: MANIFEST_ENTRY }));
  let text: string;
  try {
    text = await entry.getData(new TextWriter(), { password });
  } catch (err) {
    if (/password/i.test((err as Error).message)) throw new RestoreRefusedError(apiMessage('archiveWrongPassword'));
    throw err;
  }
  const manifest = JSON.parse(text) as Manifest;
  if (manifest.format !== ARCHIVE_FORMAT) throw new RestoreRefusedError(apiMessage('archiveNotHalley'));
  return manifest;
}

/** Refuses what this Halley cannot restore; returns the archive's migrations as known here. */
export function checkVersions(manifest: Manifest, halleyVersion: string, migrationsDir?: string): void {
  if (manifest.formatVersion > ARCHIVE_FORMAT_VERSION) {
    throw new RestoreRefusedError(apiMessage('archiveFormatNewer', { format: String(manifest.formatVersion), max: String(ARCHIVE_FORMAT_VERSION), version: manifest.halleyVersion }));
  }
  if (compareVersions(manifest.halleyVersion, halleyVersion) > 0) {
    throw new RestoreRefusedError(apiMessage('archiveHalleyNewer', { version: manifest.halleyVersion, own: halleyVersion }));
  }
  const known = readMigrations(migrationsDir).map((m) => m.name);
  const unknown = manifest.migrations.filter((m) => !known.includes(m));
  if (unknown.length) {
    throw new RestoreRefusedError(apiMessage('archiveMigrationsUnknown', { migrations: unknown.join(', ') }));
  }
  const prefix = known.slice(0, manifest.migrations.length);
  if (prefix.join('\n') !== manifest.migrations.join('\n')) {
    throw new RestoreRefusedError(apiMessage('archiveMigrationsForeign'));
  }
}

async function assertEmptyDatabase(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S')`,
  );
  if (rows[0]!.n > 0) throw new RestoreRefusedError('The target database is not empty: restore into a new, empty database (CREATE DATABASE ...)');
}

async function assertDataDirAccepts(dataDir: string, manifest: Manifest, archiveFiles: Map<string, string>): Promise<void> {
  for (const f of manifest.files) {
    const target = join(dataDir, f.entry.replace(/^data\//, ''));
    if (!f.entry.startsWith('data/') || !existsSync(target)) continue;
    const current = await readFile(target, 'utf8');
    if (current !== archiveFiles.get(f.entry)) {
      throw new RestoreRefusedError(`${target} already exists with other content: restore into an empty data directory`);
    }
  }
}

/** Opens, checks and (with `apply`) restores one archive. */
export async function restoreArchive(opts: RestoreOptions): Promise<RestoreSummary> {
  configureZip();
  const archive = resolve(opts.archive);
  if (!existsSync(archive)) throw new RestoreRefusedError(`${archive} does not exist`);
  const reader = new ZipReader(new BlobReader(await openAsBlob(archive)));
  try {
    const entries = await reader.getEntries();
    const byName = new Map(entries.map((e) => [e.filename, e]));
    const manifest = await readManifest(entries, opts.password);
    opts.log(`archive: Halley ${manifest.halleyVersion}, written ${manifest.createdAt}, PostgreSQL ${manifest.postgresVersion}, ${manifest.migrations.length} migrations`);
    if (manifest.restrictToOrgId) opts.log(`tenant export of organization ${manifest.restrictToOrgId}`);
    if (manifest.excludeJobs) opts.log('jobs were left out of this archive (ExcludeJobsDB)');
    checkVersions(manifest, opts.halleyVersion, opts.migrationsDir);
    for (const t of manifest.tables) if (!isFile(byName.get(t.entry))) throw new RestoreRefusedError(`${t.entry} is missing from the archive`);
    for (const f of manifest.files) if (!isFile(byName.get(f.entry))) throw new RestoreRefusedError(`${f.entry} is missing from the archive`);

    // Small data-directory files are read (and checked) up front; table data is streamed.
    const dataFiles = new Map<string, string>();
    for (const f of manifest.files.filter((x) => x.entry.startsWith('data/'))) {
      const text = await (byName.get(f.entry) as FileEntry).getData(new TextWriter(), { password: opts.password });
      if (createHash('sha256').update(text).digest('hex') !== f.sha256) throw new RestoreRefusedError(`${f.entry}: checksum differs from the manifest (the archive is damaged)`);
      dataFiles.set(f.entry, text);
    }

    if (!opts.apply) {
      for (const t of manifest.tables) {
        const sink = new Writable({ write: (_c, _e, done) => done() });
        await streamEntry(byName.get(t.entry) as FileEntry, opts.password, sink, { ...t, name: t.entry });
        opts.log(`  ok  ${t.name}: ${t.rows} rows`);
      }
      for (const f of manifest.files.filter((x) => !x.entry.startsWith('data/'))) {
        await streamEntry(byName.get(f.entry) as FileEntry, opts.password, new Writable({ write: (_c, _e, done) => done() }), { ...f, name: f.entry });
      }
      opts.log(`  ok  ${manifest.files.length} data directory and log files`);
      return { manifest, applied: false, tables: manifest.tables.map((t) => ({ name: t.name, rows: t.rows })), files: manifest.files.map((f) => f.entry) };
    }

    if (!opts.databaseUrl || !opts.dataDir) throw new RestoreRefusedError('--apply needs a database (DATABASE_URL) and a data directory');
    const dataDir = resolve(opts.dataDir);
    await assertDataDirAccepts(dataDir, manifest, dataFiles);
    const client = new pg.Client({ connectionString: opts.databaseUrl, application_name: 'halley-restore' });
    await client.connect();
    try {
      await assertEmptyDatabase(client);
      // The schema as it was when the snapshot was taken: the archive's own migrations, no more.
      const migrationsDir = opts.migrationsDir ?? resolve('prisma/migrations');
      const partial = await mkdtemp(join(tmpdir(), 'halley-restore-migrations-'));
      try {
        for (const name of manifest.migrations) await cp(join(migrationsDir, name), join(partial, name), { recursive: true });
        if (existsSync(join(migrationsDir, 'migration_lock.toml'))) await cp(join(migrationsDir, 'migration_lock.toml'), join(partial, 'migration_lock.toml'));
        await applyMigrations(opts.databaseUrl, { migrationsDir: partial });
      } finally {
        await rm(partial, { recursive: true, force: true });
      }

      await client.query('BEGIN');
      // Migrations seed a few rows (the top-level organization, outbox cursors); a full backup holds their
      // current state, so those tables start empty. A tenant export holds only its tenant's rows: it is
      // loaded beside what the migrations created.
      // CASCADE: an ExcludeJobsDB archive leaves out the job tables, which still reference tables it holds
      // (they are empty here: the migrations seed no jobs).
      if (!manifest.restrictToOrgId && manifest.tables.length) {
        await client.query(`TRUNCATE ${manifest.tables.map((t) => quoteIdent(t.name)).join(', ')} CASCADE`);
      }
      const tables: RestoreSummary['tables'] = [];
      for (const t of manifest.tables) {
        const pass = new PassThrough();
        // A table partitioned by month is loaded through a staging table, so its months' partitions exist first.
        const partitioned = await isPartitioned(client, t.name);
        const staged = `"halley_restore_stage"`;
        if (partitioned) await client.query(`CREATE TEMP TABLE ${staged} (LIKE ${quoteIdent(t.name)} INCLUDING DEFAULTS) ON COMMIT DROP`);
        const loading = copyIn(client, `COPY ${partitioned ? staged : quoteIdent(t.name)} (${t.columns.map(quoteIdent).join(', ')}) FROM STDIN`, pass);
        const streaming = streamEntry(byName.get(t.entry) as FileEntry, opts.password, pass, { ...t, name: t.entry });
        const [s, l] = await Promise.allSettled([streaming, loading]);
        if (s.status === 'rejected') throw s.reason;
        if (l.status === 'rejected') throw new Error(`${t.name}: ${(l.reason as Error).message}`);
        if (partitioned) {
          const cols = t.columns.map(quoteIdent).join(', ');
          await ensurePartitionsFor(client, t.name, staged);
          await client.query(`INSERT INTO ${quoteIdent(t.name)} (${cols}) SELECT ${cols} FROM ${staged}`);
          await client.query(`DROP TABLE ${staged}`);
        }
        tables.push({ name: t.name, rows: t.rows });
        opts.log(`  restored ${t.name}: ${t.rows} rows`);
      }
      for (const s of manifest.sequences) {
        await client.query(`SELECT setval($1, $2::bigint, $3)`, [quoteIdent(s.sequence), s.lastValue, s.isCalled]);
      }
      // Restored outbox events carry this transaction's id (xid8 columns are not copied); the dispatcher's
      // cursor moves to the same transaction id, keeping its event id, so events it had not yet delivered
      // are still delivered and none is delivered twice.
      if (manifest.tables.some((t) => t.name === 'OutboxCursor' && t.columns.includes('txid'))) {
        await client.query(`UPDATE "OutboxCursor" SET "txid" = (pg_current_xact_id()::text)::bigint`);
      }
      // The snapshot saw its own run (and maybe others) in progress. Its own run produced this very archive:
      // it is recorded as the success it was (published name and size, ended when the manifest was written);
      // the others never end on the restored server.
      if (manifest.tables.some((t) => t.name === 'SelfBackupRun')) {
        if (manifest.run?.id) {
          const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
          await client.query(
            `UPDATE "SelfBackupRun" SET status = 'success', error = '', "endedAt" = $2, "heartbeatAt" = $2, "fileName" = $3, "sizeBytes" = $4, "rowCount" = $5
              WHERE id = $1 AND status IN ('queued', 'running')`,
            [manifest.run.id, new Date(manifest.createdAt), manifest.run.fileName, (await stat(archive)).size, rows],
          );
        }
        await failUnfinishedRuns(client);
      }
      await client.query('COMMIT');

      const rest = await applyMigrations(opts.databaseUrl, { migrationsDir });
      if (rest.applied.length) opts.log(`  applied ${rest.applied.length} newer migration(s): ${rest.applied.join(', ')}`);

      const files: string[] = [];
      for (const [entry, text] of dataFiles) {
        const target = join(dataDir, entry.replace(/^data\//, ''));
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, text, { mode: 0o600 });
        files.push(target);
      }
      for (const f of manifest.files.filter((x) => x.entry.startsWith('logs/'))) {
        const target = join(dataDir, f.entry);
        await mkdir(dirname(target), { recursive: true });
        const out = createWriteStream(target, { mode: 0o600 });
        const done = new Promise<void>((res, rej) => {
          out.once('finish', () => res());
          out.once('error', rej);
        });
        await streamEntry(byName.get(f.entry) as FileEntry, opts.password, out, { ...f, name: f.entry });
        await done;
        files.push(target);
      }
      for (const f of files) opts.log(`  wrote ${f}`);
      return { manifest, applied: true, tables, files };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await client.end().catch(() => undefined);
    }
  } finally {
    await reader.close();
  }
}
