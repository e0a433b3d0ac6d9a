// Halley: one page of the users the admin may see, for tables over many thousands of accounts
// (Comet's list-users-full returns every profile at once). Search, sorting and paging run in PostgreSQL,
// and the table's extra columns (last backup, storage used, devices online/total, counts) come from the
// same statement for the page's rows only: one query for the page plus one count, whatever the page size.
import { JobClassification } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import { Prisma } from '../generated/prisma/client';
import { relay } from '../live/relay';
import { wireOrganizationId, type AdminActor } from '../tenancy/actor';
import { canSee } from '../tenancy/can-see';
import { tenantSql } from '../tenancy/tenant-sql';

export const USER_SORT_FIELDS = ['Username', 'AccountName', 'Organization', 'CreateTime', 'Devices', 'ProtectedItems', 'StorageVaults', 'Status', 'Quota', 'LastBackup', 'StorageUsed'] as const;
type UserSortField = (typeof USER_SORT_FIELDS)[number];
const MAX_PAGE_LIMIT = 500;
const MAX_USERNAMES = 10_000;

export type UserRow = {
  Username: string;
  AccountName: string;
  OrganizationID: string;
  OrganizationName: string;
  Emails: string[];
  PolicyID: string;
  IsSuspended: boolean;
  CreateTime: number;
  QuotaBytes: number;
  QuotaEnabled: boolean;
  Devices: number;
  /** Devices of the account connected now. */
  DevicesOnline: number;
  ProtectedItems: number;
  StorageVaults: number;
  /** Status (Comet JobStatus) of the account's newest backup job; 0 when it never ran one. */
  LastBackupStatus: number;
  /** When that job ended (its start while it runs), Unix seconds; 0 when none. */
  LastBackupTime: number;
  /** Storage used by the account on its newest usage-ledger day, bytes. */
  StorageUsedBytes: number;
};

const BACKUP = JobClassification.JOB_CLASSIFICATION_BACKUP;

/** The sort key of one account (alias a, tenant t); computed keys are scalar subqueries over indexed columns. */
function sortKey(field: UserSortField): Prisma.Sql {
  switch (field) {
    case 'Username':
      return Prisma.sql`a."username"`;
    case 'AccountName':
      return Prisma.sql`a."accountName"`;
    case 'Organization':
      return Prisma.sql`t."name"`;
    case 'CreateTime':
      return Prisma.sql`a."createTime"`;
    // tenancy: derived — counts of the account row a, which the statement selects through tenantSql
    case 'Devices':
      return Prisma.sql`(SELECT count(*) FROM "Device" d WHERE d."accountId" = a."id")`;
    case 'ProtectedItems':
      return Prisma.sql`(SELECT count(*) FROM "ProtectedItem" i WHERE i."accountId" = a."id")`;
    case 'StorageVaults':
      return Prisma.sql`(SELECT count(*) FROM "StorageVault" v WHERE v."accountId" = a."id")`;
    case 'Status':
      return Prisma.sql`a."isSuspended"`;
    // tenancy: derived — the last backup and ledger day of the account row a (selected through tenantSql)
    case 'Quota':
      return Prisma.sql`a."allProtectedItemsQuotaBytes"`;
    case 'LastBackup':
      return Prisma.sql`(SELECT CASE WHEN j."endTime" > 0 THEN j."endTime" ELSE j."startTime" END FROM "Job" j
                         WHERE j."accountId" = a."id" AND j."classification" = ${BACKUP} ORDER BY j."startTime" DESC, j."id" DESC LIMIT 1)`;
    case 'StorageUsed':
      return Prisma.sql`(SELECT u."storageBytes" FROM "UsageAccountDay" u WHERE u."accountId" = a."id" ORDER BY u."day" DESC LIMIT 1)`;
  }
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

type ListUsersOptions = {
  actor: AdminActor;
  query?: string;
  sortBy?: string;
  sortDesc?: boolean;
  offset?: number;
  limit?: number;
  policyId?: string;
  /** Only these accounts (the console's selection); unknown and foreign names are left out. */
  usernames?: string[];
};

/** The accounts' filter (alias a) besides the admin's scope: the search, the policy and the named accounts. */
function filterSql(opts: ListUsersOptions): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`TRUE`];
  const q = (opts.query ?? '').trim();
  if (q) {
    const like = `%${likeEscape(q)}%`;
    parts.push(Prisma.sql`(a."username" ILIKE ${like} OR a."accountName" ILIKE ${like} OR ${q} = ANY(a."emails"))`);
  }
  if (opts.policyId !== undefined) parts.push(Prisma.sql`a."policyId" = ${opts.policyId}`);
  if (opts.usernames !== undefined) parts.push(Prisma.sql`a."username" = ANY(${opts.usernames}::text[])`);
  return Prisma.join(parts, ' AND ');
}

export async function listUsersPage(opts: ListUsersOptions): Promise<{ Users: UserRow[]; TotalCount: number }> {
  const sortBy = (opts.sortBy || 'Username') as UserSortField;
  if (!USER_SORT_FIELDS.includes(sortBy)) throw new BadRequestError(apiMessage('sortByOneOf', { values: USER_SORT_FIELDS.join(', ') }));
  const limit = opts.limit ?? 25;
  const offset = opts.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) throw new BadRequestError(apiMessage('limitRange', { max: String(MAX_PAGE_LIMIT) }));
  if (!Number.isInteger(offset) || offset < 0) throw new BadRequestError(apiMessage('offsetNegative'));
  if (opts.usernames && opts.usernames.length > MAX_USERNAMES) throw new BadRequestError(apiMessage('usernamesTooMany', { limit: String(MAX_USERNAMES) }));
  // Live devices are in Redis, not PostgreSQL: they go into the statement as "accountId/deviceId" keys.
  const live = (await relay().listConnections()).filter((c) => canSee(opts.actor, c.tenantId)).map((c) => `${c.accountId}/${c.deviceId}`);
  const where = Prisma.sql`${tenantSql(opts.actor, Prisma.raw('a."tenantId"'))} AND ${filterSql(opts)}`;
  const dir = Prisma.raw(opts.sortDesc ? 'DESC' : 'ASC');
  // tenancy: derived — figures of the page's account rows a, which the statement selects through tenantSql (where)
  const figures = Prisma.sql`(SELECT count(*) FROM "Device" d WHERE d."accountId" = a."id") AS devices,
             (SELECT count(*) FROM "Device" d WHERE d."accountId" = a."id" AND (d."accountId" || '/' || d."deviceId") = ANY(${live}::text[])) AS online,
             (SELECT count(*) FROM "ProtectedItem" i WHERE i."accountId" = a."id") AS items,
             (SELECT count(*) FROM "StorageVault" v WHERE v."accountId" = a."id") AS vaults,
             lb."status" AS "lastStatus", lb."at" AS "lastTime", su."storageBytes" AS storage`;
  // tenancy: derived — the newest backup job and ledger day of the page's account rows a (selected through tenantSql)
  const lastBackupAndStorage = Prisma.sql`LEFT JOIN LATERAL (
        SELECT j."status", CASE WHEN j."endTime" > 0 THEN j."endTime" ELSE j."startTime" END AS at FROM "Job" j
        WHERE j."accountId" = a."id" AND j."classification" = ${BACKUP} ORDER BY j."startTime" DESC, j."id" DESC LIMIT 1
      ) lb ON TRUE
      LEFT JOIN LATERAL (SELECT u."storageBytes" FROM "UsageAccountDay" u WHERE u."accountId" = a."id" ORDER BY u."day" DESC LIMIT 1) su ON TRUE`;
  // Username is unique: a stable order for equal keys, so pages never repeat or skip a row.
  const [rows, count] = await Promise.all([
    db().$queryRaw<
      Array<{
        username: string; accountName: string; tenantId: string; tenantName: string; emails: string[]; policyId: string; isSuspended: boolean;
        createTime: bigint; quotaBytes: bigint; quotaEnabled: boolean; devices: bigint; online: bigint; items: bigint; vaults: bigint;
        lastStatus: number | null; lastTime: bigint | null; storage: bigint | null;
      }>
    >`
      WITH page AS (
        SELECT a."id", ${sortKey(sortBy)} AS k, a."username"
        FROM "Account" a JOIN "Tenant" t ON t."id" = a."tenantId"
        WHERE ${where}
        ORDER BY 2 ${dir} NULLS LAST, a."username" ASC
        LIMIT ${limit} OFFSET ${offset}
      )
      SELECT a."username", a."accountName", a."tenantId", t."name" AS "tenantName", a."emails", a."policyId", a."isSuspended",
             a."createTime", a."allProtectedItemsQuotaBytes" AS "quotaBytes", a."allProtectedItemsQuotaEnabled" AS "quotaEnabled",
             ${figures}
      FROM page p
      JOIN "Account" a ON a."id" = p."id"
      JOIN "Tenant" t ON t."id" = a."tenantId"
      ${lastBackupAndStorage}
      WHERE ${where}
      ORDER BY p.k ${dir} NULLS LAST, p."username" ASC`,
    db().$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM "Account" a WHERE ${where}`,
  ]);
  return {
    Users: rows.map((r) => ({
      Username: r.username,
      AccountName: r.accountName,
      OrganizationID: wireOrganizationId(r.tenantId),
      OrganizationName: r.tenantName,
      Emails: r.emails,
      PolicyID: r.policyId,
      IsSuspended: r.isSuspended,
      CreateTime: Number(r.createTime),
      QuotaBytes: Number(r.quotaBytes),
      QuotaEnabled: r.quotaEnabled,
      Devices: Number(r.devices),
      DevicesOnline: Number(r.online),
      ProtectedItems: Number(r.items),
      StorageVaults: Number(r.vaults),
      LastBackupStatus: r.lastStatus ?? 0,
      LastBackupTime: r.lastTime === null ? 0 : Number(r.lastTime),
      StorageUsedBytes: r.storage === null ? 0 : Number(r.storage),
    })),
    TotalCount: Number(count[0]?.n ?? 0),
  };
}
