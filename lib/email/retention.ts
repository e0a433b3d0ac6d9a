// Bounded storage of the email log: finished deliveries (sent, failed, skipped) older than
// HALLEY_EMAIL_LOG_RETENTION_DAYS are deleted in batches. A delivery still pending or retrying stays. The
// unique (report, recipient, occurrence) key only needs to outlive the triggers that could repeat: a job is
// reported once its run ends and a period report fires at its period's end, both long before the default
// 90 days are up.
// tenancy-file: system — server-wide retention of old email deliveries (no actor)
import { db } from '../db/client';
import { env } from '../env';

const DAY_MS = 24 * 3600 * 1000;
const BATCH = 5_000;

export async function purgeEmailLog(now = Date.now()): Promise<number> {
  const cutoff = now - env().HALLEY_EMAIL_LOG_RETENTION_DAYS * DAY_MS;
  let purged = 0;
  for (;;) {
    const n = await db().$executeRaw`
      DELETE FROM "EmailDelivery" WHERE id IN (
        SELECT id FROM "EmailDelivery"
        WHERE status IN ('sent', 'failed', 'skipped') AND "createdAt" < to_timestamp(${cutoff}::float8 / 1000.0) AT TIME ZONE 'UTC'
        LIMIT ${BATCH})`;
    purged += n;
    if (n < BATCH) break;
  }
  return purged;
}
