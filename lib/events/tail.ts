// Follows the Event outbox from this process: one poller per process reads rows past the last id it
// saw and hands them to local subscribers (event-stream sockets). The table is the source of truth,
// so every web node sees every event without a broker, and a subscriber that fell behind can catch up
// from the table by id.
import { db } from '../db/client';
import { log } from '../log';
import type { EventRow } from './streamable';

type Subscriber = (rows: EventRow[]) => void;

const POLL_MS = 200;
const BATCH = 1000;
const subscribers = new Set<Subscriber>();
let lastId: bigint | undefined;
let timer: NodeJS.Timeout | undefined;
let polling = false;

async function poll(): Promise<void> {
  if (polling) return;
  polling = true;
  try {
    if (lastId === undefined) {
      const top = await db().event.aggregate({ _max: { id: true } });
      lastId = top._max.id ?? 0n;
    }
    for (;;) {
      const rows: EventRow[] = await db().event.findMany({ where: { id: { gt: lastId } }, orderBy: { id: 'asc' }, take: BATCH });
      if (rows.length === 0) break;
      lastId = rows[rows.length - 1].id;
      for (const s of subscribers) s(rows);
      if (rows.length < BATCH) break;
    }
  } catch (err) {
    log.warn({ err }, 'event tail poll failed; retrying');
  } finally {
    polling = false;
  }
}

/** The id the tail has delivered up to (after the first poll). */
export async function tailPosition(): Promise<bigint> {
  if (lastId === undefined) await poll();
  return lastId ?? 0n;
}

export function subscribe(fn: Subscriber): () => void {
  subscribers.add(fn);
  timer ??= setInterval(() => void poll(), POLL_MS);
  return () => {
    subscribers.delete(fn);
    if (subscribers.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
      lastId = undefined;
    }
  };
}
