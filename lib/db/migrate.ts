// Halley's own migration applier. The Prisma CLI cannot run `migrate deploy` here (it needs a native
// schema engine from Prisma's download server), so this applies prisma/migrations/<name>/migration.sql
// itself while keeping Prisma's folder layout and `_prisma_migrations` table, so the Prisma CLI (where
// it can run) sees exactly the same state.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrationDatabaseUrl } from '../env';

/** The key Prisma Migrate itself locks, so this applier and a Prisma CLI run exclude each other too. */
const ADVISORY_LOCK_KEY = 72707369;

type MigrationFile = { name: string; sql: string; checksum: string };

/** Prisma's checksum: lowercase hex sha256 of the script. */
function checksumOf(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

// Like Prisma, accept a checksum computed before git changed the line endings.
function checksumMatches(sql: string, checksum: string): boolean {
  return [sql, sql.replace(/\r\n/g, '\n'), sql.replace(/\n/g, '\r\n')].some((s) => checksumOf(s) === checksum);
}

function defaultMigrationsDir(): string {
  return resolve('prisma/migrations');
}

/** The committed migrations in the order Prisma applies them (lexical by folder name). */
export function readMigrations(migrationsDir = defaultMigrationsDir()): MigrationFile[] {
  if (!existsSync(migrationsDir)) return [];
  const lock = join(migrationsDir, 'migration_lock.toml');
  if (existsSync(lock) && !/provider\s*=\s*"postgresql"/.test(readFileSync(lock, 'utf8'))) {
    throw new Error(`${lock} is not for provider "postgresql"`);
  }
  return readdirSync(migrationsDir)
    .filter((name) => statSync(join(migrationsDir, name)).isDirectory())
    .sort()
    .map((name) => {
      const file = join(migrationsDir, name, 'migration.sql');
      if (!existsSync(file)) throw new Error(`Migration ${name} has no migration.sql (${file})`);
      const sql = readFileSync(file, 'utf8');
      return { name, sql, checksum: checksumOf(sql) };
    });
}

// Same columns and types as the table Prisma Migrate creates.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

type Row = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };

// "at line N" for a PostgreSQL error position (a 1-based character offset into the script).
function sqlErrorText(err: unknown, sql: string): string {
  const e = err as { message?: string; code?: string; position?: string };
  let text = e.message ?? String(err);
  if (e.code) text += ` (SQLSTATE ${e.code})`;
  const pos = Number(e.position);
  if (pos > 0) text += ` at line ${sql.slice(0, pos - 1).split('\n').length}`;
  return text;
}

/**
 * Applies every committed migration that is not yet recorded in `_prisma_migrations`, in order, each in
 * its own transaction, under an advisory lock held for the whole run. Throws (naming the migration) on a
 * checksum mismatch, on a migration Prisma recorded as failed, and on a migration whose SQL fails (that
 * migration is rolled back; earlier ones stay applied).
 */
export async function applyMigrations(
  databaseUrl: string,
  opts: { log?: (msg: string) => void; migrationsDir?: string } = {},
): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => {});
  const migrations = readMigrations(opts.migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Session-level lock on this one connection: a second node blocks here until the first is done,
    // then finds everything applied.
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const { rows } = await client.query<Row>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
      );
      // Rows marked rolled back are history only, as in Prisma.
      const live = rows.filter((r) => r.rolled_back_at === null);
      const byName = new Map(live.map((r) => [r.migration_name, r]));

      const failed = live.filter((r) => r.finished_at === null).map((r) => r.migration_name);
      if (failed.length > 0) {
        // Only a Prisma CLI run leaves these (this applier commits the row with the migration).
        throw new Error(
          `Migration ${failed.join(', ')} is recorded as failed in _prisma_migrations; fix the database by hand, then ` +
            `mark it rolled back (UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '...')`,
        );
      }
      for (const m of migrations) {
        const row = byName.get(m.name);
        if (row && !checksumMatches(m.sql, row.checksum)) {
          throw new Error(
            `Migration ${m.name} was changed after it was applied: prisma/migrations/${m.name}/migration.sql has ` +
              `checksum ${m.checksum}, the database recorded ${row.checksum}. Applied migrations must not be edited; ` +
              `add a new migration instead.`,
          );
        }
      }
      const known = new Set(migrations.map((m) => m.name));
      const unknown = live.map((r) => r.migration_name).filter((n) => !known.has(n));
      if (unknown.length > 0) log(`warning: applied migrations missing from the migrations folder: ${unknown.join(', ')}`);

      const applied: string[] = [];
      for (const m of migrations.filter((m) => !byName.has(m.name))) {
        log(`applying migration ${m.name}`);
        try {
          await client.query('BEGIN');
          // Simple-protocol query (no parameters), so a multi-statement script runs as one call.
          await client.query(m.sql);
          // The row commits with the migration itself, so a failure never leaves a half-recorded state.
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
             VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
            [randomUUID(), m.checksum, m.name],
          );
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          throw new Error(`Migration ${m.name} failed and was rolled back: ${sqlErrorText(err, m.sql)}`, { cause: err });
        }
        applied.push(m.name);
      }
      return { applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

// CLI: `tsx lib/db/migrate.ts` applies the migrations to DATABASE_URL (read without lib/env's validation,
// which also demands settings a migration run does not need).
function isMain(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const url = migrationDatabaseUrl();
  if (!url) {
    console.error('DATABASE_URL is not set');
    process.exit(1);
  }
  applyMigrations(url, { log: (msg) => console.log(msg) }).then(
    ({ applied }) => console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'no pending migrations'),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
