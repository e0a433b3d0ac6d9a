// The delivery job: one attempt of one WebhookDelivery row. The row decides everything (the job only
// carries its id and attempt number), so a duplicated, stale or replayed job is harmless:
// - not pending any more, or another attempt number: skip (someone else did it);
// - an earlier delivery of the same webhook and resource is still pending: skip; that one queues this
//   one when it finishes (ordered per resource);
// - otherwise POST, then record the outcome with a conditional update, and queue either the next
//   delivery of the resource (success / gave up) or this one's retry (failure within the window).
import { StreamableEventType } from '../comet/constants';
import { db } from '../db/client';
import { env } from '../env';
import { log } from '../log';
import { unseal } from '../secrets';
import { wireOrganizationId } from '../tenancy/actor';
import { backoffMs } from './backoff';
import { enqueueDeliveries, type DeliveryRef } from './queue';
import { sendWebhook } from './send';
import { allowPrivateTargets } from './settings';

const TYPE_NAMES = new Map<number, string>(Object.entries(StreamableEventType).map(([name, value]) => [value as number, name]));

type Loaded = {
  id: bigint;
  status: string;
  attempts: number;
  kind: string;
  payload: unknown;
  eventId: bigint | null;
  resourceKey: string;
  webhookId: string;
  windowStartAt: Date;
  name: string;
  url: string;
  customHeaders: Record<string, string> | null;
  secret: string;
  eTenant: string | null;
  eType: number | null;
  eActor: string | null;
  eResource: string | null;
  eData: unknown;
  eTs: bigint | null;
  blocked: boolean;
};

export type DeliverOutcome = 'delivered' | 'retry' | 'failed' | 'skipped';

// Unsealing is cheap, but it runs per delivery: keep the last few plain secrets by sealed value.
const secretCache = new Map<string, string>();
function plainSecret(sealed: string): string {
  let s = secretCache.get(sealed);
  if (s === undefined) {
    s = unseal(sealed);
    if (secretCache.size > 1000) secretCache.clear();
    secretCache.set(sealed, s);
  }
  return s;
}

/** The POSTed body: the outbox event as the event stream sends it, or the stored hello/test message. */
function bodyOf(row: Loaded): string | null {
  if (row.kind !== 'event') return JSON.stringify(row.payload);
  if (row.eType === null) return null;
  return JSON.stringify({
    Actor: row.eActor,
    OwnerOrganizationID: wireOrganizationId(row.eTenant ?? ''),
    ResourceID: row.eResource,
    Type: row.eType,
    Timestamp: Number(row.eTs),
    TypeString: TYPE_NAMES.get(row.eType) ?? '',
    Data: row.eData ?? null,
    EventID: Number(row.eventId),
  });
}

/** The next pending delivery of the same webhook and resource, to queue once `row` is finished. */
async function nextInChain(row: Pick<Loaded, 'webhookId' | 'resourceKey' | 'eventId'>): Promise<DeliveryRef[]> {
  if (row.resourceKey === '' || row.eventId === null) return [];
  return db().$queryRaw<DeliveryRef[]>`
    SELECT id, attempts, "nextAttemptAt" FROM "WebhookDelivery"
    WHERE "webhookId" = ${row.webhookId} AND status = 'pending' AND "resourceKey" = ${row.resourceKey} AND "eventId" > ${row.eventId}
    ORDER BY "eventId" LIMIT 1`;
}

export async function deliverWebhook({ deliveryId, attempt }: { deliveryId: string; attempt: number }): Promise<DeliverOutcome> {
  const id = BigInt(deliveryId);
  const [row] = await db().$queryRaw<Loaded[]>`
    SELECT d.id, d.status, d.attempts, d.kind, d.payload, d."eventId", d."resourceKey", d."webhookId", d."windowStartAt",
           w.name, w.url, w."customHeaders", w.secret,
           e."tenantId" AS "eTenant", e.type AS "eType", e.actor AS "eActor", e."resourceId" AS "eResource", e.data AS "eData", e.timestamp AS "eTs",
           (d."resourceKey" <> '' AND d."eventId" IS NOT NULL AND EXISTS (
              SELECT 1 FROM "WebhookDelivery" p
              WHERE p."webhookId" = d."webhookId" AND p.status = 'pending' AND p."resourceKey" = d."resourceKey" AND p."eventId" < d."eventId"
           )) AS blocked
    FROM "WebhookDelivery" d
    JOIN "Webhook" w ON w.id = d."webhookId"
    LEFT JOIN "Event" e ON e.id = d."eventId"
    WHERE d.id = ${id}`;
  if (!row || row.status !== 'pending' || row.attempts !== attempt || row.blocked) return 'skipped';

  const config = env();
  const body = bodyOf(row);
  const result = body
    ? await sendWebhook({
        url: row.url,
        body,
        secret: plainSecret(row.secret),
        customHeaders: row.customHeaders ?? {},
        eventId: row.kind === 'event' ? String(row.eventId) : `${row.kind}-${row.id}`,
        deliveryId: String(row.id),
        webhookName: row.name,
        attempt: attempt + 1,
        allowPrivate: await allowPrivateTargets(),
        timeoutMs: config.HALLEY_WEBHOOK_TIMEOUT_MS,
      })
    : { ok: false, status: 0, error: 'the event is no longer in the outbox (retention)' };

  const now = Date.now();
  const delay = backoffMs(attempt + 1, config.HALLEY_WEBHOOK_BACKOFF_BASE_MS, config.HALLEY_WEBHOOK_BACKOFF_MAX_MS);
  const windowEnd = row.windowStartAt.getTime() + config.HALLEY_WEBHOOK_RETRY_WINDOW_SECONDS * 1000;
  const outcome: DeliverOutcome = result.ok ? 'delivered' : body && now + delay <= windowEnd ? 'retry' : 'failed';
  const nextAt = new Date(now + delay);
  const code = result.status || null;
  const updated =
    outcome === 'delivered'
      ? await db().$executeRaw`
          UPDATE "WebhookDelivery" SET status = 'delivered', attempts = attempts + 1, "responseCode" = ${code}, "lastError" = '',
                 "lastAttemptAt" = now(), "deliveredAt" = now(), "updatedAt" = now()
          WHERE id = ${id} AND status = 'pending' AND attempts = ${attempt}`
      : await db().$executeRaw`
          UPDATE "WebhookDelivery" SET status = ${outcome === 'retry' ? 'pending' : 'failed'}, attempts = attempts + 1,
                 "responseCode" = ${code}, "lastError" = ${result.error}, "lastAttemptAt" = now(), "nextAttemptAt" = ${nextAt}, "updatedAt" = now()
          WHERE id = ${id} AND status = 'pending' AND attempts = ${attempt}`;
  if (updated === 0) return 'skipped'; // another attempt recorded its outcome first

  if (outcome === 'retry') {
    await enqueueDeliveries([{ id, attempts: attempt + 1, nextAttemptAt: nextAt }]);
  } else {
    if (outcome === 'failed') log.warn({ deliveryId, webhook: row.name, error: result.error }, 'webhook delivery failed for good (retry window over)');
    await enqueueDeliveries(await nextInChain(row));
  }
  return outcome;
}
