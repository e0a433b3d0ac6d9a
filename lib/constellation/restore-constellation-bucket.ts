// admin/constellation/restore-bucket (Halley extension): takes a quarantined bucket of the caller's organization
// out of quarantine. Its data was never touched; the Constellation forgets the bucket's unused streak, so every
// guard (N unused reports over T hours, then the quarantine period) has to hold again before it is quarantined
// once more. Runs under the same advisory lock as a Constellation run, so a sweep cannot destroy it meanwhile.
import { db } from '../db/client';
import { BadRequestError, NotFoundError } from '../errors';
import { log } from '../log';
import type { AdminActor } from '../tenancy/actor';
import { requirePermission } from '../tenancy/permissions';
import { ownTenantWhere } from '../tenancy/scope';
import { apiMessage } from '../i18n/api-messages';

export async function restoreConstellationBucket({ actor, bucketId }: { actor: AdminActor; bucketId: string }): Promise<void> {
  requirePermission(actor, 'constellation.role');
  const scope = ownTenantWhere(actor);
  await db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`constellation:${scope.tenantId}`}))`;
    const row = await tx.constellationBucket.findFirst({ where: { ...scope, bucketId }, select: { quarantinedAt: true, deletedAt: true } });
    if (!row || row.deletedAt !== null) throw new NotFoundError(apiMessage('constellationBucketNotFound', { id: bucketId.slice(0, 100) }));
    if (row.quarantinedAt === null) throw new BadRequestError(apiMessage('constellationBucketNotQuarantined', { id: bucketId.slice(0, 100) }));
    await tx.constellationBucket.updateMany({ where: { ...scope, bucketId }, data: { quarantinedAt: null, unusedStreak: 0, unusedSince: null } });
  });
  log.info({ tenantId: scope.tenantId, bucketId, by: actor.username }, 'constellation: bucket restored from quarantine');
}
