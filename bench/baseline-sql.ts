// The SQL Halley runs for AdminGetUserProfile / AdminListUsersFull and their authentication, as issued by
// Prisma 7 (query compiler + @prisma/adapter-pg) and captured from PostgreSQL's log (log_statement=all).
// The baseline server runs exactly these texts with `pg`; bench/run.ts re-captures Halley's statements on
// every run and compares them with the baseline's (bench/sql-check.ts), so a drift shows up in the report.
//
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

const ACCOUNT_COLUMNS = [
  'id', 'username', 'tenantId', 'accountName', 'localTimezone', 'languageCode', 'groupId', 'emails', 'sendEmailReports',
  'supportsDeviceAssociations', 'isSuspended', 'lastSuspended', 'allProtectedItemsQuotaEnabled', 'allProtectedItemsQuotaBytes',
  'maximumDevices', 'quotaOffice365ProtectedAccounts', 'quotaHyperVGuests', 'quotaVMwareGuests', 'policyId', 'passwordHash',
  'allowPasswordLogin', 'allowPasswordAndTotpLogin', 'totpSecret', 'requirePasswordChange', 'createTime', 'creationGuid',
  'autoStorageTemplateGuid', 'linuxHomedirSandbox', 'data', 'secrets', 'secretStamp', 'createdAt', 'updatedAt',
];
const DEVICE_COLUMNS = ['id', 'tenantId', 'accountId', 'deviceId', 'friendlyName', 'registrationTime', 'clientVersion', 'timezone', 'data', 'position'];
const VAULT_COLUMNS = [
  'id', 'tenantId', 'accountId', 'vaultId', 'description', 'destinationType', 'createTime', 'modifyTime', 'storageLimitEnabled',
  'storageLimitBytes', 'data', 'secrets', 'position',
];
const ITEM_COLUMNS = ['id', 'tenantId', 'accountId', 'itemId', 'engine', 'description', 'ownerDevice', 'createTime', 'modifyTime', 'data', 'position'];
const RULE_COLUMNS = [
  'id', 'tenantId', 'accountId', 'ruleId', 'description', 'sourceId', 'destinationId', 'createTime', 'modifyTime', 'schedules', 'data', 'position',
];

const select = (table: string, columns: string[]) => `SELECT ${columns.map((c) => `"public"."${table}"."${c}"`).join(', ')} FROM "public"."${table}"`;
const params = (from: number, count: number) => Array.from({ length: count }, (_, i) => `$${from + i}`).join(',');

// lib/auth/session.ts ADMIN_AUTH_SELECT, in its order.
const ADMIN_AUTH_COLUMNS = [
  'id', 'username', 'tenantId', 'permissions', 'passwordHash', 'allowPasswordLogin', 'allowPasswordAndTotpLogin',
  'allowPasswordAndWebAuthnLogin', 'totpSecret', 'ipWhitelist', 'externalAuthSource',
];

export const SQL = {
  /** Login protection (lib/auth/login-protection.ts): is this username+address cooling down? */
  loginFailureBySubject: select('LoginFailure', ['subject', 'lockedUntil']) + ' WHERE ("public"."LoginFailure"."subject" = $1 AND 1=1) LIMIT $2 OFFSET $3',
  adminByUsername: select('AdminUser', ADMIN_AUTH_COLUMNS) + ' WHERE ("public"."AdminUser"."username" = $1 AND 1=1) LIMIT $2 OFFSET $3',
  tenantById: select('Tenant', ['id', 'isTopLevel']) + ' WHERE "public"."Tenant"."id" = $1 OFFSET $2',
  tenantIn: (n: number) => select('Tenant', ['id', 'isTopLevel']) + ` WHERE "public"."Tenant"."id" IN (${params(1, n)}) OFFSET $${n + 1}`,
  // The session read itself is not here: bench/baseline.ts runs lib/auth/session.ts sessionLookupQuery().
  /** findLiveSession's sliding-expiry touch (at most every 30 s per session). */
  sessionTouch:
    'UPDATE "public"."Session" SET "lastUsedAt" = $1, "expiresAt" = $2 WHERE ("public"."Session"."id" = $3 AND 1=1) RETURNING ' +
    ['id', 'keyHash', 'kind', 'tenantId', 'adminId', 'accountId', 'upgraded', 'createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt']
      .map((c) => `"public"."Session"."${c}"`)
      .join(', '),
  accountByUsername: select('Account', ACCOUNT_COLUMNS) + ' WHERE "public"."Account"."username" = $1 LIMIT $2 OFFSET $3',
  allAccounts: select('Account', ACCOUNT_COLUMNS) + ' WHERE 1=1 ORDER BY "public"."Account"."username" ASC OFFSET $1',
  devicesIn: (n: number) => childrenIn('Device', DEVICE_COLUMNS, n),
  vaultsIn: (n: number) => childrenIn('StorageVault', VAULT_COLUMNS, n),
  itemsIn: (n: number) => childrenIn('ProtectedItem', ITEM_COLUMNS, n),
  rulesIn: (n: number) => childrenIn('BackupRule', RULE_COLUMNS, n),
};

function childrenIn(table: string, columns: string[], n: number): string {
  return select(table, columns) + ` WHERE "public"."${table}"."accountId" IN (${params(1, n)}) ORDER BY "public"."${table}"."position" ASC OFFSET $${n + 1}`;
}
