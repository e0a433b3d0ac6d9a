// admin/meta/constellation/config/set (AdminMetaConstellationConfigSet): the caller's organization's
// Constellation Role options. Other servers as targets are not supported yet: a Servers list is refused
// rather than stored and silently ignored (an ignored target would make every report look complete).
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { requirePermission } from '../tenancy/permissions';
import { ownTenantWhere } from '../tenancy/scope';
import { sealServers, type TConstellationRoleOptions } from './config-store';
import { apiMessage } from '../i18n/api-messages';

export async function setConstellationConfig({ actor, options }: { actor: AdminActor; options: TConstellationRoleOptions }): Promise<void> {
  requirePermission(actor, 'constellation.role');
  if (typeof options.RoleEnabled !== 'boolean' || typeof options.DeleteUnusedData !== 'boolean') {
    throw new BadRequestError(apiMessage('constellationOptionsIncomplete'));
  }
  const servers = options.Servers ?? [];
  if (!Array.isArray(servers)) throw new BadRequestError(apiMessage('constellationServersNotList'));
  if (servers.length > 0) {
    throw new BadRequestError(apiMessage('constellationServersUnsupported'));
  }
  const { tenantId } = ownTenantWhere(actor);
  const data = { roleEnabled: options.RoleEnabled, deleteUnusedData: options.DeleteUnusedData, servers: sealServers([]) };
  await db().$transaction(async (tx) => {
    // tenancy: own — the caller's own organization's row, keyed by its tenant id
    await tx.constellationConfig.upsert({ where: { tenantId }, create: { tenantId, ...data }, update: data });
    await emitEvent(tx, actor, { tenantId, type: SEVT.SEVT_SERVER_UPDATED, resourceId: '', data: { Constellation: { RoleEnabled: data.roleEnabled, DeleteUnusedData: data.deleteUnusedData } } });
  });
}
