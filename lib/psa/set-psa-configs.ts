// admin/meta/psa-config-list/set (Comet AdminMetaPsaConfigListSet): replaces the caller's organization's PSA
// list (prepare-psa-change.ts: validation and the secrets that round-trip blank). The change and its event row
// are one transaction.
import type { ApiMessage } from '../i18n/api-messages';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { emitEvent } from '../events/emit';
import { wireOrganizationId, type AdminActor } from '../tenancy/actor';
import { ownTenantWhere } from '../tenancy/scope';
import { applyPsaChange } from './apply-psa-change';
import { preparePsaChange } from './prepare-psa-change';

export async function setPsaConfigs({ actor, list }: { actor: AdminActor; list: unknown }): Promise<ApiMessage[]> {
  const change = await preparePsaChange(ownTenantWhere(actor).tenantId, list);
  await db().$transaction(async (tx) => {
    await applyPsaChange(tx, change);
    await emitEvent(tx, actor, {
      tenantId: actor.tenantId,
      type: actor.isTopLevel ? SEVT.SEVT_SERVER_UPDATED : SEVT.SEVT_TENANT_UPDATED,
      resourceId: actor.isTopLevel ? '' : wireOrganizationId(actor.tenantId),
      data: { PSAConfigs: change.rows.map((r) => ({ Type: r.data.type, URL: r.data.url })) },
    });
  });
  return change.warnings;
}
