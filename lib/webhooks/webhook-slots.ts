// Per-webhook share of one workers process's delivery slots (HALLEY_WEBHOOK_CONCURRENCY jobs at once).
// Without it, one receiver that accepts connections and never answers holds a slot per attempt for
// HALLEY_WEBHOOK_TIMEOUT_MS, and a handful of its retries stall every other tenant's webhooks. So a webhook runs at
// most:
// - one job, when its last attempts all failed without an HTTP answer (time-out, refused connection, DNS), until it
//   answers again;
// - half the slots while other webhooks were also busy in this process in the last few seconds;
// - all slots but one otherwise (one is always left for a webhook that turns up), so a single busy receiver
//   keeps almost the full throughput;
// or HALLEY_WEBHOOK_PER_TARGET_JOBS when set. A job over its webhook's share is postponed (BullMQ moves it back to
// delayed with the same id, no attempt counted), never dropped. The state is per process on purpose: it protects
// this process's slots, needs no round trip to Redis per job, and N workers processes give a webhook N shares.
import { env } from '../env';

/** How long a webhook stays "not answering" after its last attempt without an HTTP answer. */
const SILENT_FOR_MS = 60_000;
/** Other webhooks that asked for a slot this recently make the process "shared": each gets half. */
const CONTENDED_MS = 5_000;

const running = new Map<string, number>();
const silentUntil = new Map<string, number>();
const lastAsked = new Map<string, number>();

function othersBusy(webhookId: string, now: number): boolean {
  for (const [id, at] of lastAsked) {
    if (now - at > CONTENDED_MS) lastAsked.delete(id);
    else if (id !== webhookId) return true;
  }
  return false;
}

/** Jobs of one webhook allowed at once in this process. */
export function webhookShare(webhookId: string, now = Date.now()): number {
  const until = silentUntil.get(webhookId);
  if (until !== undefined && until > now) return 1;
  if (until !== undefined) silentUntil.delete(webhookId);
  const { HALLEY_WEBHOOK_CONCURRENCY: slots, HALLEY_WEBHOOK_PER_TARGET_JOBS: fixed } = env();
  if (fixed !== undefined) return Math.min(fixed, slots);
  return Math.max(1, othersBusy(webhookId, now) ? Math.ceil(slots / 2) : slots - 1);
}

/**
 * Takes one of the webhook's slots, or answers null when the webhook already runs its share (the caller
 * postpones the job). `release(answered)` gives the slot back; `answered` says whether any attempt of the job
 * got an HTTP answer (false marks the webhook as not answering; null: the job attempted nothing, which says nothing).
 */
export function takeWebhookSlot(webhookId: string): { release: (answered: boolean | null) => void } | null {
  const now = Date.now();
  lastAsked.set(webhookId, now);
  const busy = running.get(webhookId) ?? 0;
  if (busy >= webhookShare(webhookId, now)) return null;
  running.set(webhookId, busy + 1);
  let released = false;
  return {
    release(answered: boolean | null) {
      if (released) return;
      released = true;
      const left = (running.get(webhookId) ?? 1) - 1;
      if (left > 0) running.set(webhookId, left);
      else running.delete(webhookId);
      if (answered !== null) {
        if (answered) silentUntil.delete(webhookId);
        else silentUntil.set(webhookId, Date.now() + SILENT_FOR_MS);
        // Bounded: a long-running process sees many webhooks come and go.
        if (silentUntil.size > 10_000) for (const [id, t] of silentUntil) if (t <= Date.now()) silentUntil.delete(id);
      }
      wakeSleepers(webhookId, left);
    },
  };
}

// Jobs postponed for being over their webhook's share, oldest first, each until its delay would have ended anyway.
// While the webhook's queue keeps its slots busy, every freed slot is taken again at once; once at least two of its
// slots stay free (the end of a burst: nothing else of it is waiting), its postponed jobs are moved back to the queue
// instead of sitting out their delay (0.5-1.5 s; the last second of a burst in bench/README.md, webhooks). A woken
// job asks for a slot like any other and is postponed again if it is over the share by then.
// Bounded: at most MAX_SLEEPERS per webhook (beyond that, jobs sit out their delay as before), and the lists of
// webhooks that no slot is released for any more (deleted, silent) are swept once their delays are over.
const MAX_SLEEPERS = 1_000;
const SWEEP_MS = 10_000;
const sleepers = new Map<string, Array<{ wake: () => Promise<unknown>; until: number }>>();
let sweptAt = 0;

/** Registers how to wake a job of the webhook that is being postponed for `ms` (see above). */
export function wakeWhenSlotsFree(webhookId: string, wake: () => Promise<unknown>, ms: number): void {
  const now = Date.now();
  if (now - sweptAt > SWEEP_MS) {
    sweptAt = now;
    for (const [id, l] of sleepers) {
      const left = l.filter((s) => s.until > now);
      if (left.length > 0) sleepers.set(id, left);
      else sleepers.delete(id);
    }
  }
  let list = sleepers.get(webhookId);
  if (!list) sleepers.set(webhookId, (list = []));
  while (list.length > 0 && (list[0].until <= now || list.length >= MAX_SLEEPERS)) list.shift();
  list.push({ wake, until: now + ms });
}

function wakeSleepers(webhookId: string, running: number): void {
  const list = sleepers.get(webhookId);
  if (!list) return;
  const now = Date.now();
  let free = webhookShare(webhookId, now) - running - 1;
  while (free > 0 && list.length > 0) {
    const s = list.shift()!;
    if (s.until <= now) continue;
    free -= 1;
    // Best effort: a job that is no longer postponed (its delay ended, another node took it) cannot be woken.
    s.wake().catch(() => undefined);
  }
  if (list.length === 0) sleepers.delete(webhookId);
}

/**
 * How long a postponed job waits before it asks again, jittered so postponed jobs don't move in step. A webhook
 * that is not answering holds its one slot for up to a time-out, so its jobs wait about that long instead of
 * asking every second.
 */
export function postponeMs(webhookId: string): number {
  const jitter = Math.floor(Math.random() * 1000);
  const until = silentUntil.get(webhookId);
  return until !== undefined && until > Date.now() ? Math.max(1000, env().HALLEY_WEBHOOK_TIMEOUT_MS) + jitter : 500 + jitter;
}
