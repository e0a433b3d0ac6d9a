// admin/meta/psa-config-list/sync-now (Comet AdminMetaPsaConfigListSyncNow): a push to every PSA integration of
// the caller's organization now, each a queued job with its own row in the delivery log.
import { randomUUID } from 'node:crypto';
import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { ownTenantWhere } from '../tenancy/scope';
import { enqueuePsaPush } from './psa-queue';

export async function syncPsaNow({ actor }: { actor: AdminActor }): Promise<number> {
  const where = ownTenantWhere(actor);
  const configs = await db().psaConfig.findMany({ where, select: { id: true }, orderBy: { position: 'asc' } });
  for (const c of configs) {
    const push = await db().psaPush.create({ data: { ...where, configId: c.id, trigger: 'sync-now', pushKey: `now:${randomUUID()}` }, select: { id: true } });
    await enqueuePsaPush(actor.tenantId, push.id);
  }
  return configs.length;
}
