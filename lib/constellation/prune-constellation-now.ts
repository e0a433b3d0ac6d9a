// admin/constellation/prune-now (AdminConstellationPruneNow, top level): a run with its sweep now, for the
// top-level organization's Constellation. Every guard applies as in a scheduled run.
import { BadRequestError } from '../errors';
import type { AdminActor } from '../tenancy/actor';
import { requirePermission } from '../tenancy/permissions';
import { ownTenantWhere, requireTopLevel } from '../tenancy/scope';
import { loadConstellationConfig } from './config-store';
import { runConstellation } from './run-constellation';
import { apiMessage } from '../i18n/api-messages';

export async function pruneConstellationNow({ actor }: { actor: AdminActor }): Promise<{ quarantined: number; deleted: number }> {
  requireTopLevel(actor);
  requirePermission(actor, 'constellation.role');
  const { tenantId } = ownTenantWhere(actor);
  if (!(await loadConstellationConfig(tenantId)).RoleEnabled) throw new BadRequestError(apiMessage('constellationDisabled'));
  const run = await runConstellation({ tenantId, trigger: 'prune-now', sweep: true, actor });
  const quarantined = Object.values(run.verdicts).filter((v) => v.State === 'quarantined').length;
  return { quarantined, deleted: run.deleted.length };
}
