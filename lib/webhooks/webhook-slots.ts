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
 * got an HTTP answer (false marks the webhook as not answering).
 */
export function takeWebhookSlot(webhookId: string): { release: (answered: boolean) => void } | null {
  const now = Date.now();
  lastAsked.set(webhookId, now);
  const busy = running.get(webhookId) ?? 0;
  if (busy >= webhookShare(webhookId, now)) return null;
  running.set(webhookId, busy + 1);
  let released = false;
  return {
    release(answered: boolean) {
      if (released) return;
      released = true;
      const left = (running.get(webhookId) ?? 1) - 1;
      if (left > 0) running.set(webhookId, left);
      else running.delete(webhookId);
      if (answered) silentUntil.delete(webhookId);
      else silentUntil.set(webhookId, Date.now() + SILENT_FOR_MS);
      // Bounded: a long-running process sees many webhooks come and go.
      if (silentUntil.size > 10_000) for (const [id, t] of silentUntil) if (t <= Date.now()) silentUntil.delete(id);
    },
  };
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
