// Halley: one page of the users the admin may see, for tables over many thousands of accounts
// (Comet's list-users-full returns every profile at once). Sorting and search run in PostgreSQL.
import type { Prisma } from '../generated/prisma/client';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { wireOrganizationId, type AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { apiMessage } from '../i18n/api-messages';

export const USER_SORT_FIELDS = ['Username', 'AccountName', 'Organization', 'CreateTime', 'Devices', 'ProtectedItems', 'StorageVaults', 'Status', 'Quota'] as const;
type UserSortField = (typeof USER_SORT_FIELDS)[number];
const MAX_PAGE_LIMIT = 500;

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
  ProtectedItems: number;
  StorageVaults: number;
};

function orderFor(field: UserSortField, dir: 'asc' | 'desc'): Prisma.AccountOrderByWithRelationInput[] {
  const primary: Prisma.AccountOrderByWithRelationInput = (() => {
    switch (field) {
      case 'Username':
        return { username: dir };
      case 'AccountName':
        return { accountName: dir };
      case 'Organization':
        return { tenant: { name: dir } };
      case 'CreateTime':
        return { createTime: dir };
      case 'Devices':
        return { devices: { _count: dir } };
      case 'ProtectedItems':
        return { items: { _count: dir } };
      case 'StorageVaults':
        return { vaults: { _count: dir } };
      case 'Status':
        return { isSuspended: dir };
      case 'Quota':
        return { allProtectedItemsQuotaBytes: dir };
    }
  })();
  // Username is unique: a stable order for equal keys, so pages never repeat or skip a row.
  return field === 'Username' ? [primary] : [primary, { username: 'asc' }];
}

export async function listUsersPage(opts: {
  actor: AdminActor;
  query?: string;
  sortBy?: string;
  sortDesc?: boolean;
  offset?: number;
  limit?: number;
  policyId?: string;
}): Promise<{ Users: UserRow[]; TotalCount: number }> {
  const sortBy = (opts.sortBy || 'Username') as UserSortField;
  if (!USER_SORT_FIELDS.includes(sortBy)) throw new BadRequestError(apiMessage('sortByOneOf', { values: USER_SORT_FIELDS.join(', ') }));
  const limit = opts.limit ?? 25;
  const offset = opts.offset ?? 0;
  if (limit < 1 || limit > MAX_PAGE_LIMIT) throw new BadRequestError(apiMessage('limitRange', { max: String(MAX_PAGE_LIMIT) }));
  if (offset < 0) throw new BadRequestError(apiMessage('offsetNegative'));
  const q = (opts.query ?? '').trim();
  const where: Prisma.AccountWhereInput = {
    ...tenantWhere(opts.actor),
    ...(opts.policyId !== undefined ? { policyId: opts.policyId } : {}),
    ...(q
      ? {
          OR: [
            { username: { contains: q, mode: 'insensitive' } },
            { accountName: { contains: q, mode: 'insensitive' } },
            { emails: { has: q } },
          ],
        }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db().account.findMany({
      where,
      orderBy: orderFor(sortBy, opts.sortDesc ? 'desc' : 'asc'),
      skip: offset,
      take: limit,
      select: {
        username: true,
        accountName: true,
        tenantId: true,
        tenant: { select: { name: true } },
        emails: true,
        policyId: true,
        isSuspended: true,
        createTime: true,
        allProtectedItemsQuotaBytes: true,
        allProtectedItemsQuotaEnabled: true,
        _count: { select: { devices: true, items: true, vaults: true } },
      },
    }),
    db().account.count({ where }),
  ]);
  return {
    Users: rows.map((r) => ({
      Username: r.username,
      AccountName: r.accountName,
      OrganizationID: wireOrganizationId(r.tenantId),
      OrganizationName: r.tenant.name,
      Emails: r.emails,
      PolicyID: r.policyId,
      IsSuspended: r.isSuspended,
      CreateTime: Number(r.createTime),
      QuotaBytes: Number(r.allProtectedItemsQuotaBytes),
      QuotaEnabled: r.allProtectedItemsQuotaEnabled,
      Devices: r._count.devices,
      ProtectedItems: r._count.items,
      StorageVaults: r._count.vaults,
    })),
    TotalCount: total,
  };
}
