// tenancy-file: system — back-fill job for the organization its payload names (checked when it was enqueued)
// Back-fill: computes one organization's days in [from, to] (ledger days, Unix seconds) that have no snapshot
// yet, or every day when forced. Resumable: each day is its own transaction, and a retried job skips the days
// an earlier attempt finished.
import { db } from '../db/client';
import { DAY_SECONDS, dayIso, dayStart } from './day';
import { liveDevicesByTenant } from './run-daily-snapshots';
import { snapshotTenantDay } from './snapshot-tenant-day';

export async function runBackfill({ tenantId, from, to, force }: { tenantId: string; from: number; to: number; force: boolean }): Promise<{ computed: number }> {
  const exists = await db().tenant.findUnique({ where: { id: tenantId }, select: { id: true } });
  if (!exists) return { computed: 0 };
  const done = force
    ? new Set<string>()
    : new Set(
        (
          await db().usageTenantDay.findMany({
            where: { tenantId, day: { gte: new Date(`${dayIso(from)}T00:00:00Z`), lte: new Date(`${dayIso(to)}T00:00:00Z`) } },
            select: { day: true },
          })
        ).map((r) => r.day.toISOString().slice(0, 10)),
      );
  const today = dayStart(Date.now() / 1000);
  const liveNow = to >= today ? (await liveDevicesByTenant().catch(() => new Map<string, string[]>())).get(tenantId) : undefined;
  let computed = 0;
  for (let day = from; day <= to; day += DAY_SECONDS) {
    if (done.has(dayIso(day))) continue;
    await snapshotTenantDay({ tenantId, day, liveNow: day === today ? liveNow : undefined });
    computed++;
  }
  return { computed };
}
