// The delivery job: one attempt of each of its WebhookDelivery rows. The rows decide everything (the job
// only carries ids and attempt numbers), so a duplicated, stale or replayed job is harmless:
// - not pending any more, or another attempt number: skip (someone else did it);
// - an earlier delivery of the same webhook and resource is still pending: skip; that one queues this
//   one when it finishes (ordered per resource);
// - otherwise POST (a batch's POSTs run concurrently), then record the outcomes with one conditional
//   update, and queue either the next delivery of the resource (success / gave up) or the retry
//   (failure within the window).
// tenancy-file: system — the delivery worker sends queued WebhookDelivery rows by id; the dispatcher chose their tenant with canSee
import { eventTypeName } from '../events/streamable';
import { db } from '../db/client';
import { env } from '../env';
import { log } from '../log';
import { countWebhookAttempts } from '../metrics/series';
import { unseal } from '../secrets';
import { wireOrganizationId } from '../tenancy/actor';
import { backoffMs } from './backoff';
import { unsealCustomHeaders } from './custom-headers';
import { enqueueDeliveries, type DeliveryRef } from './queue';
import { sendWebhook } from './send';
import { allowPrivateTargets } from '../net/private-targets';


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
  /** Stored form (sealed values; plain strings in rows written before sealing). */
  customHeaders: unknown;
  secret: string;
  eTenant: string | null;
  eType: number | null;
  eActor: string | null;
  eResource: string | null;
  /** The event's Data as JSON text (spliced into the body as is: no parse and re-serialise per delivery). */
  eData: string | null;
  eTs: bigint | null;
  blocked: boolean;
};

type DeliverOutcome = 'delivered' | 'retry' | 'failed' | 'skipped';

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
  // Same fields, order and values as streamableEvent() (lib/events/streamable.ts).
  const head = JSON.stringify({
    Actor: row.eActor,
    OwnerOrganizationID: wireOrganizationId(row.eTenant ?? ''),
    ResourceID: row.eResource,
    Type: row.eType,
    Timestamp: Number(row.eTs),
    TypeString: eventTypeName(row.eType),
  });
  return `${head.slice(0, -1)},"Data":${row.eData ?? 'null'},"EventID":${Number(row.eventId)}}`;
}

type Outcome = { row: Loaded; attempt: number; status: 'delivered' | 'pending' | 'failed'; code: number | null; error: string; nextAt: Date };

async function attemptOne(row: Loaded, attempt: number, allowPrivate: boolean): Promise<Outcome> {
  const config = env();
  const body = bodyOf(row);
  const result = body
    ? await sendWebhook({
        url: row.url,
        body,
        secret: plainSecret(row.secret),
        customHeaders: unsealCustomHeaders(row.customHeaders, plainSecret),
        eventId: row.kind === 'event' ? String(row.eventId) : `${row.kind}-${row.id}`,
        deliveryId: String(row.id),
        webhookName: row.name,
        attempt: attempt + 1,
        allowPrivate,
        timeoutMs: config.HALLEY_WEBHOOK_TIMEOUT_MS,
      })
    : { ok: false, status: 0, error: 'the event is no longer in the outbox (retention)' };
  const now = Date.now();
  const delay = backoffMs(attempt + 1, config.HALLEY_WEBHOOK_BACKOFF_BASE_MS, config.HALLEY_WEBHOOK_BACKOFF_MAX_MS);
  const windowEnd = row.windowStartAt.getTime() + config.HALLEY_WEBHOOK_RETRY_WINDOW_SECONDS * 1000;
  const status = result.ok ? 'delivered' : body && now + delay <= windowEnd ? 'pending' : 'failed';
  if (status === 'failed') log.warn({ deliveryId: String(row.id), webhook: row.name, error: result.error }, 'webhook delivery failed for good (retry window over)');
  return { row, attempt, status, code: result.status || null, error: result.error, nextAt: new Date(now + delay) };
}

/**
 * Attempts the given deliveries (one job: a single delivery or a batch of one webhook's new ones), then
 * records every outcome and finds the next delivery of each finished resource in one statement.
 */
export async function deliverWebhooks(refs: Array<{ id: string; attempt: number }>): Promise<Record<DeliverOutcome, number>> {
  const expected = new Map(refs.map((r) => [r.id, r.attempt]));
  const rows = await db().$queryRaw<Loaded[]>`
    SELECT d.id, d.status, d.attempts, d.kind, d.payload, d."eventId", d."resourceKey", d."webhookId", d."windowStartAt",
           w.name, w.url, w."customHeaders", w.secret,
           e."tenantId" AS "eTenant", e.type AS "eType", e.actor AS "eActor", e."resourceId" AS "eResource", e.data::text AS "eData", e.timestamp AS "eTs",
           (d."resourceKey" <> '' AND d."eventId" IS NOT NULL AND EXISTS (
              SELECT 1 FROM "WebhookDelivery" p
              WHERE p."webhookId" = d."webhookId" AND p.status = 'pending' AND p."resourceKey" = d."resourceKey" AND p."eventId" < d."eventId"
           )) AS blocked
    FROM "WebhookDelivery" d
    JOIN "Webhook" w ON w.id = d."webhookId"
    LEFT JOIN "Event" e ON e.id = d."eventId"
    WHERE d.id = ANY(${refs.map((r) => BigInt(r.id))}::bigint[])`;
  const due = rows.filter((r) => r.status === 'pending' && r.attempts === expected.get(String(r.id)) && !r.blocked);
  const counts: Record<DeliverOutcome, number> = { delivered: 0, retry: 0, failed: 0, skipped: refs.length - due.length };
  if (due.length === 0) return counts;

  const allowPrivate = await allowPrivateTargets();
  const outcomes = await Promise.all(due.map((row) => attemptOne(row, row.attempts, allowPrivate)));
  const o = outcomes;
  // Conditional on (status pending, same attempt count): a duplicate job that got here second changes
  // nothing. The next delivery of each finished resource comes back from the same statement.
  const recorded = await db().$queryRaw<Array<{ id: bigint; status: string; nextId: bigint | null; nextAttempts: number | null; nextAt: Date | null }>>`
    WITH u AS (
      SELECT * FROM unnest(${o.map((x) => x.row.id)}::bigint[], ${o.map((x) => x.attempt)}::int[], ${o.map((x) => x.status)}::text[],
                           ${o.map((x) => x.code)}::int[], ${o.map((x) => x.error)}::text[], ${o.map((x) => x.nextAt.getTime())}::float8[])
        AS u(id, attempt, status, code, error, next_ms)
    ), upd AS (
      UPDATE "WebhookDelivery" d SET status = u.status, attempts = d.attempts + 1, "responseCode" = u.code, "lastError" = u.error,
             "lastAttemptAt" = now(), "nextAttemptAt" = CASE WHEN u.status = 'pending' THEN to_timestamp(u.next_ms / 1000.0) AT TIME ZONE 'UTC' ELSE d."nextAttemptAt" END,
             "deliveredAt" = CASE WHEN u.status = 'delivered' THEN now() ELSE d."deliveredAt" END, "updatedAt" = now()
      FROM u WHERE d.id = u.id AND d.status = 'pending' AND d.attempts = u.attempt
      RETURNING d.id, d.status, d."webhookId", d."resourceKey", d."eventId"
    )
    SELECT upd.id, upd.status, n.id AS "nextId", n.attempts AS "nextAttempts", n."nextAttemptAt" AS "nextAt"
    FROM upd LEFT JOIN LATERAL (
      SELECT x.id, x.attempts, x."nextAttemptAt" FROM "WebhookDelivery" x
      WHERE upd.status <> 'pending' AND upd."resourceKey" <> '' AND upd."eventId" IS NOT NULL
        AND x."webhookId" = upd."webhookId" AND x.status = 'pending' AND x."resourceKey" = upd."resourceKey" AND x."eventId" > upd."eventId"
      ORDER BY x."eventId" LIMIT 1
    ) n ON true`;

  const byId = new Map(o.map((x) => [String(x.row.id), x]));
  const follow: DeliveryRef[] = [];
  for (const r of recorded) {
    const x = byId.get(String(r.id))!;
    if (r.status === 'pending') {
      counts.retry += 1;
      follow.push({ id: r.id, attempts: x.attempt + 1, nextAttemptAt: x.nextAt });
    } else {
      counts[r.status === 'delivered' ? 'delivered' : 'failed'] += 1;
      if (r.nextId !== null) follow.push({ id: r.nextId, attempts: r.nextAttempts ?? 0, nextAttemptAt: r.nextAt ?? undefined });
    }
  }
  counts.skipped += o.length - recorded.length; // another attempt recorded its outcome first
  countWebhookAttempts(counts);
  await enqueueDeliveries(follow);
  return counts;
}
