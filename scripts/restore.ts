// `npm run restore -- <archive> [--password <pw>] [--apply] [--data-dir <dir>] [--database-url <url>]`
//
// Without --apply: a dry run. Opens the self-backup archive with the password, checks the manifest (format,
// Halley version, migrations) and every entry's checksum, and prints what it holds. Nothing is written.
// With --apply: restores into an EMPTY database and data directory, then prints what it restored.
//   database:       --database-url, else DATABASE_URL, else the embedded PostgreSQL in <data dir>/pg
//                   (created now; it must not exist yet), as `npm start` would use it.
//   data directory: --data-dir, else HALLEY_DATA_DIR, else ./data. secret.key and the configuration files
//                   are written there; start Halley on that data directory (and database) afterwards.
// The password may also come from HALLEY_RESTORE_PASSWORD (keeps it out of the process list).
// Exit codes: 0 done, 1 failed, 2 refused (wrong password, newer archive, non-empty target, damaged archive).
import path from 'node:path';
import { HALLEY_VERSION } from '../lib/meta/version';
import { restoreArchive, RestoreRefusedError } from '../lib/self-backup/restore-archive';
import { freePort, startEmbeddedPostgres } from './lib/services.mjs';

function usage(message?: string): never {
  if (message) process.stderr.write(`restore: ${message}\n`);
  process.stderr.write('usage: npm run restore -- <archive.zip> [--password <pw>] [--apply] [--data-dir <dir>] [--database-url <url>]\n');
  process.exit(message ? 2 : 0);
}

function parseArgs(argv: string[]) {
  const out: { archive?: string; password?: string; apply: boolean; dataDir?: string; databaseUrl?: string } = { apply: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--apply') out.apply = true;
    else if (a === '--password' || a === '-p') out.password = value();
    else if (a.startsWith('--password=')) out.password = a.slice('--password='.length);
    else if (a === '--data-dir') out.dataDir = value();
    else if (a === '--database-url') out.databaseUrl = value();
    else if (a === '--help' || a === '-h') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (!out.archive) out.archive = a;
    else usage(`unexpected argument ${a}`);
  }
  return out;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.archive) usage('which archive? (the .zip a self-backup wrote)');
  const password = args.password ?? process.env.HALLEY_RESTORE_PASSWORD ?? '';
  if (!password) usage('--password is required (the target\'s EncryptionKey)');
  const dataDir = path.resolve(args.dataDir ?? process.env.HALLEY_DATA_DIR ?? 'data');
  let databaseUrl = args.databaseUrl ?? process.env.DATABASE_URL;
  let stopPg: (() => Promise<void>) | undefined;
  const log = (line: string) => process.stdout.write(`${line}\n`);
  try {
    if (args.apply && !databaseUrl) {
      const pgDir = path.join(dataDir, 'pg');
      log(`starting the embedded PostgreSQL in ${pgDir} (new)`);
      const pg = await startEmbeddedPostgres({ dataDir: pgDir, port: await freePort(54329) });
      databaseUrl = pg.url;
      stopPg = pg.stop;
    }
    log(args.apply ? `restoring ${args.archive}` : `checking ${args.archive} (dry run: add --apply to restore)`);
    const summary = await restoreArchive({ archive: args.archive, password, apply: args.apply, databaseUrl, dataDir, halleyVersion: HALLEY_VERSION, log });
    const rows = summary.tables.reduce((n, t) => n + t.rows, 0);
    if (summary.applied) {
      log(`restored ${summary.tables.length} tables (${rows} rows) and ${summary.files.length} files into ${dataDir}`);
      log(`start Halley with HALLEY_DATA_DIR=${dataDir}${args.databaseUrl || process.env.DATABASE_URL ? ' and the same DATABASE_URL' : ''}`);
    } else {
      log(`archive is complete and intact: ${summary.tables.length} tables (${rows} rows), ${summary.files.length} files; nothing was written`);
    }
    return 0;
  } catch (err) {
    process.stderr.write(`restore: ${(err as Error).message}\n`);
    return err instanceof RestoreRefusedError ? 2 : 1;
  } finally {
    await stopPg?.().catch(() => undefined);
  }
}

main().then((code) => process.exit(code));
