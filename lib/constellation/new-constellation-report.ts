// admin/constellation/new-report (AdminConstellationNewReport): a report of the caller's organization now. It
// only looks: buckets are quarantined or deleted by sweeps (the scheduled runs and prune-now), never here.
import { BadRequestError } from '../errors';
import type { AdminActor } from '../tenancy/actor';
import { requirePermission } from '../tenancy/permissions';
import { ownTenantWhere } from '../tenancy/scope';
import { loadConstellationConfig } from './config-store';
import { reportToWire, type TConstellationCheckReport } from './report-dto';
import { runConstellation } from './run-constellation';
import { apiMessage } from '../i18n/api-messages';

export async function newConstellationReport({ actor }: { actor: AdminActor }): Promise<TConstellationCheckReport> {
  requirePermission(actor, 'constellation.role');
  const { tenantId } = ownTenantWhere(actor);
  if (!(await loadConstellationConfig(tenantId)).RoleEnabled) throw new BadRequestError(apiMessage('constellationDisabled'));
  const run = await runConstellation({ tenantId, trigger: 'manual', sweep: false, actor });
  return reportToWire(run);
}
