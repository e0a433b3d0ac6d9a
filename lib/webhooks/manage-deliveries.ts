// Halley extension: the delivery log of a webhook (for the console's Integrations tab), redelivery of
// one delivery, and a test delivery. Scoped to the caller's organization through the webhook's tenant,
// inside each statement; another organization's webhook or delivery looks exactly like a missing one.
import { eventTypeName } from '../events/streamable';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';
import type { AdminActor } from '../tenancy/actor';
import { enqueueDeliveries } from './queue';
import { helloEvent } from './hello-event';
import { webhookNotFound } from './webhook-secret';
import { ownTenantWhere } from '../tenancy/scope';
import { apiMessage } from '../i18n/api-messages';
import type { Locale } from '../i18n/locales';
import { renderStoredMessage } from '../i18n/stored-message';

const STATUSES = new Set(['pending', 'delivered', 'failed']);
const unix = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : 0);

type DeliveryRow = {
  id: bigint;
  eventId: bigint | null;
  eventType: number;
  resourceKey: string;
  kind: string;
  status: string;
  attempts: number;
  responseCode: number | null;
  lastError: string;
  lastErrorMessage: unknown;
  createdAt: Date;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
};

function deliveryDto(webhookId: string, d: DeliveryRow, locale: Locale) {
  return {
    DeliveryID: Number(d.id),
    WebhookID: webhookId,
    EventID: d.eventId === null ? 0 : Number(d.eventId),
    Type: d.eventType,
    TypeString: eventTypeName(d.eventType),
    ResourceID: d.resourceKey,
    Kind: d.kind,
    Status: d.status,
    Attempts: d.attempts,
    ResponseCode: d.responseCode ?? 0,
    // In the reader's language; rows from before the catalogue messages show their English text.
    LastError: renderStoredMessage(d.lastErrorMessage, d.lastError, locale),
    CreatedAt: unix(d.createdAt),
    LastAttemptAt: unix(d.lastAttemptAt),
    NextAttemptAt: d.status === 'pending' ? unix(d.nextAttemptAt) : 0,
    DeliveredAt: unix(d.deliveredAt),
  };
}

/** Newest first; page with BeforeID = the last DeliveryID of the previous page. */
export async function listWebhookDeliveries(opts: { actor: AdminActor; webhookId: string; status?: string; limit?: number; beforeId?: number; locale?: Locale }) {
  const { actor, webhookId } = opts;
  if (opts.status !== undefined && opts.status !== '' && !STATUSES.has(opts.status)) throw new BadRequestError(apiMessage('deliveryStatusInvalid'));
  const limit = opts.limit ?? 100;
  if (limit < 1 || limit > 1000) throw new BadRequestError(apiMessage('limitTo1000'));
  const webhook = await db().webhook.findUnique({ where: { tenantId_name: { ...ownTenantWhere(actor), name: webhookId } }, select: { id: true } });
  if (!webhook) throw webhookNotFound(webhookId);
  // tenancy: derived — the webhook was found with ownTenantWhere above
  const rows = await db().webhookDelivery.findMany({
    where: {
      webhookId: webhook.id,
      tenantId: actor.tenantId,
      ...(opts.status ? { status: opts.status } : {}),
      ...(opts.beforeId ? { id: { lt: BigInt(opts.beforeId) } } : {}),
    },
    orderBy: { id: 'desc' },
    take: limit,
  });
  const deliveries = rows.map((r) => deliveryDto(webhookId, r, opts.locale ?? 'en'));
  return { Status: 200, Message: 'OK', Deliveries: deliveries, NextBeforeID: rows.length === limit ? deliveries[deliveries.length - 1].DeliveryID : 0 };
}

/** Attempts a delivered or failed delivery again, with a fresh retry window. */
export async function redeliverWebhookDelivery({ actor, deliveryId }: { actor: AdminActor; deliveryId: number }) {
  const missing = new NotFoundError(apiMessage('deliveryNotFound', { id: deliveryId }));
  if (!Number.isSafeInteger(deliveryId) || deliveryId < 1) throw missing;
  const row = await db().webhookDelivery.findFirst({
    where: { id: BigInt(deliveryId), ...ownTenantWhere(actor), webhook: ownTenantWhere(actor) },
    select: { id: true, status: true, attempts: true, nextAttemptAt: true },
  });
  if (!row) throw missing;
  if (row.status === 'pending') throw new ConflictError(apiMessage('deliveryPending', { id: deliveryId, next: row.nextAttemptAt.toISOString() }));
  const now = new Date();
  const { count } = await db().webhookDelivery.updateMany({
    where: { id: row.id, ...ownTenantWhere(actor), status: row.status, attempts: row.attempts },
    data: { status: 'pending', nextAttemptAt: now, windowStartAt: now },
  });
  if (count === 0) throw new ConflictError(apiMessage('deliveryChanged', { id: deliveryId }));
  await enqueueDeliveries([{ id: row.id, attempts: row.attempts }]);
  return { Status: 200, Message: 'OK', DeliveryID: deliveryId };
}

/** Sends SEVT_META_HELLO to the webhook now (also when its Level is "none"), as a logged delivery. */
export async function testWebhook({ actor, webhookId }: { actor: AdminActor; webhookId: string }) {
  const webhook = await db().webhook.findUnique({ where: { tenantId_name: { ...ownTenantWhere(actor), name: webhookId } }, select: { id: true } });
  if (!webhook) throw webhookNotFound(webhookId);
  const d = await db().webhookDelivery.create({
    data: { webhookId: webhook.id, tenantId: actor.tenantId, eventType: SEVT.SEVT_META_HELLO, kind: 'test', payload: (await helloEvent(actor, actor.tenantId)) as object },
    select: { id: true, attempts: true },
  });
  await enqueueDeliveries([d]);
  return { Status: 200, Message: 'OK', DeliveryID: Number(d.id) };
}
