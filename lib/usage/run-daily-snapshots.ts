// tenancy-file: system — the recurring ledger run covers every organization (worker, no actor)
// The recurring run (every hour, workers/job-definitions.ts): today's snapshot of every organization, so the
// ledger follows the day, and — once per organization after midnight — yesterday's again, so the day's last
// snapshot is taken after it ended. Each organization and day is one idempotent transaction: a run that dies
// half-way leaves whole days behind and the next run carries on.
import { db } from '../db/client';
import { log } from '../log';
import { relay } from '../live/relay';
import { DAY_SECONDS, dayIso, dayStart } from './day';
import { ensureUsagePartitions } from './ensure-partitions';
import { snapshotTenantDay } from './snapshot-tenant-day';

/** "accountId/deviceId" of the devices connected now, per organization. */
export async function liveDevicesByTenant(): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const c of await relay().listConnections()) out.set(c.tenantId, [...(out.get(c.tenantId) ?? []), `${c.accountId}/${c.deviceId}`]);
  return out;
}

export async function runDailySnapshots(now = Date.now()): Promise<{ tenants: number; finalized: number }> {
  const today = dayStart(now / 1000);
  const yesterday = today - DAY_SECONDS;
  // The ledger's monthly partitions, created ahead: last month (yesterday may be in it) to two months on.
  await ensureUsagePartitions(today - 31 * DAY_SECONDS, today + 62 * DAY_SECONDS);
  const tenants = await db().tenant.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
  // Yesterday is final once computed after its end; organizations whose last run was before midnight get one more.
  const finalRows = await db().usageTenantDay.findMany({
    where: { day: new Date(`${dayIso(yesterday)}T00:00:00Z`), computedAt: { gte: new Date(today * 1000) } },
    select: { tenantId: true },
  });
  const finalDone = new Set(finalRows.map((r) => r.tenantId));
  const live = await liveDevicesByTenant().catch((err) => {
    log.warn({ err: (err as Error).message }, 'usage snapshot: live connections unavailable, counting connection events only');
    return new Map<string, string[]>();
  });
  let finalized = 0;
  for (const t of tenants) {
    if (!finalDone.has(t.id)) {
      await snapshotTenantDay({ tenantId: t.id, day: yesterday });
      finalized++;
    }
    await snapshotTenantDay({ tenantId: t.id, day: today, liveNow: live.get(t.id) });
  }
  return { tenants: tenants.length, finalized };
}
