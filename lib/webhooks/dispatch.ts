// tenancy-file: system — the outbox dispatcher reads every tenant's events and matches each to webhooks with canSee(tenantViewer(...))
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
//
// The batch runs on the pg pool (lib/db/client.ts dbPool), not Prisma's interactive transaction: five round
// trips (BEGIN; lock + cursor + webhooks; events; insert + first-in-line + cursor; COMMIT) instead of nine, no
// query compiler on arrays of 2,000 values. A burst starts with a small batch so the first deliveries are
// queued within milliseconds, and the batch doubles while the outbox has more (bench/README.md, webhooks).
import type pg from 'pg';
import { dbPool } from '../db/client';
import { env } from '../env';
import { log } from '../log';
import { tenantViewer } from '../tenancy/actor';
import { canSee } from '../tenancy/can-see';
import { enqueueDeliveries, type DeliveryRef } from './queue';

const CURSOR = 'webhooks';
/** pg_try_advisory_xact_lock key of the dispatcher ("halley-webhooks"). */
const LOCK_KEY = 0x48_57_48_4b_44_49_53n;
export const DISPATCH_BATCH = 2000;
/** The first batch of a burst: small, so delivery starts while the rest is still being dispatched. */
const FIRST_BATCH = 250;

type EventLite = { id: string; tenantId: string; type: number; resourceId: string; txid: string };
type WebhookLite = { id: string; tenantId: string; whiteListedEventTypes: number[]; sinceEventId: string };

export type DispatchResult = { locked: boolean; events: number; deliveries: number; more: boolean };

// pg hands int8 and xid8 out as text: ids stay strings here and are compared as BigInt.
const HEAD_SQL = `
    SELECT pg_try_advisory_xact_lock($1::bigint) AS locked, c.txid::text AS txid, c."eventId"::text AS "eventId",
           (SELECT COALESCE(json_agg(json_build_object('id', w.id, 'tenantId', w."tenantId", 'whiteListedEventTypes', w."whiteListedEventTypes", 'sinceEventId', w."sinceEventId"::text)), '[]')
            FROM "Webhook" w WHERE w.level <> 'none') AS webhooks
    FROM (SELECT 1) one LEFT JOIN "OutboxCursor" c ON c.name = $2`;

// Only when the migration's row was deleted by hand: start after what exists now.
const NEW_CURSOR_SQL = `
    INSERT INTO "OutboxCursor" (name, txid, "eventId", "updatedAt")
    VALUES ($1, pg_snapshot_xmin(pg_current_snapshot())::text::bigint, (SELECT COALESCE(MAX(id), 0) FROM "Event"), now())
    RETURNING txid::text AS txid, "eventId"::text AS "eventId"`;

const EVENTS_SQL = `
    SELECT id::text AS id, "tenantId", type, "resourceId", txid::text AS txid FROM "Event"
    WHERE (txid, id) > ($1::text::xid8, $2::bigint)
      AND txid < pg_snapshot_xmin(pg_current_snapshot())
    -- Qualified: a bare "txid" would sort by the text output column and skip the (txid, id) index.
    ORDER BY "Event".txid, "Event".id
    LIMIT $3`;

const CURSOR_SQL = `UPDATE "OutboxCursor" SET txid = $2::bigint, "eventId" = $3::bigint, "updatedAt" = now() WHERE name = $1`;

// The new rows, the cursor move, and whether an earlier delivery of the same webhook and resource was already
// pending (the statement's snapshot does not see its own inserts: earlier rows of this batch are checked in code).
const INSERT_SQL = `
    WITH ins AS (
      INSERT INTO "WebhookDelivery" ("webhookId", "tenantId", "eventId", "eventType", "resourceKey", "updatedAt")
      SELECT w, t, e, ty, k, now() FROM unnest($4::text[], $5::text[], $6::bigint[], $7::int[], $8::text[]) AS x(w, t, e, ty, k)
      ON CONFLICT ("webhookId", "eventId") DO NOTHING
      RETURNING id, "webhookId", "resourceKey", "eventId"
    ), cur AS (
      ${CURSOR_SQL} RETURNING 1
    )
    SELECT ins.id::text AS id, ins."webhookId", ins."resourceKey", ins."eventId"::text AS "eventId",
           (ins."resourceKey" <> '' AND EXISTS (
              SELECT 1 FROM "WebhookDelivery" p
              WHERE p."webhookId" = ins."webhookId" AND p.status = 'pending' AND p."resourceKey" = ins."resourceKey" AND p."eventId" < ins."eventId"
           )) AS blocked
    FROM ins`;

type Inserted = { id: string; webhookId: string; resourceKey: string; eventId: string; blocked: boolean };

/** First in line: no earlier pending delivery of the same webhook and resource, before this batch or in it. */
function firstInLine(rows: Inserted[]): DeliveryRef[] {
  const first = new Map<string, Inserted>();
  for (const r of rows) {
    if (r.resourceKey === '') continue;
    const key = `${r.webhookId}\u0000${r.resourceKey}`;
    const f = first.get(key);
    if (!f || BigInt(r.eventId) < BigInt(f.eventId)) first.set(key, r);
  }
  return rows
    .filter((r) => r.resourceKey === '' || (!r.blocked && first.get(`${r.webhookId}\u0000${r.resourceKey}`) === r))
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
    .map((r) => ({ id: BigInt(r.id), attempts: 0, webhookId: r.webhookId }));
}

/** One batch. Returns how many events and new deliveries it handled; `more` when it hit the batch size. */
export async function dispatchOnce(batch = DISPATCH_BATCH): Promise<DispatchResult> {
  const client = await dbPool().connect();
  let refs: DeliveryRef[] = [];
  let result: DispatchResult;
  try {
    await client.query('BEGIN');
    try {
      result = await dispatchIn(client, batch, (r) => (refs = r));
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    client.release();
  } catch (err) {
    client.release(err as Error);
    throw err;
  }
  await enqueueDeliveries(refs, { batch: env().HALLEY_WEBHOOK_BATCH });
  return result;
}


async function dispatchIn(client: pg.PoolClient, batch: number, queue: (refs: DeliveryRef[]) => void): Promise<DispatchResult> {
  const { rows: [head] } = await client.query<{ locked: boolean; txid: string | null; eventId: string | null; webhooks: WebhookLite[] }>(HEAD_SQL, [String(LOCK_KEY), CURSOR]);
  if (!head.locked) return { locked: false, events: 0, deliveries: 0, more: false };
  let cursor = { txid: head.txid, eventId: head.eventId };
  if (cursor.txid === null) cursor = (await client.query<{ txid: string; eventId: string }>(NEW_CURSOR_SQL, [CURSOR])).rows[0];
  const { rows: events } = await client.query<EventLite>(EVENTS_SQL, [cursor.txid, cursor.eventId, batch]);
  if (events.length === 0) return { locked: true, events: 0, deliveries: 0, more: false };

  const webhooks = head.webhooks.map((w) => ({ ...w, since: BigInt(w.sinceEventId) }));
  const cols = { webhookId: [] as string[], tenantId: [] as string[], eventId: [] as string[], type: [] as number[], key: [] as string[] };
  for (const e of events) {
    const id = BigInt(e.id);
    for (const w of webhooks) {
      if (!canSee(tenantViewer(w.tenantId), e.tenantId)) continue;
      if (id <= w.since) continue;
      if (w.whiteListedEventTypes.length && !w.whiteListedEventTypes.includes(e.type)) continue;
      cols.webhookId.push(w.id);
      cols.tenantId.push(w.tenantId);
      cols.eventId.push(e.id);
      cols.type.push(e.type);
      cols.key.push(e.resourceId);
    }
  }
  const last = events[events.length - 1];
  const cursorArgs = [CURSOR, last.txid, last.id];
  if (cols.webhookId.length) {
    const { rows } = await client.query<Inserted>(INSERT_SQL, [...cursorArgs, cols.webhookId, cols.tenantId, cols.eventId, cols.type, cols.key]);
    queue(firstInLine(rows));
  } else {
    await client.query(CURSOR_SQL, cursorArgs);
  }
  return { locked: true, events: events.length, deliveries: cols.webhookId.length, more: events.length === batch };
}

/** Dispatches until the outbox is drained (the loop in lib/webhooks/runtime.ts calls this on a timer). */
export async function dispatchAll(): Promise<number> {
  let total = 0;
  for (let size = FIRST_BATCH; ; size = Math.min(DISPATCH_BATCH, size * 2)) {
    const r = await dispatchOnce(size);
    total += r.events;
    if (!r.more) return total;
  }
}

export function logDispatchError(err: unknown): void {
  log.warn({ err: (err as Error).message }, 'webhook dispatch failed; retrying');
}
