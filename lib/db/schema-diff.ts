// Development/test only: computes the SQL that turns the committed migrations' schema into
// prisma/schema.prisma, using Prisma's schema engine compiled to WebAssembly (the native engine the
// Prisma CLI wants cannot be downloaded here). @prisma/schema-engine-wasm is an internal Prisma API pinned
// to the CLI's exact build; keep this module out of runtime code paths (only scripts/create-migration.ts
// and the drift test import it).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
// A dependency of @prisma/adapter-pg; it wraps the adapter into the error-capturing shape the engine calls.
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
} from '@prisma/driver-adapter-utils';
// The wasm-bindgen glue only: the package's main entry imports the .wasm file as an ES module, which
// Node 20 cannot load, so the module is instantiated by hand below.
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import pg from 'pg';
import { applyMigrations } from './migrate';

type SchemaEngine = glue.SchemaEngine;

let engineModule: Promise<typeof glue> | undefined;

// The engine's panic hook writes the Rust panic message here before trapping (Prisma's CLI installs the
// same global); without it a panic crashes the process with an unrelated TypeError.
const panic = { message: '', set_message(m: string) { this.message = m; } };
(globalThis as { PRISMA_WASM_PANIC_REGISTRY?: typeof panic }).PRISMA_WASM_PANIC_REGISTRY = panic;

function loadEngineModule(): Promise<typeof glue> {
  engineModule ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const wasm = await WebAssembly.instantiate(readFileSync(join(dir, 'schema_engine_bg.wasm')), {
      './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports,
    });
    const exports = wasm.instance.exports as WebAssembly.Exports & { __wbindgen_start: () => void };
    (glue as unknown as { __wbg_set_wasm(e: WebAssembly.Exports): void }).__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return glue;
  })();
  return engineModule;
}

// prisma/orm#27403: the engine reads pg_catalog columns of type `"char"` (oid 18; contype, confdeltype, ...),
// which @prisma/adapter-pg 7.10 rejects ("Column type 'char' could not be deserialized"; `name` columns,
// the other half of that bug, are mapped to text since). Plain text is not enough either: the describer
// reads some of them as a Rust char (PostgreSQL 18 lists NOT NULL constraints with contype 'n', and
// reading that as text panics the engine). So pg reports oid 18 as text (25) to get past the adapter,
// and the adapter's result then marks those columns as Character again. The rows array is the one
// object pg's result and the adapter's result share, so it carries the column list across.
const charColumns = new WeakMap<object, number[]>();

function relabelChar<T>(result: T): T {
  for (const r of (Array.isArray(result) ? result : [result]) as (pg.QueryResult | undefined)[]) {
    const cols = (r?.fields ?? []).flatMap((f, i) => (f.dataTypeID === 18 ? [i] : []));
    if (!r || cols.length === 0) continue;
    for (const i of cols) r.fields[i].dataTypeID = 25;
    charColumns.set(r.rows, cols);
  }
  return result;
}

// The adapter queries both through the pool (callback form, via pg-pool) and through checked-out
// clients (promise form, in transactions); wrap each connection's query() for both.
function relabelingPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 2 });
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        const cb = last as (err: Error | null, res?: unknown) => void;
        return query(...args.slice(0, -1), (err: Error | null, res?: unknown) => cb(err, err ? res : relabelChar(res)));
      }
      const out = query(...args);
      return out instanceof Promise ? out.then(relabelChar) : out;
    };
  });
  return pool;
}

type Queryable = { queryRaw(q: SqlQuery): Promise<SqlResultSet>; startTransaction?(...a: unknown[]): Promise<Queryable> };

// Delegates everything to the adapter (or transaction) but restores Character for "char" columns.
function withCharColumns<T extends Queryable>(inner: T): T {
  const outer = Object.create(inner) as T;
  outer.queryRaw = async (q) => {
    const res = await inner.queryRaw(q);
    for (const i of charColumns.get(res.rows) ?? []) res.columnTypes[i] = ColumnTypeEnum.Character;
    return res;
  };
  if (inner.startTransaction) {
    outer.startTransaction = async (...a) => withCharColumns(await inner.startTransaction!(...a));
  }
  return outer;
}

/** Runs `fn` with a wasm schema engine whose "live database" is `databaseUrl`. */
async function withSchemaEngine<T>(databaseUrl: string, schema: string, fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  // The wasm-bindgen glue is a singleton bound to one instance, and a trapped instance still has work
  // queued, so neither it nor a fresh instance can be used safely in this process after a panic.
  if (panic.message) throw new Error(`Prisma schema engine panicked earlier in this process: ${panic.message}`);
  const { SchemaEngine } = await loadEngineModule();
  const pool = relabelingPool(databaseUrl);
  const pgFactory = new PrismaPg(pool);
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: pgFactory.provider,
    adapterName: pgFactory.adapterName,
    connect: async () => withCharColumns(await pgFactory.connect()),
    // Unused: the diff below needs no shadow database.
    connectToShadowDb: async () => withCharColumns(await pgFactory.connectToShadowDb()),
  };
  const engine = await SchemaEngine.new(
    { datamodels: [['schema.prisma', schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  // A Rust panic traps inside a callback the engine's promise waits on: it surfaces as an uncaught
  // RuntimeError and that promise never settles. Fail the call with the panic message instead.
  let onUncaught!: (err: unknown) => void;
  const crashed = new Promise<never>((_, reject) => {
    onUncaught = (err) => reject(panic.message ? new Error(`Prisma schema engine panicked: ${panic.message}`) : err);
  });
  process.on('uncaughtException', onUncaught);
  try {
    return await Promise.race([fn(engine), crashed]);
  } finally {
    process.off('uncaughtException', onUncaught);
    if (!panic.message) engine.free();
    await pool.end();
  }
}

/**
 * Applies the committed migrations to `databaseUrl` (an empty scratch database: it is modified) with
 * applyMigrations, then returns the SQL that turns that database into the schema in schema.prisma;
 * "" when they agree.
 */
export async function diffSchemaAgainstMigrations(
  databaseUrl: string,
  opts: { schemaPath?: string; migrationsDir?: string } = {},
): Promise<string> {
  await applyMigrations(databaseUrl, { migrationsDir: opts.migrationsDir });
  const schema = readFileSync(resolve(opts.schemaPath ?? 'prisma/schema.prisma'), 'utf8');
  return withSchemaEngine(databaseUrl, schema, async (engine) => {
    const files = [{ path: 'schema.prisma', content: schema }];
    const result = await engine.diff({
      // "schemaDatasource" is the live database behind the adapter (the wasm engine refuses `url`).
      from: { tag: 'schemaDatasource', files, configDir: process.cwd() },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      // With exitCode set the engine reports 2 for a non-empty diff; an empty one still prints a comment.
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : '';
  });
}

/**
 * Creates an empty database next to the one `serverUrl` points at (the user needs CREATEDB) and returns
 * its URL and a function that drops it.
 */
export async function createScratchDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `halley_scratch_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // FORCE (PostgreSQL 13+) ends connections a failed run may have left open.
  // An autovacuum worker (owned by the superuser) on the scratch database makes FORCE fail with 42501
  // when we are not superuser; it is gone a moment later, so retry a few times.
  const drop = async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } catch (err) {
        if ((err as { code?: string }).code !== '42501' || attempt >= 10) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };
  return { url: url.toString(), drop };
}
