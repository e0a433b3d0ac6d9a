import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { canSee } from '../tenancy/can-see';
import { tenantWhere } from '../tenancy/scope';
import { relay } from './relay';

/** How many registered devices the admin may see, and how many of them are connected. */
export async function countDevices({ actor }: { actor: AdminActor }): Promise<{ Total: number; Online: number }> {
  const [total, connections] = await Promise.all([db().device.count({ where: tenantWhere(actor) }), relay().listConnections()]);
  return { Total: total, Online: connections.filter((c) => canSee(actor, c.tenantId)).length };
}
