// Bounded storage: finished delivery log rows older than HALLEY_WEBHOOK_DELIVERY_RETENTION_DAYS, and
// Event outbox rows older than HALLEY_EVENT_RETENTION_DAYS that the webhook dispatcher has passed, are
// deleted in batches. The outbox is kept at least one day longer than the retry window, so a pending
// delivery always finds its event. (The event stream's ?since= replay reaches back as far as the outbox.)
// tenancy-file: system — server-wide retention of finished deliveries and consumed events (no actor)
import { db } from '../db/client';
import { env } from '../env';

const DAY_MS = 24 * 3600 * 1000;
const BATCH = 10_000;

export async function purgeWebhookHistory(now = Date.now()): Promise<{ deliveries: number; events: number }> {
  const config = env();
  const deliveryCutoff = now - config.HALLEY_WEBHOOK_DELIVERY_RETENTION_DAYS * DAY_MS;
  const eventDays = Math.max(config.HALLEY_EVENT_RETENTION_DAYS, Math.ceil(config.HALLEY_WEBHOOK_RETRY_WINDOW_SECONDS / 86_400) + 1);
  const eventCutoff = now - eventDays * DAY_MS;
  let deliveries = 0;
  for (;;) {
    const n = await db().$executeRaw`
      DELETE FROM "WebhookDelivery" WHERE id IN (
        SELECT id FROM "WebhookDelivery" WHERE status <> 'pending' AND "updatedAt" < to_timestamp(${deliveryCutoff}::float8 / 1000.0) AT TIME ZONE 'UTC' LIMIT ${BATCH})`;
    deliveries += n;
    if (n < BATCH) break;
  }
  let events = 0;
  for (;;) {
    const n = await db().$executeRaw`
      DELETE FROM "Event" WHERE id IN (
        SELECT e.id FROM "Event" e, "OutboxCursor" c
        WHERE c.name = 'webhooks' AND e."createdAt" < to_timestamp(${eventCutoff}::float8 / 1000.0) AT TIME ZONE 'UTC' AND (e.txid, e.id) <= (c.txid::text::xid8, c."eventId")
        LIMIT ${BATCH})`;
    events += n;
    if (n < BATCH) break;
  }
  return { deliveries, events };
}
