// Halley: progress of the console's getting-started guide, counted within the admin's scope.
import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';

/** FirstUser: a user in scope (the first by name, "" when there is none), so a step done per user can link to that user's page. */
export type GettingStarted = { StorageConfigured: boolean; UserAdded: boolean; DeviceRegistered: boolean; ProtectedItemAdded: boolean; BackupJobRun: boolean; FirstUser: string };

export async function gettingStarted({ actor }: { actor: AdminActor }): Promise<GettingStarted> {
  const scope = tenantWhere(actor);
  const exists = async (n: Promise<number>) => (await n) > 0;
  // Storage is configured once a Storage Template exists (what a new user's vault is made from; the step links
  // there) or a user has a vault (an admin without templates adds vaults on user pages).
  const [vault, template, first, device, item, job] = await Promise.all([
    exists(db().storageVault.count({ where: scope, take: 1 })),
    exists(db().storageTemplate.count({ where: scope, take: 1 })),
    db().account.findFirst({ where: scope, select: { username: true }, orderBy: { username: 'asc' } }),
    exists(db().device.count({ where: scope, take: 1 })),
    exists(db().protectedItem.count({ where: scope, take: 1 })),
    exists(db().job.count({ where: scope, take: 1 })),
  ]);
  return { StorageConfigured: vault || template, UserAdded: first !== null, DeviceRegistered: device, ProtectedItemAdded: item, BackupJobRun: job, FirstUser: first?.username ?? '' };
}
