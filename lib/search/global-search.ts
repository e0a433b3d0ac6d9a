// Halley: the console's global search. Users, storage vaults, protected items and devices whose name contains
// the query, jobs whose ID starts with it, and (top level) tenants whose name contains it, within what the
// admin may see (tenant scope in the same statement).
import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';

const PER_KIND = 8;

export type SearchHit = { Username: string; ID: string; Name: string; Detail: string };
export type GlobalSearchResult = { Users: SearchHit[]; StorageVaults: SearchHit[]; ProtectedItems: SearchHit[]; Devices: SearchHit[]; Organizations: SearchHit[]; Jobs: SearchHit[] };

/** A job is found by its ID (a GUID): from this many leading characters, so short words don't list random jobs. */
const JOB_ID_MIN = 6;

export async function globalSearch({ actor, query }: { actor: AdminActor; query: string }): Promise<GlobalSearchResult> {
  const q = query.trim().slice(0, 200);
  if (!q) return { Users: [], StorageVaults: [], ProtectedItems: [], Devices: [], Organizations: [], Jobs: [] };
  const jobPrefix = q.length >= JOB_ID_MIN && /^[0-9a-f-]+$/i.test(q) ? q.toLowerCase() : '';
  const scope = tenantWhere(actor);
  const contains = { contains: q, mode: 'insensitive' as const };
  const [users, vaults, items, devices, tenants, jobs] = await Promise.all([
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
    db().device.findMany({
      where: { ...scope, OR: [{ friendlyName: contains }, { deviceId: contains }] },
      orderBy: [{ friendlyName: 'asc' }, { deviceId: 'asc' }],
      take: PER_KIND,
      select: { deviceId: true, friendlyName: true, account: { select: { username: true } } },
    }),
    // Organizations are the top level's to see; a tenant admin's search lists none.
    actor.isTopLevel ? db().tenant.findMany({ where: { name: contains, isTopLevel: false }, orderBy: { name: 'asc' }, take: PER_KIND, select: { id: true, name: true } }) : Promise.resolve([]),
    jobPrefix
      ? db().job.findMany({ where: { ...scope, id: { startsWith: jobPrefix } }, orderBy: { id: 'asc' }, take: PER_KIND, select: { id: true, username: true, startTime: true } })
      : Promise.resolve([]),
  ]);
  return {
    Users: users.map((u) => ({ Username: u.username, ID: u.username, Name: u.username, Detail: u.accountName })),
    StorageVaults: vaults.map((v) => ({ Username: v.account.username, ID: v.vaultId, Name: v.description || v.vaultId, Detail: v.account.username })),
    ProtectedItems: items.map((i) => ({ Username: i.account.username, ID: i.itemId, Name: i.description || i.itemId, Detail: i.account.username })),
    Devices: devices.map((d) => ({ Username: d.account.username, ID: d.deviceId, Name: d.friendlyName || d.deviceId, Detail: d.account.username })),
    Organizations: tenants.map((t) => ({ Username: '', ID: t.id, Name: t.name, Detail: '' })),
    Jobs: jobs.map((j) => ({ Username: j.username, ID: j.id, Name: j.id, Detail: j.username })),
  };
}
