// The webhook dispatcher: reads the Event outbox (the source of truth) past its persisted cursor, creates
// one WebhookDelivery row per matching webhook (idempotent on (webhookId, eventId)) and moves the cursor,
// all in one transaction; then queues the deliveries that are first in line for their resource.
//
// Why the cursor is (txid, id) and not just the id: ids are taken when a row is inserted, but become
// visible when its transaction commits, so id 11 can be visible before id 10. Reading "id > last" would
// then skip 10 for good. Instead the dispatcher only reads rows whose writing transaction is older than
// every transaction still running (txid < pg_snapshot_xmin): that set never grows behind the cursor.
// Events are thus taken in (txid, id) order, which is commit order as far as it matters.
//
// One dispatcher runs at a time across all workers nodes (transaction-level advisory lock); a node that
// dies mid-batch rolls its batch back, and the next one starts from the same cursor.
// tenancy-file: system — the outbox dispatcher reads every tenant's events and matches each to webhooks with canSee(tenantViewer(...))
import { db } from '../db/client';
import { env } from '../env';
import { log } from '../log';
import { tenantViewer } from '../tenancy/actor';
import { canSee } from '../tenancy/can-see';
import { enqueueDeliveries, type DeliveryRef } from './queue';

const CURSOR = 'webhooks';
/** pg_try_advisory_xact_lock key of the dispatcher ("halley-webhooks"). */
const LOCK_KEY = 0x48_57_48_4b_44_49_53n;
export const DISPATCH_BATCH = 2000;

type EventLite = { id: bigint; tenantId: string; type: number; resourceId: string; txid: bigint };
type WebhookLite = { id: string; tenantId: string; whiteListedEventTypes: number[]; sinceEventId: bigint };

export type DispatchResult = { locked: boolean; events: number; deliveries: number; more: boolean };

/** One batch. Returns how many events and new deliveries it handled; `more` when it hit the batch size. */
export async function dispatchOnce(batch = DISPATCH_BATCH): Promise<DispatchResult> {
  const result = await db().$transaction(
    async (tx) => {
      const [{ locked }] = await tx.$queryRaw<Array<{ locked: boolean }>>`SELECT pg_try_advisory_xact_lock(${LOCK_KEY}) AS locked`;
      if (!locked) return { locked: false, events: 0, deliveries: 0, more: false, refs: [] as DeliveryRef[] };
      let [cursor] = await tx.$queryRaw<Array<{ txid: bigint; eventId: bigint }>>`
        SELECT txid, "eventId" FROM "OutboxCursor" WHERE name = ${CURSOR}`;
      if (!cursor) {
        // Only when the migration's row was deleted by hand: start after what exists now.
        [cursor] = await tx.$queryRaw<Array<{ txid: bigint; eventId: bigint }>>`
          INSERT INTO "OutboxCursor" (name, txid, "eventId", "updatedAt")
          VALUES (${CURSOR}, pg_snapshot_xmin(pg_current_snapshot())::text::bigint, (SELECT COALESCE(MAX(id), 0) FROM "Event"), now())
          RETURNING txid, "eventId"`;
      }
      const events = await tx.$queryRaw<EventLite[]>`
        SELECT id, "tenantId", type, "resourceId", txid::text::bigint AS txid FROM "Event"
        WHERE (txid, id) > (${cursor.txid}::text::xid8, ${cursor.eventId}::bigint)
          AND txid < pg_snapshot_xmin(pg_current_snapshot())
        -- Qualified: a bare "txid" would sort by the bigint output column and skip the (txid, id) index.
        ORDER BY "Event".txid, "Event".id
        LIMIT ${batch}`;
      if (events.length === 0) return { locked: true, events: 0, deliveries: 0, more: false, refs: [] as DeliveryRef[] };

      const webhooks = await tx.$queryRaw<WebhookLite[]>`
        SELECT id, "tenantId", "whiteListedEventTypes", "sinceEventId" FROM "Webhook" WHERE level <> 'none'`;
      const cols = { webhookId: [] as string[], tenantId: [] as string[], eventId: [] as bigint[], type: [] as number[], key: [] as string[] };
      for (const e of events) {
        for (const w of webhooks) {
          if (!canSee(tenantViewer(w.tenantId), e.tenantId)) continue;
          if (e.id <= w.sinceEventId) continue;
          if (w.whiteListedEventTypes.length && !w.whiteListedEventTypes.includes(e.type)) continue;
          cols.webhookId.push(w.id);
          cols.tenantId.push(w.tenantId);
          cols.eventId.push(e.id);
          cols.type.push(e.type);
          cols.key.push(e.resourceId);
        }
      }
      let refs: DeliveryRef[] = [];
      if (cols.webhookId.length) {
        const inserted = await tx.$queryRaw<Array<{ id: bigint }>>`
          INSERT INTO "WebhookDelivery" ("webhookId", "tenantId", "eventId", "eventType", "resourceKey", "updatedAt")
          SELECT w, t, e, ty, k, now() FROM unnest(${cols.webhookId}::text[], ${cols.tenantId}::text[], ${cols.eventId}::bigint[], ${cols.type}::int[], ${cols.key}::text[]) AS x(w, t, e, ty, k)
          ON CONFLICT ("webhookId", "eventId") DO NOTHING
          RETURNING id`;
        if (inserted.length) {
          // First in line: no earlier pending delivery of the same webhook and resource.
          refs = await tx.$queryRaw<DeliveryRef[]>`
            SELECT d.id, d.attempts, d."webhookId" FROM "WebhookDelivery" d
            WHERE d.id = ANY(${inserted.map((r) => r.id)}::bigint[])
              AND (d."resourceKey" = '' OR NOT EXISTS (
                SELECT 1 FROM "WebhookDelivery" p
                WHERE p."webhookId" = d."webhookId" AND p.status = 'pending' AND p."resourceKey" = d."resourceKey" AND p."eventId" < d."eventId"))
            ORDER BY d.id`;
        }
      }
      const last = events[events.length - 1];
      await tx.$executeRaw`UPDATE "OutboxCursor" SET txid = ${last.txid}, "eventId" = ${last.id}, "updatedAt" = now() WHERE name = ${CURSOR}`;
      return { locked: true, events: events.length, deliveries: cols.webhookId.length, more: events.length === batch, refs };
    },
    { timeout: 60_000 },
  );
  await enqueueDeliveries(result.refs, { batch: env().HALLEY_WEBHOOK_BATCH });
  return { locked: result.locked, events: result.events, deliveries: result.deliveries, more: result.more };
}

/** Dispatches until the outbox is drained (the loop in lib/webhooks/runtime.ts calls this on a timer). */
export async function dispatchAll(): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await dispatchOnce();
    total += r.events;
    if (!r.more) return total;
  }
}

export function logDispatchError(err: unknown): void {
  log.warn({ err: (err as Error).message }, 'webhook dispatch failed; retrying');
}
