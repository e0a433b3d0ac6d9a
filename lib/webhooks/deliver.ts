// The delivery job: one attempt of each of its WebhookDelivery rows. The rows decide everything (the job
// only carries ids and attempt numbers), so a duplicated, stale or replayed job is harmless:
// - not pending any more, or another attempt number: skip (someone else did it);
// - an earlier delivery of the same webhook and resource is still pending: skip; that one queues this
//   one when it finishes (ordered per resource);
// - otherwise POST (HALLEY_WEBHOOK_POSTS_PER_JOB of a batch at a time), then record the outcomes with one conditional
//   update, and queue either the next delivery of the resource (success / gave up) or the retry
//   (failure within the window).
// tenancy-file: system — the delivery worker sends queued WebhookDelivery rows by id; the dispatcher chose their tenant with canSee
import { streamableEventJson } from '../events/streamable';
import { dbPool } from '../db/client';
import { env } from '../env';
import { log } from '../log';
import { countWebhookAttempts } from '../metrics/series';
import { unseal } from '../secrets';
import { backoffMs } from './backoff';
import { unsealCustomHeaders } from './custom-headers';
import { enqueueDeliveries, type DeliveryRef } from './queue';
import { sendWebhook } from './send';
import { postponeMs, takeWebhookSlot, wakeWhenSlotsFree } from './webhook-slots';
import { allowPrivateTargets, allowPrivateTargetsNow } from '../net/private-targets';
import { apiMessage } from '../i18n/api-messages';
import { storedMessage } from '../i18n/stored-message';


// Both statements of a batch go straight to the pg pool (lib/db/client.ts dbPool): a batch is two fixed
// statements, and Prisma's query compiler plus its per-row result mapping were ~15 % of the worker's CPU
// (bench/README.md, webhooks). pg hands int8 out as text and reads timestamps without zone as local time, so
// ids are text and times are epoch milliseconds cast in SQL.
type Loaded = {
  id: string;
  status: string;
  attempts: number;
  kind: string;
  payload: unknown;
  eventId: string | null;
  resourceKey: string;
  webhookId: string;
  windowStartMs: number;
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
  eTs: number | null;
  blocked: boolean;
};

const LOAD_SQL = `
    SELECT d.id::text AS id, d.status, d.attempts, d.kind, d.payload, d."eventId"::text AS "eventId", d."resourceKey", d."webhookId",
           (extract(epoch FROM d."windowStartAt") * 1000)::float8 AS "windowStartMs",
           w.name, w.url, w."customHeaders", w.secret,
           e."tenantId" AS "eTenant", e.type AS "eType", e.actor AS "eActor", e."resourceId" AS "eResource", e.data::text AS "eData", e.timestamp::float8 AS "eTs",
           (d."resourceKey" <> '' AND d."eventId" IS NOT NULL AND EXISTS (
              SELECT 1 FROM "WebhookDelivery" p
              WHERE p."webhookId" = d."webhookId" AND p.status = 'pending' AND p."resourceKey" = d."resourceKey" AND p."eventId" < d."eventId"
           )) AS blocked
    FROM "WebhookDelivery" d
    JOIN "Webhook" w ON w.id = d."webhookId"
    LEFT JOIN "Event" e ON e.id = d."eventId"
    WHERE d.id = ANY($1::bigint[])`;

// Conditional on (status pending, same attempt count): a duplicate job that got here second changes
// nothing. The next delivery of each finished resource comes back from the same statement.
// `(status = 'pending') IS TRUE` is the same test, written so no index can serve it: the rows are found by id.
// When the table's statistics say few rows are pending (as before every burst), the planner otherwise
// looked them up through an index on status and read every pending row's entry per batch (125 ms instead of
// 5 ms for 100 rows with 21,000 pending; bench/README.md, webhooks).
const RECORD_SQL = `
    WITH u AS (
      SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::int[], $5::text[], $6::float8[], $7::text[])
        AS u(id, attempt, status, code, error, next_ms, reason)
    ), upd AS (
      UPDATE "WebhookDelivery" d SET status = u.status, attempts = d.attempts + 1, "responseCode" = u.code, "lastError" = u.error, "lastErrorMessage" = u.reason::jsonb,
             "lastAttemptAt" = now(), "nextAttemptAt" = CASE WHEN u.status = 'pending' THEN to_timestamp(u.next_ms / 1000.0) AT TIME ZONE 'UTC' ELSE d."nextAttemptAt" END,
             "deliveredAt" = CASE WHEN u.status = 'delivered' THEN now() ELSE d."deliveredAt" END, "updatedAt" = now()
      FROM u WHERE d.id = u.id AND (d.status = 'pending') IS TRUE AND d.attempts = u.attempt
      RETURNING d.id, d.status, d."webhookId", d."resourceKey", d."eventId"
    )
    SELECT upd.id::text AS id, upd.status, n.id::text AS "nextId", n.attempts AS "nextAttempts",
           (extract(epoch FROM n."nextAttemptAt") * 1000)::float8 AS "nextAtMs"
    FROM upd LEFT JOIN LATERAL (
      SELECT x.id, x.attempts, x."nextAttemptAt" FROM "WebhookDelivery" x
      WHERE upd.status <> 'pending' AND upd."resourceKey" <> '' AND upd."eventId" IS NOT NULL
        AND x."webhookId" = upd."webhookId" AND x.status = 'pending' AND x."resourceKey" = upd."resourceKey" AND x."eventId" > upd."eventId"
      ORDER BY x."eventId" LIMIT 1
    ) n ON true`;

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
  // The event exists (the LEFT JOIN found it), so its columns are set.
  return streamableEventJson({
    id: row.eventId ?? '',
    tenantId: row.eTenant ?? '',
    type: row.eType,
    actor: row.eActor ?? '',
    resourceId: row.eResource ?? '',
    timestamp: row.eTs ?? 0,
    data: row.eData,
  });
}

/** `reason`: the error as catalogue messages (JSON text for "lastErrorMessage", read in the reader's language), null on success. */
type Outcome = { row: Loaded; attempt: number; status: 'delivered' | 'pending' | 'failed'; code: number | null; error: string; reason: string | null; nextAt: Date; refused: boolean };

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
        deliveryId: row.id,
        webhookName: row.name,
        attempt: attempt + 1,
        allowPrivate,
        timeoutMs: config.HALLEY_WEBHOOK_TIMEOUT_MS,
      })
    : { ok: false, status: 0, error: 'the event is no longer in the outbox (retention)', reason: apiMessage('webhookEventGone') };
  const now = Date.now();
  const delay = backoffMs(attempt + 1, config.HALLEY_WEBHOOK_BACKOFF_BASE_MS, config.HALLEY_WEBHOOK_BACKOFF_MAX_MS);
  const windowEnd = row.windowStartMs + config.HALLEY_WEBHOOK_RETRY_WINDOW_SECONDS * 1000;
  const status = result.ok ? 'delivered' : body && now + delay <= windowEnd ? 'pending' : 'failed';
  if (status === 'failed') log.warn({ deliveryId: String(row.id), webhook: row.name, error: result.error }, 'webhook delivery failed for good (retry window over)');
  const reason = result.reason ? JSON.stringify(storedMessage([result.reason])) : null;
  return { row, attempt, status, code: result.status || null, error: result.error, reason, nextAt: new Date(now + delay), refused: result.refused === true };
}

/** `fn` over `items`, at most `limit` at once, results in the items' order. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  if (items.length <= limit) return Promise.all(items.map(fn));
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return out;
}

/**
 * Attempts the given deliveries (one job: a single delivery or a batch of one webhook's new ones), then
 * records every outcome and finds the next delivery of each finished resource in one statement.
 */
export async function deliverWebhooks(
  refs: Array<{ id: string; attempt: number }>,
  opts: { postpone?: (ms: number) => Promise<never>; promote?: () => Promise<unknown>; webhookId?: string } = {},
): Promise<Record<DeliverOutcome, number>> {
  // Over the share: postponed, and woken early once the webhook's slots go unused (lib/webhooks/webhook-slots.ts).
  // Registered once the job is delayed (postpone ends by throwing BullMQ's DelayedError): waking it earlier would fail.
  const postpone = (webhookId: string) => {
    const ms = postponeMs(webhookId);
    return opts.postpone!(ms).catch((err: unknown) => {
      if (opts.promote) wakeWhenSlotsFree(webhookId, opts.promote, ms);
      throw err;
    });
  };
  // A job holds deliveries of one webhook (lib/webhooks/queue.ts toJobs); over that webhook's share of this
  // process's slots, the job waits (same id, no attempt counted) instead of taking a slot from other webhooks.
  // When the job names its webhook, the slot is asked for before the rows are read: a webhook alone runs all slots
  // but one, so the last slot's job is postponed over and over during a burst (a third of the jobs in the
  // benchmark), and each of them used to read its 100 rows for nothing.
  let slot = opts.webhookId !== undefined ? takeWebhookSlot(opts.webhookId) : null;
  if (opts.webhookId !== undefined && !slot && opts.postpone) return postpone(opts.webhookId);
  let answered: boolean | null = null;
  try {
    const expected = new Map(refs.map((r) => [r.id, r.attempt]));
    const { rows } = await dbPool().query<Loaded>(LOAD_SQL, [refs.map((r) => r.id)]);
    const due = rows.filter((r) => r.status === 'pending' && r.attempts === expected.get(r.id) && !r.blocked);
    const counts: Record<DeliverOutcome, number> = { delivered: 0, retry: 0, failed: 0, skipped: refs.length - due.length };
    if (due.length === 0) return counts;

    // The rows decide: without the hint, or with one that does not match them, the slot is the rows' webhook's.
    const webhookId = due[0].webhookId;
    if (webhookId !== opts.webhookId) {
      slot?.release(null);
      slot = takeWebhookSlot(webhookId);
      // Called outside a worker (nothing to postpone with), the job simply runs.
      if (!slot && opts.postpone) return postpone(webhookId);
    }
    answered = false;
    const done = await attemptAndRecord(due, counts);
    answered = done.answered;
    return counts;
  } finally {
    slot?.release(answered);
  }
}

async function attemptAndRecord(due: Loaded[], counts: Record<DeliverOutcome, number>): Promise<{ answered: boolean }> {
  const allowPrivate = await allowPrivateTargets();
  const perJob = env().HALLEY_WEBHOOK_POSTS_PER_JOB;
  let outcomes = await mapLimited(due, perJob, (row) => attemptOne(row, row.attempts, allowPrivate));
  // Refused on the cached switch: read it again, and attempt those once more if it was switched on meanwhile
  // (switching it on takes effect at once on every node, as for every other outbound connection).
  if (!allowPrivate && outcomes.some((x) => x.refused) && (await allowPrivateTargetsNow())) {
    outcomes = await mapLimited(outcomes, perJob, (x) => (x.refused ? attemptOne(x.row, x.row.attempts, true) : Promise.resolve(x)));
  }
  const o = outcomes;
  const { rows: recorded } = await dbPool().query<{ id: string; status: string; nextId: string | null; nextAttempts: number | null; nextAtMs: number | null }>(RECORD_SQL, [
    o.map((x) => x.row.id),
    o.map((x) => x.attempt),
    o.map((x) => x.status),
    o.map((x) => x.code),
    o.map((x) => x.error),
    o.map((x) => x.nextAt.getTime()),
    o.map((x) => x.reason),
  ]);

  const byId = new Map(o.map((x) => [x.row.id, x]));
  const follow: DeliveryRef[] = [];
  for (const r of recorded) {
    const x = byId.get(r.id)!;
    if (r.status === 'pending') {
      counts.retry += 1;
      follow.push({ id: BigInt(r.id), attempts: x.attempt + 1, nextAttemptAt: x.nextAt, webhookId: x.row.webhookId });
    } else {
      counts[r.status === 'delivered' ? 'delivered' : 'failed'] += 1;
      if (r.nextId !== null) follow.push({ id: BigInt(r.nextId), attempts: r.nextAttempts ?? 0, nextAttemptAt: r.nextAtMs === null ? undefined : new Date(r.nextAtMs), webhookId: x.row.webhookId });
    }
  }
  counts.skipped += o.length - recorded.length; // another attempt recorded its outcome first
  countWebhookAttempts(counts);
  // The next deliveries of the finished resources go out as batches of their webhook, like the dispatcher's.
  await enqueueDeliveries(follow, { batch: env().HALLEY_WEBHOOK_BATCH });
  // "Answered": the receiver said anything over HTTP (even an error status), or the guard refused the target
  // (nothing was waited for). Only silence (time-outs, refused connections, DNS) marks a webhook as not answering.
  return { answered: o.some((x) => x.code !== null || x.refused || x.status === 'delivered') };
}
