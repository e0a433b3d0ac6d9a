import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import { env } from '../env';

export type Db = InstanceType<typeof PrismaClient>;
/** The client handed to a `$transaction` callback. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

// One client per process; kept on globalThis so Next's dev reloads do not open a pool per reload.
const holder = globalThis as unknown as { __halleyDb?: Db };

export function db(): Db {
  if (!holder.__halleyDb) {
    const adapter = new PrismaPg({ connectionString: env().DATABASE_URL, max: env().HALLEY_DB_POOL_SIZE });
    holder.__halleyDb = new PrismaClient({ adapter });
  }
  return holder.__halleyDb;
}

export async function closeDb(): Promise<void> {
  const client = holder.__halleyDb;
  holder.__halleyDb = undefined;
  await client?.$disconnect();
}

/** PostgreSQL unique violation, as surfaced by Prisma. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}
