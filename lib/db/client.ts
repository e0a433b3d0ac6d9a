import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { env } from '../env';

export type Db = InstanceType<typeof PrismaClient>;
/** The client handed to a `$transaction` callback. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

// One client per process; kept on globalThis so Next's dev reloads do not open a pool per reload.
// The pool is ours (not the adapter's) so its use can be read for /metrics.
const holder = globalThis as unknown as { __halleyDb?: Db; __halleyPool?: pg.Pool };

export function db(): Db {
  if (!holder.__halleyDb) {
    holder.__halleyPool = new pg.Pool({ connectionString: env().DATABASE_URL, max: env().HALLEY_DB_POOL_SIZE });
    holder.__halleyDb = new PrismaClient({ adapter: new PrismaPg(holder.__halleyPool) });
  }
  return holder.__halleyDb;
}

/**
 * The pg pool under the Prisma client, for the few hot paths that run fixed raw statements many times a second
 * (the webhook delivery worker): no query compiler and no result mapping per row. Rows come as pg parses them
 * (int8 and numeric as strings, timestamps without zone as local time): such statements cast in SQL.
 */
export function dbPool(): pg.Pool {
  db();
  return holder.__halleyPool!;
}

const INT8_OID = 20;
const TIMESTAMP_OID = 1114;

/**
 * Type parsers for whole-row reads on `dbPool()` whose rows go where Prisma rows went (pass as a query's `types`):
 * int8 as a number (the profile mapper takes bigint or number; Comet's integer fields are JSON numbers, so a value
 * past 2^53 was rounded either way), `timestamp(3)` (Prisma's DateTime, stored as UTC) as the UTC instant it is,
 * not pg's local-time reading. Everything else as pg parses it (json and arrays included).
 */
export const PRISMA_ROW_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID) return (v: string) => Number(v);
    if (oid === TIMESTAMP_OID) return (v: string) => new Date(`${v.replace(' ', 'T')}Z`);
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

/** Connections of this process's pool (all zero before the first query). */
export function dbPoolUse(): { total: number; idle: number; waiting: number; max: number } {
  const p = holder.__halleyPool;
  return { total: p?.totalCount ?? 0, idle: p?.idleCount ?? 0, waiting: p?.waitingCount ?? 0, max: env().HALLEY_DB_POOL_SIZE };
}

export async function closeDb(): Promise<void> {
  const client = holder.__halleyDb;
  const pool = holder.__halleyPool;
  holder.__halleyDb = undefined;
  holder.__halleyPool = undefined;
  await client?.$disconnect();
  await pool?.end().catch(() => undefined);
}

/** PostgreSQL unique violation, as surfaced by Prisma. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}
