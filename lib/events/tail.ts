// Follows the Event outbox from this process: one poller per process reads the rows past its cursor and
// hands them to local subscribers (event-stream sockets). The table is the source of truth, so every web
// node sees every event without a broker, and a subscriber that fell behind catches up from the table.
//
// The cursor is a (txid, id) position, not an id, for the reason lib/webhooks/dispatch.ts gives: ids are
// taken at insert but become visible at commit, so id 11 can be visible before id 10, and "id > last" would
// skip 10 for good. The tail only reads rows whose writing transaction is older than every transaction
// still running (txid < pg_snapshot_xmin): that set is final (those transactions have committed or rolled
// back), so nothing can ever appear behind the cursor. Rows come out in (txid, id) order, the same on every
// node and in ?since= replays. The cost: an event waits until every write transaction that started before
// it has finished (normally milliseconds; a long write transaction anywhere on the server delays the stream).
//
// One query per poll: an index range scan of Event_txid_id_idx from the cursor up to the horizon (readTailRows).
// tenancy-file: system — one tail per node reads every event; each stream filters what it sends with canSee
import pg from 'pg';
import { dbPool } from '../db/client';
import { env } from '../env';
import { Prisma } from '../generated/prisma/client';
import { log } from '../log';
import { countTailPoll } from '../metrics/series';
import type { EventFields } from './streamable';

/** A place in the outbox's delivery order. */
export type Position = { txid: bigint; id: bigint };
/**
 * An outbox row as the tail delivers it: its StreamableEvent's fields (Data as PostgreSQL's JSON text) plus its
 * writing transaction, i.e. its position.
 */
export type TailRow = EventFields & { id: bigint; txid: bigint; timestamp: bigint };

type Subscriber = (rows: TailRow[]) => void;

const POLL_MS = 200;
const BATCH = 1000;
const subscribers = new Set<Subscriber>();
let cursor: Position | undefined;
/** Bumped when the last subscriber leaves: a poll that started before must not set the cursor after. */
let generation = 0;
let timer: NodeJS.Timeout | undefined;
let inflight: Promise<void> | undefined;
/** A notification came during a poll (which may have read before those rows committed): poll again after it. */
let rerun = false;
// Prompt delivery: a statement-level trigger on "Event" notifies channel halley_event (one notification per
// transaction: PostgreSQL folds identical ones), delivered at commit to every node's tail, which LISTENs on a
// connection of its own while it has subscribers and polls at once instead of at its next tick (up to POLL_MS
// later; bench/README.md, fan-out). Correctness never depends on it: a notification may be lost (reconnect, a
// transaction-mode pooler that cannot LISTEN) or come before the rows are final (an older transaction still
// runs); the poll every POLL_MS reads them then.
const CHANNEL = 'halley_event';
const RELISTEN_MS = 1000;
let listener: pg.Client | undefined;
let relisten: NodeJS.Timeout | undefined;

/** <0, 0, >0 as a is before, at, after b in delivery order. */
export function comparePositions(a: Position, b: Position): number {
  if (a.txid !== b.txid) return a.txid < b.txid ? -1 : 1;
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}

/**
 * The columns of TailRow, for raw queries on "Event" that feed the stream (run them with readTailRows). Their
 * ORDER BY must say "Event".txid: a bare `txid` would mean this bigint output column, which no index is sorted by.
 */
export const TAIL_COLUMNS = Prisma.raw(`id, "tenantId", type, actor, "resourceId", data::text AS data, timestamp, txid::text::bigint AS txid`);

const INT8_OID = 20;
/** int8 (id, timestamp, txid) as bigint, exact; everything else as pg parses it (data is text: no JSON parse). */
const TAIL_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (v: string) => BigInt(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * Runs a statement that selects TAIL_COLUMNS on the pg pool (lib/db/client.ts dbPool): no query compiler and no
 * result mapping per row, and Data comes as PostgreSQL's JSON text, which the stream splices into its frames
 * without parsing it (bench/README.md, fan-out).
 */
export async function readTailRows(query: Prisma.Sql): Promise<TailRow[]> {
  const { rows } = await dbPool().query<TailRow>({ text: query.text, values: query.values, types: TAIL_TYPES });
  return rows;
}

async function run(): Promise<void> {
  const gen = generation;
  countTailPoll();
  try {
    if (cursor === undefined) {
      // Start at the horizon: every row below it is final and is "before"; every row at or above it is "after".
      const { rows: [h] } = await dbPool().query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
      if (gen !== generation) return;
      cursor ??= { txid: BigInt(h.xmin), id: 0n };
    }
    for (;;) {
      if (gen !== generation || cursor === undefined) return;
      const from: Position = cursor;
      const rows = await readTailRows(Prisma.sql`
        SELECT ${TAIL_COLUMNS} FROM "Event"
        WHERE (txid, id) > (${from.txid}::text::xid8, ${from.id}::bigint) AND txid < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY "Event".txid, "Event".id
        LIMIT ${BATCH}`);
      if (gen !== generation || rows.length === 0) return;
      const last = rows[rows.length - 1];
      cursor = { txid: last.txid, id: last.id };
      for (const s of subscribers) {
        try {
          s(rows);
        } catch (err) {
          log.warn({ err }, 'event tail subscriber failed');
        }
      }
      if (rows.length < BATCH) return;
    }
  } catch (err) {
    log.warn({ err }, 'event tail poll failed; retrying');
  }
}

/** One poll at a time; a caller that arrives during a poll waits for that one. */
function poll(): Promise<void> {
  inflight ??= run().finally(() => {
    inflight = undefined;
    if (rerun) {
      rerun = false;
      if (subscribers.size > 0) void poll();
    }
  });
  return inflight;
}

/** New rows committed somewhere: read them now (or right after the poll under way). */
function wake(): void {
  if (subscribers.size === 0) return;
  if (inflight) rerun = true;
  else void poll();
}

/** LISTENs for the outbox trigger's notifications on a connection of its own, reconnecting while there are subscribers. */
function listen(): void {
  const client = new pg.Client({ connectionString: env().DATABASE_URL });
  listener = client;
  const lost = (err?: Error) => {
    if (listener !== client) return;
    listener = undefined;
    if (err) log.warn({ err }, 'event tail lost its LISTEN connection; polling only until it is back');
    void client.end().catch(() => undefined);
    if (subscribers.size > 0 && !relisten) {
      relisten = setTimeout(() => {
        relisten = undefined;
        if (subscribers.size > 0 && !listener) listen();
      }, RELISTEN_MS);
      relisten.unref();
    }
  };
  client.on('notification', wake);
  client.on('error', lost);
  client.on('end', () => lost());
  client
    .connect()
    .then(() => client.query(`LISTEN ${CHANNEL}`))
    // Rows that committed while the connection was being set up had nobody to notify.
    .then(() => listener === client && wake())
    .catch(lost);
}

function unlisten(): void {
  if (relisten) clearTimeout(relisten);
  relisten = undefined;
  const client = listener;
  listener = undefined;
  void client?.end().catch(() => undefined);
}

/**
 * The position the tail has delivered up to: every row at or before it is final and was handed to the
 * subscribers of that time (or predates the tail's start); every later row will be handed to subscribers.
 */
export async function tailPosition(): Promise<Position> {
  if (cursor === undefined) await poll();
  if (cursor === undefined) await poll(); // the first attempt may have been a poll that a reset discarded
  if (cursor === undefined) throw new Error('the event tail cannot read the outbox');
  return cursor;
}

/** Local subscribers (event-stream clients of this process). */
export const subscriberCount = (): number => subscribers.size;

export function subscribe(fn: Subscriber): () => void {
  subscribers.add(fn);
  timer ??= setInterval(() => void poll(), POLL_MS);
  if (!listener && !relisten) listen();
  return () => {
    subscribers.delete(fn);
    if (subscribers.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
      unlisten();
      cursor = undefined;
      generation += 1;
    }
  };
}
