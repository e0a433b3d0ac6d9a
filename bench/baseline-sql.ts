// The SQL Halley runs for AdminGetUserProfile / AdminListUsersFull and their authentication, as issued by
// Prisma 7 (query compiler + @prisma/adapter-pg) and captured from PostgreSQL's log (log_statement=all).
// The baseline server runs exactly these texts with `pg`; bench/run.ts re-captures Halley's statements on
// every run and compares them with the baseline's (bench/sql-check.ts), so a drift shows up in the report.
//
import * as F from '../lib/generated/prisma/internal/prismaNamespaceBrowser';

// What Prisma does (observed, top-level admin, where = {} / { username }):
//   auth Password  : LoginFailure by subject (login protection), AdminUser by username (older builds: then
//                    Tenant by id, the `tenant` relation being a second query)
//   auth SessionKey: one raw statement with both owners joined, whose text the baseline takes from
//                    lib/auth/session.ts sessionLookupQuery() (so it cannot drift); the sliding-expiry touch
//                    (a Prisma update, at most every 30 s) below
//   (When lib/auth derives isTopLevel from the fixed top-level tenant id, the Tenant queries go away:
//   bench/run.ts detects that from Halley's own statements and tells the baseline, see baseline.ts.)
//   profile(s)     : Account rows, then Device / StorageVault / ProtectedItem / BackupRule with
//                    `accountId IN ($1..$n)` ORDER BY position, the four run in parallel on separate
//                    connections.

// Whole-row reads select every scalar column in schema order, which is what Prisma's generated field enums
// list: taking the lists from them keeps the baseline on Halley's SQL when a column is added.
const columnsOf = (fields: Record<string, string>) => Object.values(fields);
const ACCOUNT_COLUMNS = columnsOf(F.AccountScalarFieldEnum);
const DEVICE_COLUMNS = columnsOf(F.DeviceScalarFieldEnum);
const VAULT_COLUMNS = columnsOf(F.StorageVaultScalarFieldEnum);
const ITEM_COLUMNS = columnsOf(F.ProtectedItemScalarFieldEnum);
const RULE_COLUMNS = columnsOf(F.BackupRuleScalarFieldEnum);
const SESSION_COLUMNS = columnsOf(F.SessionScalarFieldEnum);

const select = (table: string, columns: string[]) => `SELECT ${columns.map((c) => `"public"."${table}"."${c}"`).join(', ')} FROM "public"."${table}"`;
const params = (from: number, count: number) => Array.from({ length: count }, (_, i) => `$${from + i}`).join(',');

// lib/auth/session.ts ADMIN_AUTH_SELECT, in its order.
const ADMIN_AUTH_COLUMNS = [
  'id', 'username', 'tenantId', 'permissions', 'passwordHash', 'allowPasswordLogin', 'allowPasswordAndTotpLogin',
  'allowPasswordAndWebAuthnLogin', 'totpSecret', 'ipWhitelist', 'externalAuthSource',
];

export const SQL = {
  /** Login protection (lib/auth/login-protection.ts): is this username+address cooling down? */
  // lib/auth/login-protection.ts: select { failures, firstFailureAt, lockedUntil } (Prisma adds the id).
  loginFailureBySubject: select('LoginFailure', ['subject', 'failures', 'firstFailureAt', 'lockedUntil']) + ' WHERE ("public"."LoginFailure"."subject" = $1 AND 1=1) LIMIT $2 OFFSET $3',
  adminByUsername: select('AdminUser', ADMIN_AUTH_COLUMNS) + ' WHERE ("public"."AdminUser"."username" = $1 AND 1=1) LIMIT $2 OFFSET $3',
  tenantById: select('Tenant', ['id', 'isTopLevel']) + ' WHERE "public"."Tenant"."id" = $1 OFFSET $2',
  tenantIn: (n: number) => select('Tenant', ['id', 'isTopLevel']) + ` WHERE "public"."Tenant"."id" IN (${params(1, n)}) OFFSET $${n + 1}`,
  // The session read itself is not here: bench/baseline.ts runs lib/auth/session.ts sessionLookupQuery().
  /** findLiveSession's sliding-expiry touch (at most every 30 s per session). */
  sessionTouch:
    'UPDATE "public"."Session" SET "lastUsedAt" = $1, "expiresAt" = $2 WHERE ("public"."Session"."id" = $3 AND 1=1) RETURNING ' +
    SESSION_COLUMNS.map((c) => `"public"."Session"."${c}"`).join(', '),
  accountByUsername: select('Account', ACCOUNT_COLUMNS) + ' WHERE "public"."Account"."username" = $1 LIMIT $2 OFFSET $3',
  // lib/users/stream-user-profiles.ts: array-index usernames first (top level: tenantSql is TRUE); the keyset
  // batches are lib/users/account-batch-query.ts, which the baseline runs as it is.
  arrayIndexUsernames: `SELECT id, username FROM "Account" WHERE TRUE AND username ~ '^(0|[1-9][0-9]{0,9})$'`,
  devicesIn: (n: number) => childrenIn('Device', DEVICE_COLUMNS, n),
  vaultsIn: (n: number) => childrenIn('StorageVault', VAULT_COLUMNS, n),
  itemsIn: (n: number) => childrenIn('ProtectedItem', ITEM_COLUMNS, n),
  rulesIn: (n: number) => childrenIn('BackupRule', RULE_COLUMNS, n),
};

/** n = 0: Prisma still runs the relation queries of an empty batch, as `IN (NULL)`. */
function childrenIn(table: string, columns: string[], n: number): string {
  return select(table, columns) + ` WHERE "public"."${table}"."accountId" IN (${n ? params(1, n) : 'NULL'}) ORDER BY "public"."${table}"."position" ASC OFFSET $${n + 1}`;
}
