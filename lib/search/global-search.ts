// Halley: the console's global search. Users, storage vaults and protected items whose name contains
// the query, within what the admin may see (tenant scope in the same statement).
import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';

const PER_KIND = 8;

export type SearchHit = { Username: string; ID: string; Name: string; Detail: string };
export type GlobalSearchResult = { Users: SearchHit[]; StorageVaults: SearchHit[]; ProtectedItems: SearchHit[] };

export async function globalSearch({ actor, query }: { actor: AdminActor; query: string }): Promise<GlobalSearchResult> {
  const q = query.trim().slice(0, 200);
  if (!q) return { Users: [], StorageVaults: [], ProtectedItems: [] };
  const scope = tenantWhere(actor);
  const contains = { contains: q, mode: 'insensitive' as const };
  const [users, vaults, items] = await Promise.all([
    db().account.findMany({
      where: { ...scope, OR: [{ username: contains }, { accountName: contains }] },
      orderBy: { username: 'asc' },
      take: PER_KIND,
      select: { username: true, accountName: true },
    }),
    db().storageVault.findMany({
      where: { ...scope, description: contains },
      orderBy: { description: 'asc' },
      take: PER_KIND,
      select: { vaultId: true, description: true, account: { select: { username: true } } },
    }),
    db().protectedItem.findMany({
      where: { ...scope, description: contains },
      orderBy: { description: 'asc' },
      take: PER_KIND,
      select: { itemId: true, description: true, engine: true, account: { select: { username: true } } },
    }),
  ]);
  return {
    Users: users.map((u) => ({ Username: u.username, ID: u.username, Name: u.username, Detail: u.accountName })),
    StorageVaults: vaults.map((v) => ({ Username: v.account.username, ID: v.vaultId, Name: v.description || v.vaultId, Detail: v.account.username })),
    ProtectedItems: items.map((i) => ({ Username: i.account.username, ID: i.itemId, Name: i.description || i.itemId, Detail: i.account.username })),
  };
}
