// GET /api/v1/events/stream: Comet's live event stream over a websocket. After the upgrade the client
// sends five text frames (Username, AuthType, Password, SessionKey, TOTP; an empty frame for a value not
// given); the server answers "200 OK" or "403 Unauth" (and closes), then sends one StreamableEvent per
// frame, SEVT_META_HELLO first. `?allowList=4100,4200` filters by type. Halley additions: every event
// carries `EventID`, and `?since=<EventID>` first replays what the client missed (bounded).
// A tenant admin receives its tenant's events only; a top-level admin receives every tenant's.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { authenticate } from '../auth/authenticate';
import { normaliseAddress } from '../auth/client-address';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { log } from '../log';
import { serverVersionInfo } from '../meta/version';
import type { AdminActor } from '../tenancy/actor';
import { wireOrganizationId } from '../tenancy/actor';
import { registerUpgrade } from '../ws/routes';
import { streamableEvent, type EventRow } from './streamable';
import { subscribe, tailPosition } from './tail';

export const EVENT_STREAM_PATH = '/api/v1/events/stream';
/** A client whose unsent data passes this is too slow: it is disconnected and should resume with ?since=. */
export const SLOW_CONSUMER_BYTES = 8 * 1024 * 1024;
/** How many missed events ?since= replays at most; older ones must be read through the API. */
export const MAX_REPLAY = 10_000;
const LOGIN_TIMEOUT_MS = 15_000;
const LOGIN_FIELDS = ['Username', 'AuthType', 'Password', 'SessionKey', 'TOTP'] as const;

// The tail hands the same row objects to every subscriber: serialise each row once, not once per client
// (with 1,000 clients that is most of the fan-out's cost; see bench/README.md).
const encoded = new WeakMap<EventRow, Buffer>();
function encodeRow(row: EventRow): Buffer {
  let buf = encoded.get(row);
  if (!buf) {
    buf = Buffer.from(JSON.stringify(streamableEvent(row)));
    encoded.set(row, buf);
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
  const since = sinceRaw && /^\d{1,19}$/.test(sinceRaw) ? BigInt(sinceRaw) : null;
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

async function serve(ws: WebSocket, req: IncomingMessage): Promise<void> {
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
  ws.send('200 OK');

  const visible = (row: EventRow) => (actor.isTopLevel || row.tenantId === actor.tenantId) && (!allow || allow.has(row.type));
  let sentUpTo = 0n;
  let backlog: EventRow[] | null = []; // live rows that arrive while the replay runs
  const send = (rows: EventRow[]) => {
    for (const row of rows) {
      if (row.id <= sentUpTo) continue;
      sentUpTo = row.id;
      if (!visible(row)) continue;
      if (ws.bufferedAmount > SLOW_CONSUMER_BYTES) {
        log.warn({ admin: actor.username }, 'event stream consumer too slow; disconnecting');
        ws.close(1013, 'Too slow: reconnect and resume with ?since=<EventID>');
        return;
      }
      ws.send(encodeRow(row), { binary: false });
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

  const position = await tailPosition();
  if (since !== null && since < position) {
    const scope = actor.isTopLevel ? {} : { tenantId: actor.tenantId };
    const missed = await db().event.findMany({
      where: { id: { gt: since, lte: position }, ...scope, ...(allow ? { type: { in: [...allow] } } : {}) },
      orderBy: { id: 'desc' },
      take: MAX_REPLAY,
    });
    send(missed.reverse());
  }
  sentUpTo = sentUpTo > position ? sentUpTo : position;
  const pending = backlog;
  backlog = null;
  send(pending);
}

export function registerEventStream(): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  registerUpgrade(EVENT_STREAM_PATH, (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      serve(ws, req).catch((err) => {
        log.error({ err }, 'event stream failed');
        ws.terminate();
      });
    });
  });
}
