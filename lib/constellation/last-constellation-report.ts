// admin/constellation/last-report (AdminConstellationLastReport): the caller's organization's latest finished
// report (a failed run has no usage to show and is skipped; a partial one, where a target did not answer, is shown).
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import type { AdminActor } from '../tenancy/actor';
import { requirePermission } from '../tenancy/permissions';
import { ownTenantWhere } from '../tenancy/scope';
import { reportToWire, type TConstellationCheckReport } from './report-dto';
import { apiMessage } from '../i18n/api-messages';

export async function lastConstellationReport({ actor }: { actor: AdminActor }): Promise<TConstellationCheckReport> {
  requirePermission(actor, 'constellation.role');
  const row = await db().constellationReport.findFirst({
    where: { ...ownTenantWhere(actor), completed: { gt: 0n }, error: '' },
    orderBy: { createdAt: 'desc' },
    select: { started: true, completed: true, usage: true },
  });
  if (!row) throw new BadRequestError(apiMessage('constellationNoReport'));
  return reportToWire(row);
}
