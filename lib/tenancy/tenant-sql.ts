// The tenancy rule for raw SQL: the same rows `tenantWhere`/`accountScopeWhere` select, as a SQL condition.
// Two forms: a Prisma.sql fragment for tagged $queryRaw, and text with positional parameters for the job
// queries that are built as text (bench/baseline.ts runs the same text through `pg`).
import { Prisma } from '../generated/prisma/client';
import type { AdminActor } from './actor';
import { tenantWhere, type AccountScope } from './scope';

/** A boolean SQL condition on `column` (default "tenantId"): TRUE for a top-level admin, else the one tenant. */
export function tenantSql(actor: AdminActor, column: Prisma.Sql = Prisma.raw('"tenantId"')): Prisma.Sql {
  const where = tenantWhere(actor);
  return where.tenantId === undefined ? Prisma.sql`TRUE` : Prisma.sql`${column} = ${where.tenantId}`;
}

/** The conditions (to be ANDed) of an AccountScope on the table aliased `alias`, values bound through `bind`. */
export function accountScopeSqlParts(scope: AccountScope, bind: (value: string) => string, alias: string): string[] {
  const parts: string[] = [];
  if (scope.tenantId !== undefined) parts.push(`${alias}."tenantId" = ${bind(scope.tenantId)}`);
  if (scope.accountId !== undefined) parts.push(`${alias}."accountId" = ${bind(scope.accountId)}`);
  return parts;
}
