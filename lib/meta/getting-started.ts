// Halley: progress of the console's getting-started guide, counted within the admin's scope.
import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';

/** FirstUser: a user in scope (the first by name, "" when there is none), so a step done per user can link to that user's page. */
export type GettingStarted = { StorageConfigured: boolean; UserAdded: boolean; DeviceRegistered: boolean; ProtectedItemAdded: boolean; BackupJobRun: boolean; FirstUser: string };

export async function gettingStarted({ actor }: { actor: AdminActor }): Promise<GettingStarted> {
  const scope = tenantWhere(actor);
  const exists = async (n: Promise<number>) => (await n) > 0;
  const [storage, first, device, item, job] = await Promise.all([
    exists(db().storageVault.count({ where: scope, take: 1 })),
    db().account.findFirst({ where: scope, select: { username: true }, orderBy: { username: 'asc' } }),
    exists(db().device.count({ where: scope, take: 1 })),
    exists(db().protectedItem.count({ where: scope, take: 1 })),
    exists(db().job.count({ where: scope, take: 1 })),
  ]);
  return { StorageConfigured: storage, UserAdded: first !== null, DeviceRegistered: device, ProtectedItemAdded: item, BackupJobRun: job, FirstUser: first?.username ?? '' };
}
