// Retry schedule: exponential from HALLEY_WEBHOOK_BACKOFF_BASE_MS, doubling per attempt up to
// HALLEY_WEBHOOK_BACKOFF_MAX_MS, with "equal jitter" (half fixed, half random) so receivers coming back
// are not hit by every retry at once. Retries stop when the next attempt would fall outside the
// retry window (HALLEY_WEBHOOK_RETRY_WINDOW_SECONDS from the first attempt or the last redeliver).
// With the defaults (10 s, 1 h, 24 h): ~10 s, 20 s, 40 s ... ~1 h, then about hourly: ~30 attempts.
export function backoffMs(failedAttempts: number, baseMs: number, maxMs: number, random = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, failedAttempts - 1)));
  return Math.round(exp / 2 + random() * (exp / 2));
}
