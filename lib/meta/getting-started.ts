// Halley: progress of the console's getting-started guide, counted within the admin's scope.
import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';

export type GettingStarted = { StorageConfigured: boolean; UserAdded: boolean; DeviceRegistered: boolean; ProtectedItemAdded: boolean; BackupJobRun: boolean };

export async function gettingStarted({ actor }: { actor: AdminActor }): Promise<GettingStarted> {
  const scope = tenantWhere(actor);
  const exists = async (n: Promise<number>) => (await n) > 0;
  const [storage, user, device, item, job] = await Promise.all([
    exists(db().storageVault.count({ where: scope, take: 1 })),
    exists(db().account.count({ where: scope, take: 1 })),
    exists(db().device.count({ where: scope, take: 1 })),
    exists(db().protectedItem.count({ where: scope, take: 1 })),
    exists(db().job.count({ where: scope, take: 1 })),
  ]);
  return { StorageConfigured: storage, UserAdded: user, DeviceRegistered: device, ProtectedItemAdded: item, BackupJobRun: job };
}
