// The scrape-time gauges of a workers node: queue depths per state, the webhook backlog and the outbox lag
// (both cluster-wide: every workers node reports the same value; take max() in queries), pool use, and
// the process metrics.
// tenancy-file: system — server-wide operational counts (no actor, no tenant data leaves the process)
import type { Queue } from 'bullmq';
import { db, dbPoolUse } from '../db/client';
import { readGaugeWith, startProcessMetrics } from '../metrics/series';
import { readPoolUse } from './collect-pool';

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

export function collectWorkersMetrics(queues: Queue[]): void {
  startProcessMetrics('workers');
  readPoolUse(dbPoolUse);
  readGaugeWith('queueJobs', async () => {
    const out: Array<{ labels: Record<string, string>; value: number }> = [];
    for (const q of queues) {
      const counts = await q.getJobCounts(...STATES);
      for (const state of STATES) out.push({ labels: { queue: q.name, state }, value: counts[state] ?? 0 });
    }
    return out;
  });
  readGaugeWith('webhookBacklog', async () => {
    // Webhook by webhook: pending rows are indexed per webhook only (index-only scans of (webhookId, status, ...)).
    const [r] = await db().$queryRaw<Array<{ n: number }>>`
      SELECT COALESCE(sum(p.n), 0)::int AS n FROM "Webhook" w
      CROSS JOIN LATERAL (SELECT count(*) AS n FROM "WebhookDelivery" d WHERE d."webhookId" = w.id AND d.status = 'pending') p`;
    return r?.n ?? 0;
  });
  readGaugeWith('outboxLag', async () => {
    // The first unread event in the dispatcher's (txid, id) order: one index probe past the cursor.
    const [r] = await db().$queryRaw<Array<{ lag: number }>>`
      SELECT GREATEST(0, EXTRACT(EPOCH FROM now() - e."createdAt"))::float8 AS lag
      FROM "OutboxCursor" c JOIN LATERAL (
        SELECT "createdAt" FROM "Event" WHERE (txid, id) > (c.txid::text::xid8, c."eventId") ORDER BY "Event".txid, "Event".id LIMIT 1
      ) e ON true
      WHERE c.name = 'webhooks'`;
    return r?.lag ?? 0;
  });
}
