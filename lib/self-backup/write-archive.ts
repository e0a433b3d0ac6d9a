// Writes one self-backup archive to a stream: a zip whose entries are AES-256 encrypted (WinZip AE-2, what
// 7-Zip / p7zip open with the password), holding
//   database/NNN-<Table>.copy  one REPEATABLE READ snapshot, each table in COPY text format
//   data/secret.key, data/...  the data directory's key and configuration files
//   logs/...                   server log files (IncludeServerLogs)
//   manifest.json              versions, migrations, row counts and sha256 of every entry (written last)
// Everything is streamed: table rows go from the PostgreSQL socket through deflate and AES to the output,
// so memory use does not grow with the database.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { TextReader, ZipWriter } from '@zip.js/zip.js';
import pg from 'pg';
import { APPLICATION_VERSION } from '../comet/constants';
import { CauseError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import { ARCHIVE_FORMAT, ARCHIVE_FORMAT_VERSION, MANIFEST_ENTRY, type Manifest, type ManifestFile, type ManifestTable } from './manifest';
import { copyOut } from './pg-copy';
import { ownedSequences, planTables, quoteIdent } from './plan-tables';
import { configureZip, deflateLevel } from './zip-codec';

/** Files of the data directory larger than this are not configuration (the embedded database, caches). */
const MAX_CONFIG_FILE_BYTES = 1024 * 1024;
/** Sub-folders of the data directory that are not configuration. */
const NOT_CONFIG = /\.(pid|sock|lock|partial-.*)$/;

type ArchiveOptions = {
  databaseUrl: string;
  secretKeyHex: string;
  dataDir: string;
  halleyVersion: string;
  password: string;
  /** Comet CompressMode 1-5. */
  compression: number;
  excludeJobs: boolean;
  includeLogs: boolean;
  restrictToOrgId: string;
  /** The run writing the archive and the name it publishes it under (recorded in the manifest). */
  run?: { id: string; fileName: string };
  /** Called now and then while the archive is written (heartbeats). */
  onProgress?: (done: { table?: string; rows: number }) => void;
};

/** Counts bytes and rows (COPY text ends every row with a newline; newlines inside values are escaped) and hashes. */
function meter() {
  const hash = createHash('sha256');
  const m = { bytes: 0, rows: 0, sha256: '' };
  const transform = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      m.bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) m.rows++;
      done(null, chunk);
    },
    flush(done) {
      m.sha256 = hash.digest('hex');
      done();
    },
  });
  return { transform, m };
}

async function dataFiles(dataDir: string, includeLogs: boolean): Promise<Array<{ entry: string; path: string }>> {
  const out: Array<{ entry: string; path: string }> = [];
  for (const name of (await readdir(dataDir).catch(() => [] as string[])).sort()) {
    if (name === 'secret.key' || name.startsWith('.') || NOT_CONFIG.test(name)) continue;
    const s = await stat(join(dataDir, name)).catch(() => null);
    if (s?.isFile() && s.size <= MAX_CONFIG_FILE_BYTES) out.push({ entry: `data/${name}`, path: join(dataDir, name) });
  }
  if (includeLogs) {
    const logDir = join(dataDir, 'logs');
    for (const name of (await readdir(logDir).catch(() => [] as string[])).sort()) {
      const s = await stat(join(logDir, name)).catch(() => null);
      if (s?.isFile()) out.push({ entry: `logs/${name}`, path: join(logDir, name) });
    }
  }
  return out;
}

/** Writes the archive to `out` (ended when done). Resolves with the manifest; rejects (out destroyed) on any failure. */
export async function writeArchive(out: Writable, opts: ArchiveOptions): Promise<Manifest> {
  configureZip();
  const entryOptions = { password: opts.password, encryptionStrength: 3 as const, level: deflateLevel(opts.compression) };
  const zip = new ZipWriter(Writable.toWeb(out), { ...entryOptions, keepOrder: true });
  const client = new pg.Client({ connectionString: opts.databaseUrl, application_name: 'halley-self-backup' });
  let closedZip = false;
  try {
    await client.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query('SET LOCAL statement_timeout = 0');
    const { rows: ver } = await client.query<{ v: string }>('SHOW server_version');
    const { rows: migrations } = await client.query<{ name: string }>(
      `SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    );
    if (opts.restrictToOrgId) {
      const { rowCount } = await client.query('SELECT 1 FROM "Tenant" WHERE id = $1', [opts.restrictToOrgId]);
      if (!rowCount) throw new CauseError(apiMessage('exportOrganizationMissing', { id: opts.restrictToOrgId }));
    }
    const plans = await planTables(client, { excludeJobs: opts.excludeJobs, restrictToOrgId: opts.restrictToOrgId });
    const sequences: Manifest['sequences'] = [];
    if (!opts.restrictToOrgId) {
      for (const s of await ownedSequences(client, plans.map((p) => p.name))) {
        const { rows } = await client.query<{ last_value: string; is_called: boolean }>(`SELECT last_value::text, is_called FROM ${quoteIdent(s.sequence)}`);
        sequences.push({ ...s, lastValue: rows[0]!.last_value, isCalled: rows[0]!.is_called });
      }
    }

    const tables: ManifestTable[] = [];
    let totalRows = 0;
    for (const [i, plan] of plans.entries()) {
      const entry = `database/${String(i + 1).padStart(3, '0')}-${plan.name}.copy`;
      const { transform, m } = meter();
      const source = copyOut(client, plan.copyOut);
      source.on('error', (err) => transform.destroy(err));
      source.pipe(transform);
      const timer = setInterval(() => opts.onProgress?.({ table: plan.name, rows: totalRows + m.rows }), 1000);
      try {
        await zip.add(entry, Readable.toWeb(transform) as ReadableStream<Uint8Array>, { zip64: true });
      } finally {
        clearInterval(timer);
      }
      totalRows += m.rows;
      tables.push({ name: plan.name, entry, columns: plan.columns, rows: m.rows, bytes: m.bytes, sha256: m.sha256 });
      opts.onProgress?.({ table: plan.name, rows: totalRows });
    }
    await client.query('COMMIT');

    const files: ManifestFile[] = [];
    const addText = async (entry: string, text: string) => {
      await zip.add(entry, new TextReader(text));
      files.push({ entry, bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') });
    };
    await addText('data/secret.key', `${opts.secretKeyHex}\n`);
    for (const f of await dataFiles(resolve(opts.dataDir), opts.includeLogs)) {
      if (f.entry.startsWith('data/')) {
        await addText(f.entry, await readFile(f.path, 'utf8'));
        continue;
      }
      const { transform, m } = meter();
      createReadStream(f.path).on('error', (err) => transform.destroy(err)).pipe(transform);
      await zip.add(f.entry, Readable.toWeb(transform) as ReadableStream<Uint8Array>, { zip64: true });
      files.push({ entry: f.entry, bytes: m.bytes, sha256: m.sha256 });
    }

    const manifest: Manifest = {
      format: ARCHIVE_FORMAT,
      formatVersion: ARCHIVE_FORMAT_VERSION,
      halleyVersion: opts.halleyVersion,
      cometVersion: APPLICATION_VERSION.APPLICATION_VERSION,
      createdAt: new Date().toISOString(),
      postgresVersion: ver[0]?.v ?? '',
      migrations: migrations.map((r) => r.name),
      excludeJobs: opts.excludeJobs,
      includeLogs: opts.includeLogs,
      restrictToOrgId: opts.restrictToOrgId,
      tables,
      sequences,
      files,
      ...(opts.run ? { run: opts.run } : {}),
    };
    await zip.add(MANIFEST_ENTRY, new TextReader(JSON.stringify(manifest, null, 2)));
    closedZip = true;
    await zip.close();
    return manifest;
  } catch (err) {
    if (!closedZip) out.destroy(err as Error);
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}
