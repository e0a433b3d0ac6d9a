// admin/constellation/status (AdminConstellationStatus): the caller's organization's Constellation: whether it
// deletes, its targets (this server, then its Servers, then its listable Storage Templates: the server indexes
// of ExistsOnServers / UserOnServer) and its ConstellationStats counted from the report rows.
import { db } from '../db/client';
import { localizeApiMessage } from '../i18n/api-messages';
import type { Locale } from '../i18n/locales';
import type { AdminActor } from '../tenancy/actor';
import { requirePermission } from '../tenancy/permissions';
import { ownTenantWhere } from '../tenancy/scope';
import { loadConstellationConfig } from './config-store';
import { constellationTargets } from './targets';

type TConstellationStats = { LastCheckStart: number; TotalChecksStarted: number; TotalBucketsDeleted: number; ChecksCurrentlyActive: number };
type TConstellationStatus = { DeletionEnabled: boolean; Targets: string[]; TargetNames: string[]; Stats: TConstellationStats };

/** This server is the first target (Targets[0], server index 0 in every report). */
const LOCAL_TARGET = 'local';
/** Longer than a run's transaction may last (run-constellation.ts). */
const ACTIVE_WINDOW_MS = 15 * 60_000;

/** `locale`: the language of the names Halley gives targets (this server, a Storage Template); the reader's. */
export async function constellationStatus({ actor, selfAddress, locale = 'en' }: { actor: AdminActor; selfAddress: string; locale?: Locale }): Promise<TConstellationStatus> {
  requirePermission(actor, 'constellation.role');
  const scope = ownTenantWhere(actor);
  const config = await loadConstellationConfig(scope.tenantId);
  const [targets, started, active, last, deleted] = await Promise.all([
    constellationTargets(scope.tenantId, config),
    db().constellationReport.count({ where: scope }),
    // A run killed mid-way leaves its row unfinished (its transaction changed nothing): not active after a while.
    db().constellationReport.count({ where: { ...scope, completed: 0n, createdAt: { gt: new Date(Date.now() - ACTIVE_WINDOW_MS) } } }),
    db().constellationReport.findFirst({ where: scope, orderBy: { createdAt: 'desc' }, select: { started: true } }),
    db().constellationBucket.count({ where: { ...scope, deletedAt: { not: null } } }),
  ]);
  return {
    DeletionEnabled: config.RoleEnabled && config.DeleteUnusedData,
    Targets: targets.map((t, i) => (i === 0 ? selfAddress || LOCAL_TARGET : t.address)),
    TargetNames: targets.map((t) => (t.nameKey ? localizeApiMessage(t.nameKey, locale) : t.name)),
    Stats: { LastCheckStart: last ? Number(last.started) : 0, TotalChecksStarted: started, TotalBucketsDeleted: deleted, ChecksCurrentlyActive: active },
  };
}
