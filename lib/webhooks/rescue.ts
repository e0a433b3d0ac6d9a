// The rescue sweep: a pending delivery that is first in line for its resource and overdue by
// HALLEY_WEBHOOK_RESCUE_AFTER_MS has lost its job (Redis restarted or was flushed, a queue call failed,
// a race between two deliveries of one resource). It is queued again under its usual job id, which is
// a no-op when the job still exists. This is what makes delivery independent of Redis durability.
// tenancy-file: system — re-queues stuck deliveries of every tenant (maintenance job, no actor)
import { db } from '../db/client';
import { env } from '../env';
import { enqueueDeliveries, type DeliveryRef } from './queue';

export async function rescueOverdueDeliveries(limit = 5000): Promise<number> {
  const cutoffMs = Date.now() - env().HALLEY_WEBHOOK_RESCUE_AFTER_MS;
  // Webhook by webhook: pending rows are indexed per webhook only (webhookId, status, resourceKey, eventId).
  const refs = await db().$queryRaw<DeliveryRef[]>`
    SELECT d.id, d.attempts FROM "Webhook" w CROSS JOIN LATERAL (
      SELECT d.id, d.attempts, d."nextAttemptAt" FROM "WebhookDelivery" d
      WHERE d."webhookId" = w.id AND d.status = 'pending' AND d."nextAttemptAt" < to_timestamp(${cutoffMs}::float8 / 1000.0) AT TIME ZONE 'UTC'
        AND (d."resourceKey" = '' OR d."eventId" IS NULL OR NOT EXISTS (
          SELECT 1 FROM "WebhookDelivery" p
          WHERE p."webhookId" = d."webhookId" AND p.status = 'pending' AND p."resourceKey" = d."resourceKey" AND p."eventId" < d."eventId"))
    ) d
    ORDER BY d."nextAttemptAt"
    LIMIT ${limit}`;
  await enqueueDeliveries(refs);
  return refs.length;
}
