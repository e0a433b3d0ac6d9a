// Reads accounts with their devices, vaults, items and rules, and turns them into Comet's
// UserProfileConfig through the one mapper. The `where` always carries the tenant fragment.
import { db, type Tx } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import { rowsToProfile, rowsToProfileJson, type RowsToProfileInput } from '../profile/mapper';
import { wireOrganizationId } from '../tenancy/actor';

const byPosition = { orderBy: { position: 'asc' as const } };

const PROFILE_INCLUDE = {
  devices: byPosition,
  vaults: byPosition,
  items: byPosition,
  rules: byPosition,
} satisfies Prisma.AccountInclude;

export type LoadedAccount = Prisma.AccountGetPayload<{ include: typeof PROFILE_INCLUDE }>;

function profileInput(account: LoadedAccount): RowsToProfileInput {
  return {
    account,
    organizationId: wireOrganizationId(account.tenantId),
    devices: account.devices,
    vaults: account.vaults,
    items: account.items,
    rules: account.rules,
  };
}

export function accountToProfile(account: LoadedAccount): Record<string, unknown> {
  return rowsToProfile(profileInput(account));
}

/** `JSON.stringify(accountToProfile(account))`, built without the profile's id-keyed objects (rowsToProfileJson). */
export function accountToProfileJson(account: LoadedAccount): string {
  return rowsToProfileJson(profileInput(account));
}

/** Accounts in username order; `take`: at most that many (keyset batches pass `username > last` in `where`). */
export async function loadAccounts(where: Prisma.AccountWhereInput, client: Tx = db(), take?: number): Promise<LoadedAccount[]> {
  // tenancy: derived — callers pass a where built with tenantWhere/accountScopeWhere (find-account.ts, list-users)
  return client.account.findMany({ where, include: PROFILE_INCLUDE, orderBy: { username: 'asc' }, ...(take === undefined ? {} : { take }) });
}

export async function loadAccount(where: Prisma.AccountWhereInput, client: Tx = db()): Promise<LoadedAccount | null> {
  // tenancy: derived — callers pass a where built with tenantWhere/accountScopeWhere (find-account.ts, list-users)
  return client.account.findFirst({ where, include: PROFILE_INCLUDE });
}
