// Runs one grouped usage query (usage-query.ts) with PostgreSQL's JIT compiler off. The query is one big
// aggregate over many partitions: JIT compiling it costs seconds (measured 2.7-12 s for a year of 1,000 accounts,
// against ~1 s of execution; bench/usage.ts), more than it can save. SET LOCAL needs a transaction: a batch one.
import { db } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import type { UsageSqlRow } from './usage-query';

/** The statement that switches JIT off for the rest of the current transaction. */
export const JIT_OFF = 'SET LOCAL jit = off';

export async function queryUsage<T = UsageSqlRow>(query: Prisma.Sql): Promise<T[]> {
  const [, rows] = await db().$transaction([db().$executeRawUnsafe(JIT_OFF), db().$queryRaw<T[]>(query)]);
  return rows;
}
