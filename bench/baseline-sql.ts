// The SQL Halley runs for AdminGetUserProfile / AdminListUsersFull and their authentication that the baseline
// cannot import from lib/ (statements Prisma 7 builds: query compiler + @prisma/adapter-pg, captured from
// PostgreSQL's log with log_statement=all). The baseline server runs exactly these texts with `pg`, and Halley's
// own texts for the rest; bench/run.ts re-captures Halley's statements on every run and compares them with the
// baseline's (bench/sql-check.ts), so a drift stops the run.
//
import * as F from '../lib/generated/prisma/internal/prismaNamespaceBrowser';

// What Prisma does (observed, top-level admin, where = {} / { username }):
//   auth Password  : AdminUser by username, LoginFailure by subject (login protection): two raw statements on
//                    the pg pool whose texts the baseline imports (lib/auth/session.ts ADMIN_BY_USERNAME_SQL,
//                    lib/auth/login-protection.ts LOCKOUT_READ_SQL); older builds then read the Tenant by id
//   auth SessionKey: one raw statement with both owners joined, whose text the baseline takes from
//                    lib/auth/session.ts sessionLookupQuery() (so it cannot drift); the sliding-expiry touch
//                    (a Prisma update, at most every 30 s) below
//   (When lib/auth derives isTopLevel from the fixed top-level tenant id, the Tenant queries go away:
//   bench/run.ts detects that from Halley's own statements and tells the baseline, see baseline.ts.)
//   profile        : one statement on the pg pool (lib/users/account-batch-query.ts accountByUsernameQuery,
//                    the account with its children as JSON arrays), which the baseline builds with that function;
//                    list-users-full's keyset batches likewise (accountBatchQuery).

// Whole-row reads select every scalar column in schema order, which is what Prisma's generated field enums
// list: taking the lists from them keeps the baseline on Halley's SQL when a column is added.
const columnsOf = (fields: Record<string, string>) => Object.values(fields);
const SESSION_COLUMNS = columnsOf(F.SessionScalarFieldEnum);

const select = (table: string, columns: string[]) => `SELECT ${columns.map((c) => `"public"."${table}"."${c}"`).join(', ')} FROM "public"."${table}"`;
const params = (from: number, count: number) => Array.from({ length: count }, (_, i) => `$${from + i}`).join(',');

export const SQL = {
  tenantById: select('Tenant', ['id', 'isTopLevel']) + ' WHERE "public"."Tenant"."id" = $1 OFFSET $2',
  tenantIn: (n: number) => select('Tenant', ['id', 'isTopLevel']) + ` WHERE "public"."Tenant"."id" IN (${params(1, n)}) OFFSET $${n + 1}`,
  // The session read itself is not here: bench/baseline.ts runs lib/auth/session.ts sessionLookupQuery().
  /** findLiveSession's sliding-expiry touch (at most every 30 s per session). */
  sessionTouch:
    'UPDATE "public"."Session" SET "lastUsedAt" = $1, "expiresAt" = $2 WHERE ("public"."Session"."id" = $3 AND 1=1) RETURNING ' +
    SESSION_COLUMNS.map((c) => `"public"."Session"."${c}"`).join(', '),
  // lib/users/stream-user-profiles.ts: array-index usernames first (top level: tenantSql is TRUE); the keyset
  // batches are lib/users/account-batch-query.ts, which the baseline runs as it is.
  arrayIndexUsernames: `SELECT id, username FROM "Account" WHERE TRUE AND username ~ '^(0|[1-9][0-9]{0,9})$'`,
};
