// tenancy-file: system — partition maintenance of the whole usage ledger (worker, no actor)
// Retention of the usage ledger's detail tables (UsageAccountDay, UsageDeviceDay, UsageVaultDay; one partition
// per month, see ensure-partitions.ts): a month whose last day is older than HALLEY_USAGE_RETENTION_MONTHS is
// detached and dropped as a whole (no row-by-row DELETE, no bloat). Months ahead are created at the same time, so
// the next snapshots always find their partition. The organization/day roll-up (UsageTenantDay: one small row per
// organization and day, what admin/meta/stats answers) is kept. Idempotent: a second run finds nothing to drop;
// one transaction per partition with a lock timeout, so a long report holding the table only delays a month.
import { db } from '../db/client';
import { log } from '../log';
import { DAY_SECONDS, dayStart } from './day';
import { ensureUsagePartitions } from './ensure-partitions';

const PARENTS = ['UsageAccountDay', 'UsageDeviceDay', 'UsageVaultDay'];

/** The first day (ISO date) that retention keeps: `months` calendar months before today. */
function retentionCutoff(now: number, months: number): string {
  const d = new Date(dayStart(now / 1000) * 1000);
  const cutoff = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1));
  // Same day of the month when it exists (31 March − 1 month: the last day of February).
  const last = new Date(Date.UTC(cutoff.getUTCFullYear(), cutoff.getUTCMonth() + 1, 0)).getUTCDate();
  cutoff.setUTCDate(Math.min(d.getUTCDate(), last));
  return cutoff.toISOString().slice(0, 10);
}

export async function dropExpiredUsagePartitions({ now = Date.now(), months }: { now?: number; months: number }): Promise<{ dropped: string[]; created: number }> {
  const today = dayStart(now / 1000);
  const created = await ensureUsagePartitions(today, today + 62 * DAY_SECONDS);
  if (months <= 0) return { dropped: [], created };
  const cutoff = retentionCutoff(now, months);
  // Partitions whose upper bound (exclusive) is on or before the cutoff hold only days older than it.
  const expired = await db().$queryRaw<Array<{ parent: string; name: string }>>`
    SELECT p.relname AS parent, c.relname AS name
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname = ANY(${PARENTS}::text[]) AND p.relnamespace = c.relnamespace
      AND p.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
      AND substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \\(''([0-9-]+)''\\)')::date <= ${cutoff}::date
    ORDER BY c.relname`;
  const dropped: string[] = [];
  for (const { parent, name } of expired) {
    await db().$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '10s'`);
      await tx.$executeRawUnsafe(`ALTER TABLE "${parent.replaceAll('"', '')}" DETACH PARTITION "${name.replaceAll('"', '')}"`);
      await tx.$executeRawUnsafe(`DROP TABLE "${name.replaceAll('"', '')}"`);
    });
    dropped.push(name);
  }
  if (dropped.length > 0) log.info({ dropped, cutoff, months, created }, 'usage ledger: partitions past retention dropped');
  return { dropped, created };
}
