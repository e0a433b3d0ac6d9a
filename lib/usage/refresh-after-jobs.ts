// tenancy-file: system — the workers' follow-up of finished jobs covers every organization (worker, no actor)
// Today's ledger row follows the jobs that finish during the day, so "Storage used" (users desk, overview) does
// not wait for the hourly run: on a fresh server that run happens at worker start, before any organization or
// user exists, and a new MSP would otherwise read 0 B for up to an hour after its first backups.
// Every REFRESH_EVERY_MS (workers/job-definitions.ts) the workers look for organizations with a job that ended
// today after their today's snapshot and measured its vault (DestinationSizeEnd), and snapshot today again:
// - at once when today's row is missing or the job's account has no stored size today (its first backups);
// - otherwise at most every MIN_INTERVAL_MS per organization (a busy organization is not recomputed non-stop).
// snapshotTenantDay is idempotent and serialised per organization and day, so this, the hourly run and a
// back-fill may overlap; a refresh that dies is simply found again by the next pass.
import { db } from '../db/client';
import { log } from '../log';
import { DAY_SECONDS, dayIso, dayStart } from './day';
import { liveDevicesByTenant } from './run-daily-snapshots';
import { snapshotTenantDay } from './snapshot-tenant-day';

/** How often the workers look for finished jobs newer than the ledger. */
export const REFRESH_EVERY_MS = 10_000;
/** An organization whose accounts all have today's size already is recomputed at most this often. */
const MIN_INTERVAL_MS = 5 * 60_000;

/** Organizations whose today's ledger row is older than one of today's finished jobs (see above). */
export async function staleUsageTenants(now = Date.now()): Promise<string[]> {
  const today = dayStart(now / 1000);
  const rows = await db().$queryRaw<Array<{ tenantId: string }>>`
    SELECT t."id" AS "tenantId"
    FROM "Tenant" t
    LEFT JOIN "UsageTenantDay" u ON u."tenantId" = t."id" AND u."day" = ${dayIso(today)}::date
    WHERE EXISTS (
      SELECT 1 FROM "Job" j
      WHERE j."tenantId" = t."id"
        AND j."endTime" >= GREATEST(${today}::bigint, COALESCE(floor(extract(epoch FROM u."computedAt"))::bigint, 0))
        AND j."endTime" < ${today + DAY_SECONDS}::bigint
        AND j."destinationSizeEnd" > 0
        AND (u."tenantId" IS NULL
             OR u."computedAt" < ${new Date(now - MIN_INTERVAL_MS)}
             OR NOT EXISTS (SELECT 1 FROM "UsageAccountDay" a
                            WHERE a."accountId" = j."accountId" AND a."day" = ${dayIso(today)}::date AND a."storageBytes" > 0)))
    ORDER BY t."id"`;
  return rows.map((r) => r.tenantId);
}

/** One pass: today's snapshot of every organization found stale. */
export async function refreshUsageAfterJobs(now = Date.now()): Promise<{ refreshed: number }> {
  const tenants = await staleUsageTenants(now);
  if (tenants.length === 0) return { refreshed: 0 };
  const live = await liveDevicesByTenant().catch(() => new Map<string, string[]>());
  const day = dayStart(now / 1000);
  for (const tenantId of tenants) await snapshotTenantDay({ tenantId, day, liveNow: live.get(tenantId) });
  log.info({ tenants: tenants.length }, 'usage ledger: today refreshed after finished jobs');
  return { refreshed: tenants.length };
}
