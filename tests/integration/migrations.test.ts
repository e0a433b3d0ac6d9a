// The migration applier against a real PostgreSQL, and the drift check between prisma/schema.prisma and
// prisma/migrations. DATABASE_URL names a server where the test user may CREATE DATABASE; every test works
// in its own scratch database and drops it, so the main test database is left alone.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, readMigrations } from '../../lib/db/migrate';
import { createScratchDatabase, diffSchemaAgainstMigrations } from '../../lib/db/schema-diff';

const migrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
const schemaPath = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));
const TOP_LEVEL_TENANT_ID = '00000000-0000-0000-0000-000000000000';

let serverUrl: string;

beforeAll(() => {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL must name a PostgreSQL server where the test user may CREATE DATABASE');
  serverUrl = process.env.DATABASE_URL;
});

async function withScratch(fn: (url: string) => Promise<void>): Promise<void> {
  const scratch = await createScratchDatabase(serverUrl);
  try {
    await fn(scratch.url);
  } finally {
    await scratch.drop();
  }
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe('applyMigrations', () => {
  const names = readMigrations(migrationsDir).map((m) => m.name);

  it('applies every migration once, records it like Prisma, and refuses an edited one', { timeout: 60_000 }, async () => {
    expect(names.length).toBeGreaterThan(0);
    await withScratch(async (url) => {
      expect(await applyMigrations(url, { migrationsDir })).toEqual({ applied: names });

      const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
        url,
        'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(rows.map((r) => r.migration_name)).toEqual(names);
      expect(rows.map((r) => r.checksum)).toEqual(readMigrations(migrationsDir).map((m) => m.checksum));
      expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
      expect(await query(url, 'SELECT "isTopLevel" FROM "Tenant" WHERE id = $1', [TOP_LEVEL_TENANT_ID])).toEqual([{ isTopLevel: true }]);

      expect(await applyMigrations(url, { migrationsDir })).toEqual({ applied: [] });

      await query(url, `UPDATE "_prisma_migrations" SET checksum = repeat('0', 64) WHERE migration_name = $1`, [names[0]]);
      await expect(applyMigrations(url, { migrationsDir })).rejects.toThrow(`Migration ${names[0]} was changed after it was applied`);
    });
  });

  it('rolls back a failing migration and names it', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'halley-migrations-'));
    try {
      cpSync(migrationsDir, dir, { recursive: true });
      mkdirSync(join(dir, '99990101000000_broken'));
      writeFileSync(join(dir, '99990101000000_broken', 'migration.sql'), 'CREATE TABLE "Half" (id INT);\nSELECT * FROM "NoSuchTable";\n');
      await withScratch(async (url) => {
        await expect(applyMigrations(url, { migrationsDir: dir })).rejects.toThrow(
          /Migration 99990101000000_broken failed and was rolled back: relation "NoSuchTable" does not exist \(SQLSTATE 42P01\) at line 2/,
        );
        // The migrations before it stay applied; nothing of the broken one remains.
        const recorded = await query<{ migration_name: string }>(url, 'SELECT migration_name FROM "_prisma_migrations" ORDER BY 1');
        expect(recorded.map((r) => r.migration_name)).toEqual(names);
        expect(await query(url, `SELECT to_regclass('"Half"') AS t`)).toEqual([{ t: null }]);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets only one of two concurrent runs apply (advisory lock)', { timeout: 60_000 }, async () => {
    await withScratch(async (url) => {
      const results = await Promise.all([applyMigrations(url, { migrationsDir }), applyMigrations(url, { migrationsDir })]);
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, names.length]);
      expect(await query(url, 'SELECT count(*)::int AS n FROM "_prisma_migrations"')).toEqual([{ n: names.length }]);
    });
  });
});

describe('schema drift', () => {
  it('prisma/schema.prisma and prisma/migrations describe the same database', { timeout: 60_000 }, async () => {
    await withScratch(async (url) => {
      const sql = await diffSchemaAgainstMigrations(url, { migrationsDir, schemaPath });
      if (sql) {
        throw new Error(
          'prisma/schema.prisma differs from the schema prisma/migrations creates. Run `npm run db:migration -- <name>` ' +
            `to add a migration. SQL still needed:\n\n${sql}`,
        );
      }
    });
  });
});
