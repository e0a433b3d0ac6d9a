// GET /api/v1/events/stream: Comet's live event stream over a websocket. After the upgrade the client
// sends five text frames (Username, AuthType, Password, SessionKey, TOTP; an empty frame for a value not
// given); the server answers "200 OK" or "403 Unauth" (and closes), then sends one StreamableEvent per
// frame, SEVT_META_HELLO first. `?allowList=4100,4200` filters by type. Halley additions: every event
// carries `EventID`, and `?since=<EventID>` first replays what the client missed (bounded): every event
// after that one in the stream's delivery order, which is (txid, id) order (see tail.ts), not id order.
// A tenant admin receives its tenant's events only; a top-level admin receives every tenant's.
// The stream lives only as long as its credentials: revoking or expiring its session key, deleting the
// admin, changing its permissions or organization (or its password, for a password sign-in) closes it
// with 1008 within a few seconds, on whichever node it is open (stream-revalidation.ts).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { authenticate } from '../../auth/authenticate';
import { normaliseAddress } from '../../auth/client-address';
import { StreamableEventType as SEVT } from '../../comet/constants';
import { db } from '../../db/client';
import { Prisma } from '../../generated/prisma/client';
import { log } from '../../log';
import { serverVersionInfo } from '../../meta/version';
import type { AdminActor } from '../../tenancy/actor';
import { wireOrganizationId } from '../../tenancy/actor';
import { canSee } from '../../tenancy/can-see';
import { tenantSql } from '../../tenancy/tenant-sql';
import { registerUpgrade } from './routes';
import { textFrame } from './text-frame';
import { streamWatchFor, watchStream } from '../../events/stream-revalidation';
import { streamableEventJson } from '../../events/streamable';
import { comparePositions, readTailRows, subscribe, TAIL_COLUMNS, tailPosition, type Position, type TailRow } from '../../events/tail';
import { compactJsonbText } from '../../json/jsonb-text';

export const EVENT_STREAM_PATH = '/api/v1/events/stream';
/** A client whose unsent data passes this is too slow: it is disconnected and should resume with ?since=. */
export const SLOW_CONSUMER_BYTES = 8 * 1024 * 1024;
/** How many missed events ?since= replays at most; older ones must be read through the API. */
export const MAX_REPLAY = 10_000;
const LOGIN_TIMEOUT_MS = 15_000;
const MAX_BIGINT = 2n ** 63n - 1n;
const LOGIN_FIELDS = ['Username', 'AuthType', 'Password', 'SessionKey', 'TOTP'] as const;

// The tail hands the same row objects (and the same batch array) to every subscriber. Each row is
// serialised and framed once, and each batch once per "view" (which rows a client may see: its tenant
// scope and allow list): every client with that view gets the same bytes in one socket write, instead of a
// JSON encoding, a frame header and a syscall per client and event (see bench/README.md, fan-out).
// Data arrives as PostgreSQL's JSON text and is spliced in, not parsed: compactJsonbText gives the bytes
// JSON.stringify of the parsed value gave, which is what clients have always received.
/** The event's JSON, the bytes of JSON.stringify of its StreamableEvent. */
function eventJson(row: TailRow): Buffer {
  return Buffer.from(streamableEventJson({ ...row, data: row.data === null ? null : compactJsonbText(row.data) }));
}
const encoded = new WeakMap<TailRow, Buffer>();
function encodeRow(row: TailRow): Buffer {
  let buf = encoded.get(row);
  if (!buf) {
    buf = eventJson(row);
    encoded.set(row, buf);
  }
  return buf;
}
const framed = new WeakMap<TailRow, Buffer>();
function frameRow(row: TailRow): Buffer {
  let buf = framed.get(row);
  if (!buf) {
    buf = textFrame(encoded.get(row) ?? eventJson(row));
    framed.set(row, buf);
  }
  return buf;
}
const batches = new WeakMap<TailRow[], Map<string, Buffer>>();
function frameBatch(rows: TailRow[], view: string, visible: (row: TailRow) => boolean): Buffer {
  let byView = batches.get(rows);
  if (!byView) batches.set(rows, (byView = new Map()));
  let buf = byView.get(view);
  if (!buf) {
    buf = Buffer.concat(rows.filter(visible).map(frameRow));
    byView.set(view, buf);
  }
  return buf;
}

function parseQuery(url: URL): { allow: Set<number> | null; since: bigint | null } {
  const allowRaw = url.searchParams.get('allowList');
  const allow = allowRaw
    ? new Set(
        allowRaw
          .split(',')
          .map((s) => Number(s.trim()))
          .filter((n) => Number.isInteger(n)),
      )
    : null;
  const sinceRaw = url.searchParams.get('since');
  const sinceValue = sinceRaw && /^\d{1,19}$/.test(sinceRaw) ? BigInt(sinceRaw) : null;
  const since = sinceValue === null ? null : sinceValue > MAX_BIGINT ? MAX_BIGINT : sinceValue;
  return { allow, since };
}

/** Collects the five login frames; resolves with them or null on timeout/close. */
function readLogin(ws: WebSocket): Promise<string[] | null> {
  return new Promise((resolve) => {
    const frames: string[] = [];
    const timer = setTimeout(() => done(null), LOGIN_TIMEOUT_MS);
    const onMessage = (data: Buffer, isBinary: boolean) => {
      frames.push(isBinary ? '' : data.toString('utf8'));
      if (frames.length === LOGIN_FIELDS.length) done(frames);
    };
    const onClose = () => done(null);
    function done(value: string[] | null) {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(value);
    }
    ws.on('message', onMessage);
    ws.on('close', onClose);
  });
}

async function serve(ws: WebSocket, req: IncomingMessage, socket: Duplex): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const { allow, since } = parseQuery(url);
  const frames = await readLogin(ws);
  if (!frames) return void ws.terminate();
  const form = new URLSearchParams();
  LOGIN_FIELDS.forEach((name, i) => {
    if (frames[i] !== '') form.set(name, frames[i]);
  });
  let actor: AdminActor;
  try {
    const resolved = await authenticate(form, 'admin', { ip: normaliseAddress(req.socket.remoteAddress ?? '') });
    if (resolved.kind !== 'admin') throw new Error('not an admin');
    actor = resolved;
  } catch {
    ws.send('403 Unauth');
    ws.close(1008, 'Unauthorized');
    return;
  }
  const unwatch = watchStream({ ...(await streamWatchFor(actor)), close: (reason) => ws.close(1008, reason) });
  ws.on('close', unwatch);
  if (ws.readyState !== ws.OPEN) return unwatch();
  ws.send('200 OK');

  const visible = (row: TailRow) => canSee(actor, row.tenantId) && (!allow || allow.has(row.type));
  // Everything canSee and the allow list look at: clients with the same view see the same rows.
  const view = `${actor.isTopLevel ? '*' : actor.tenantId}|${allow ? [...allow].sort((a, b) => a - b).join(',') : ''}`;
  // Raw frames go straight to the socket only when no extension (permessage-deflate) was negotiated; `ws`
  // writes every frame synchronously then, so ours never interleave with its own (pings, close).
  const raw = ws.extensions === '';
  // Rows go out in (txid, id) order (see tail.ts); sentUpTo is the position this client has been served up to.
  let sentUpTo: Position = { txid: 0n, id: 0n };
  let backlog: TailRow[] | null = []; // live rows that arrive while the replay runs
  const tooSlow = () => {
    if (ws.bufferedAmount <= SLOW_CONSUMER_BYTES) return false;
    log.warn({ admin: actor.username }, 'event stream consumer too slow; disconnecting');
    ws.close(1013, 'Too slow: reconnect and resume with ?since=<EventID>');
    return true;
  };
  const send = (rows: TailRow[]) => {
    if (rows.length === 0 || ws.readyState !== ws.OPEN) return;
    if (raw && comparePositions(rows[0], sentUpTo) > 0) {
      // The live case: the whole batch is new to this client (rows are in delivery order).
      if (tooSlow()) return;
      sentUpTo = rows[rows.length - 1];
      const bytes = frameBatch(rows, view, visible);
      if (bytes.length) socket.write(bytes);
      return;
    }
    for (const row of rows) {
      if (ws.readyState !== ws.OPEN) return;
      if (comparePositions(row, sentUpTo) <= 0) continue;
      sentUpTo = row;
      if (!visible(row)) continue;
      if (tooSlow()) return;
      if (raw) socket.write(frameRow(row));
      else ws.send(encodeRow(row), { binary: false });
    }
  };
  const unsubscribe = subscribe((rows) => (backlog ? backlog.push(...rows) : send(rows)));
  ws.on('close', unsubscribe);

  const hello = {
    Actor: '',
    OwnerOrganizationID: wireOrganizationId(actor.tenantId),
    ResourceID: '',
    Type: SEVT.SEVT_META_HELLO,
    Timestamp: Math.floor(Date.now() / 1000),
    TypeString: 'SEVT_META_HELLO',
    Data: await serverVersionInfo(actor),
  };
  ws.send(JSON.stringify(hello));

  // Everything at or before the tail's position is final; the tail hands this client everything after it.
  const position = await tailPosition();
  let resumeAt: Position | undefined;
  if (since !== null) {
    // ?since=<EventID> resumes after that event's place in the delivery order, (txid, id), not after its id:
    // an event with a lower id that committed late was delivered after it and is replayed; one with a higher
    // id delivered before it is not. An EventID that is not (or no longer) in the outbox, or is another
    // tenant's, resumes by id: every event with a greater EventID.
    const scope = Prisma.sql`AND ${tenantSql(actor)}`;
    const types = allow ? Prisma.sql`AND type = ANY(${[...allow]}::int[])` : Prisma.empty;
    [resumeAt] = await db().$queryRaw<Position[]>`SELECT txid::text::bigint AS txid, id FROM "Event" WHERE id = ${since} ${scope}`;
    const after = resumeAt ? Prisma.sql`(txid, id) > (${resumeAt.txid}::text::xid8, ${resumeAt.id}::bigint)` : Prisma.sql`id > ${since}`;
    const missed = await readTailRows(Prisma.sql`
      SELECT ${TAIL_COLUMNS} FROM "Event"
      WHERE ${after} AND (txid, id) <= (${position.txid}::text::xid8, ${position.id}::bigint) ${scope} ${types}
      ORDER BY "Event".txid DESC, "Event".id DESC
      LIMIT ${MAX_REPLAY}`);
    send(missed.reverse());
  }
  // Live rows continue after the replay, the tail's position and the resume point (which is ahead of this
  // node's tail when the client last saw an event through a node that polled sooner), whichever is latest.
  for (const p of [position, resumeAt]) if (p && comparePositions(p, sentUpTo) > 0) sentUpTo = p;
  const pending = backlog;
  backlog = null;
  send(pending);
}

let streams: WebSocketServer | undefined;

export function registerEventStream(): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  streams = wss;
  registerUpgrade(EVENT_STREAM_PATH, (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      serve(ws, req, socket).catch((err) => {
        log.error({ err }, 'event stream failed');
        ws.terminate();
      });
    });
  });
}

/** At shutdown: close every event-stream client with 1012 (service restart), so it reconnects through the
 * balancer to another node and resumes with ?since=<EventID>. */
export function stopEventStreams(): void {
  for (const ws of streams?.clients ?? []) ws.close(1012, 'Server restarting');
}
