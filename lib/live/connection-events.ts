// SEVT_DEVICE_LIVE_CONNECT / DISCONNECT and the lobby's events. Such an event is the only write of what
// causes it, so it needs no transaction of its own, and they come in bursts: thousands of devices leave
// together when a network link or a web node fails, and come back together. One INSERT per event (each
// in an interactive transaction, as before) queued thousands of Prisma calls at once: the disconnect
// storm of 19,500 devices took the web process to 1.1 GiB of RSS, and transactions that waited over 2 s
// for a pooled connection failed, losing their events. Rows are written like a group commit instead: one
// statement at a time; rows that arrive while it runs go into the next one (at most MAX_ROWS). The statement
// is one fixed INSERT ... SELECT FROM unnest(...) on the pg pool: Prisma's createMany of 50 rows cost the
// web node ~12 ms of CPU each (query compiler and interpreter), most of Prisma's share of a reconnect storm
// (bench/README.md, issue 15), and kept its last 100 calls' arguments alive.
import { dbPool } from '../db/client';
import { eventRow, type EventInput } from '../events/emit';
import { groupCommit } from '../queue/group-commit';
import { log } from '../log';
import type { Actor } from '../tenancy/actor';

const MAX_ROWS = 500;

/** Records a device connection event; resolves once its row is written (never rejects: a failure is logged). */
export function recordConnectionEvent(actor: Actor, event: EventInput): Promise<void> {
  return recordRow(eventRow(actor, event));
}

// tenancy: derived — each row carries the tenant of the device or lobby connection it records
const INSERT_EVENTS_SQL = `INSERT INTO "Event" ("tenantId", "type", "actor", "resourceId", "data", "timestamp")
  SELECT * FROM unnest($1::text[], $2::int4[], $3::text[], $4::text[], $5::jsonb[], $6::int8[])`;

function insertEvents(rows: Array<ReturnType<typeof eventRow>>): Promise<unknown> {
  return dbPool().query(INSERT_EVENTS_SQL, [
    rows.map((r) => r.tenantId),
    rows.map((r) => r.type),
    rows.map((r) => r.actor),
    rows.map((r) => r.resourceId),
    rows.map((r) => (r.data === undefined ? null : JSON.stringify(r.data))),
    rows.map((r) => String(r.timestamp)),
  ]);
}

const recordRow = groupCommit<ReturnType<typeof eventRow>, void>(
  MAX_ROWS,
  async (rows) => {
    await insertEvents(rows);
  },
  (err, rows) => log.warn({ err, events: rows.length, type: rows[0]?.type }, 'could not record device connection events'),
);
