// SEVT_DEVICE_LIVE_CONNECT / DISCONNECT and the lobby's events. Such an event is the only write of what
// causes it, so it needs no transaction of its own, and they come in bursts: thousands of devices leave
// together when a network link or a web node fails, and come back together. One INSERT per event (each
// in an interactive transaction, as before) queued thousands of Prisma calls at once: the disconnect
// storm of 19,500 devices took the web process to 1.1 GiB of RSS, and transactions that waited over 2 s
// for a pooled connection failed, losing their events. Rows are written like a group commit instead: one
// statement at a time; rows that arrive while it runs go into the next one. A statement takes at most
// MAX_ROWS rows: Prisma keeps the arguments of its last 100 calls (@prisma/debug's history, ~6 KB a row
// here), so bigger statements would keep more garbage alive after a storm.
import { db } from '../db/client';
import { eventRow, type EventInput } from '../events/emit';
import { log } from '../log';
import type { Actor } from '../tenancy/actor';

const MAX_ROWS = 50;

type Batch = { rows: Array<ReturnType<typeof eventRow>>; written: Promise<void>; resolve: () => void };

const waiting: Batch[] = [];
let writing = false;

function nextBatch(): Batch {
  let resolve!: () => void;
  const written = new Promise<void>((r) => (resolve = r));
  const batch: Batch = { rows: [], written, resolve };
  waiting.push(batch);
  return batch;
}

/** Records a device connection event; resolves once its row is written (never rejects: a failure is logged). */
export function recordConnectionEvent(actor: Actor, event: EventInput): Promise<void> {
  let batch = waiting[waiting.length - 1];
  if (!batch || batch.rows.length >= MAX_ROWS) batch = nextBatch();
  batch.rows.push(eventRow(actor, event));
  if (!writing) void writeBatches();
  return batch.written;
}

async function writeBatches(): Promise<void> {
  writing = true;
  try {
    for (let batch = waiting.shift(); batch; batch = waiting.shift()) {
      try {
        await db().event.createMany({ data: batch.rows });
      } catch (err) {
        log.warn({ err, events: batch.rows.length, type: batch.rows[0]?.type }, 'could not record device connection events');
      }
      batch.resolve();
    }
  } finally {
    writing = false;
  }
}
