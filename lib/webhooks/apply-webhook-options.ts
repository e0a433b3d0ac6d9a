import { StreamableEventType as SEVT } from '../comet/constants';
import type { Tx } from '../db/client';
import { emitEvent } from '../events/emit';
import { seal } from '../secrets';
import { wireOrganizationId, type AdminActor } from '../tenancy/actor';
import { sealCustomHeaders } from './custom-headers';
import { newWebhookSecret } from './new-webhook-secret';
import type { WebhookChange } from './prepare-webhook-options';
import type { DeliveryRef } from './queue';

/**
 * Replaces the tenant's webhooks inside `tx` and creates the hello deliveries. Returns the deliveries
 * to queue once the transaction has committed. `emit: false` when the caller writes its own event
 * (organization/set).
 */
export async function applyWebhookOptions(tx: Tx, actor: AdminActor, change: WebhookChange, opts: { emit?: boolean } = {}): Promise<DeliveryRef[]> {
  const { tenantId, prepared } = change;
  // tenancy: derived — tenantId is the organization being edited, resolved by the caller (targetTenant or organization/set)
  const existing = new Map((await tx.webhook.findMany({ where: { tenantId } })).map((r) => [r.name, r]));
  await tx.webhook.deleteMany({ where: { tenantId, name: { notIn: prepared.map((p) => p.name) } } });
  if (opts.emit !== false) {
    await emitEvent(tx, actor, {
      tenantId,
      type: SEVT.SEVT_TENANT_UPDATED,
      resourceId: wireOrganizationId(tenantId),
      data: { WebhookOptions: prepared.map((p) => p.name) },
    });
  }
  // Events up to now (including the one above) happened before a new webhook existed.
  // tenancy: derived — tenantId is the organization being edited, resolved by the caller (targetTenant or organization/set)
  const [{ max }] = await tx.$queryRaw<Array<{ max: bigint }>>`SELECT COALESCE(MAX(id), 0)::bigint AS max FROM "Event"`;
  const refs: DeliveryRef[] = [];
  for (const p of prepared) {
    const old = existing.get(p.name);
    const customHeaders = sealCustomHeaders(p.customHeaders, old?.customHeaders, p.where);
    const fields = { url: p.url, customHeaders, level: p.level, whiteListedEventTypes: p.whiteListedEventTypes, extra: p.extra as object };
    const row = old
      // tenancy: derived — tenantId is the organization being edited, resolved by the caller (targetTenant or organization/set)
      ? await tx.webhook.update({ where: { id: old.id }, data: fields, select: { id: true } })
      : await tx.webhook.create({ data: { tenantId, name: p.name, ...fields, secret: seal(newWebhookSecret()), sinceEventId: max }, select: { id: true } });
    if (change.hello && old?.url !== p.url && p.level !== 'none') {
      const d = await tx.webhookDelivery.create({
        data: { webhookId: row.id, tenantId, eventType: SEVT.SEVT_META_HELLO, kind: 'hello', payload: change.hello as object },
        select: { id: true, attempts: true },
      });
      refs.push(d);
    }
  }
  return refs;
}
