// tenancy-file: system — the ledger snapshot is worker work for one organization named by the job payload (no actor)
// One organization's usage for one UTC day, computed set-based (one INSERT ... SELECT per ledger table) from
// the rows as they are now, limited to what existed by the day's end: devices by registration time, accounts,
// protected items and vaults by creation time (0 = unknown, counted), vault sizes from the last job that ended
// before the day's end or the agent's own measurement, whichever is newer. So a day can be computed again at
// any time (idempotent: its rows are replaced in one transaction) and past days can be back-filled; a device or
// item deleted since is unknown to a back-filled day. Live-connected devices: those that connected or
// disconnected during the day (SEVT_DEVICE_LIVE_* events), plus, for today, those connected right now.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { Prisma } from '../generated/prisma/client';
import { BOOSTER_BY_ENGINE, OFFICE365_ENGINE } from './boosters';
import { DAY_SECONDS, dayIso } from './day';
import { ensureUsagePartitions } from './ensure-partitions';

const ENGINES = Object.keys(BOOSTER_BY_ENGINE);
const BOOSTERS = ENGINES.map((e) => BOOSTER_BY_ENGINE[e]);

type SnapshotInput = {
  tenantId: string;
  /** Unix seconds of the day's 00:00 UTC. */
  day: number;
  /** "accountId/deviceId" of the organization's devices connected now (only used for today). */
  liveNow?: readonly string[];
};

type SnapshotSummary = { tenantId: string; day: number; users: number; devices: number; boosters: number; storageBytes: number };

export async function snapshotTenantDay({ tenantId, day, liveNow = [] }: SnapshotInput): Promise<SnapshotSummary> {
  const start = day;
  const end = day + DAY_SECONDS;
  const d = dayIso(day);
  const live = Date.now() / 1000 < end ? [...liveNow] : [];
  const created = (alias: string) => Prisma.sql`(${Prisma.raw(alias)}."createTime" <= 0 OR ${Prisma.raw(alias)}."createTime" < ${end})`;
  // Outside the snapshot's transaction: creating a partition locks the parent table briefly.
  await ensureUsagePartitions(day);
  return db().$transaction(
    async (tx) => {
      // Two runs for the same organization and day (the scheduler and a back-fill) wait for each other.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`halley-usage:${tenantId}:${d}`}))`;
      for (const table of ['UsageTenantDay', 'UsageAccountDay', 'UsageDeviceDay', 'UsageVaultDay']) {
        await tx.$executeRaw`DELETE FROM ${Prisma.raw(`"${table}"`)} WHERE "tenantId" = ${tenantId} AND "day" = ${d}::date`;
      }
      await tx.$executeRaw`
        WITH items AS (
          SELECT i."accountId", i."ownerDevice", array_remove(array_agg(DISTINCT m.booster), NULL) AS boosters
          FROM "ProtectedItem" i
          LEFT JOIN unnest(${ENGINES}::text[], ${BOOSTERS}::text[]) AS m(engine, booster) ON m.engine = i."engine"
          WHERE i."tenantId" = ${tenantId} AND i."ownerDevice" <> '' AND ${created('i')}
          GROUP BY 1, 2
        ), live AS (
          SELECT DISTINCT e."resourceId" FROM "Event" e
          WHERE e."tenantId" = ${tenantId} AND e."type" IN (${SEVT.SEVT_DEVICE_LIVE_CONNECT}, ${SEVT.SEVT_DEVICE_LIVE_DISCONNECT})
            AND e."timestamp" >= ${start} AND e."timestamp" < ${end}
        )
        INSERT INTO "UsageDeviceDay" ("tenantId", "accountId", "deviceId", "day", "username", "friendlyName", "configured", "boosters", "live")
        SELECT d."tenantId", d."accountId", d."deviceId", ${d}::date, a."username", d."friendlyName",
               it."accountId" IS NOT NULL, COALESCE(it.boosters, '{}'),
               (l."resourceId" IS NOT NULL OR (d."accountId" || '/' || d."deviceId") = ANY(${live}::text[]))
        FROM "Device" d
        JOIN "Account" a ON a."id" = d."accountId"
        LEFT JOIN items it ON it."accountId" = d."accountId" AND it."ownerDevice" = d."deviceId"
        LEFT JOIN live l ON l."resourceId" = d."deviceId"
        WHERE d."tenantId" = ${tenantId} AND (d."registrationTime" IS NULL OR d."registrationTime" < ${end}) AND ${created('a')}`;
      await tx.$executeRaw`
        INSERT INTO "UsageVaultDay" ("tenantId", "accountId", "vaultId", "day", "username", "description", "bytes")
        SELECT v."tenantId", v."accountId", v."vaultId", ${d}::date, a."username", v."description",
               CASE WHEN j.size IS NOT NULL AND (s.size IS NULL OR j.at >= s.at) THEN j.size ELSE COALESCE(s.size, j.size, 0) END
        FROM "StorageVault" v
        JOIN "Account" a ON a."id" = v."accountId"
        LEFT JOIN LATERAL (
          SELECT CASE WHEN jsonb_typeof(v."data" #> '{Statistics,ClientProvidedSize,Size}') = 'number'
                      THEN (v."data" #>> '{Statistics,ClientProvidedSize,Size}')::numeric::bigint END AS size,
                 CASE WHEN jsonb_typeof(v."data" #> '{Statistics,ClientProvidedSize,MeasureCompleted}') = 'number'
                      THEN (v."data" #>> '{Statistics,ClientProvidedSize,MeasureCompleted}')::numeric ELSE 0 END AS at
        ) s0 ON TRUE
        LEFT JOIN LATERAL (SELECT CASE WHEN s0.at < ${end} THEN s0.size END AS size, s0.at) s ON TRUE
        LEFT JOIN LATERAL (
          SELECT j."destinationSizeEnd" AS size, j."endTime" AS at FROM "Job" j
          WHERE j."accountId" = v."accountId" AND j."destinationGuid" = v."vaultId"
            AND j."endTime" > 0 AND j."endTime" < ${end} AND j."destinationSizeEnd" > 0
          ORDER BY j."endTime" DESC LIMIT 1
        ) j ON TRUE
        WHERE v."tenantId" = ${tenantId} AND ${created('v')} AND ${created('a')}`;
      await tx.$executeRaw`
        WITH dev AS (
          SELECT "accountId", count(*) AS n, count(*) FILTER (WHERE "configured") AS c,
                 sum(cardinality("boosters")) AS b, count(*) FILTER (WHERE "live") AS l
          FROM "UsageDeviceDay" WHERE "tenantId" = ${tenantId} AND "day" = ${d}::date GROUP BY 1
        ), bc AS (
          SELECT "accountId", jsonb_object_agg(b, n) AS j FROM (
            SELECT u."accountId", b, count(*) AS n FROM "UsageDeviceDay" u, unnest(u."boosters") AS b
            WHERE u."tenantId" = ${tenantId} AND u."day" = ${d}::date GROUP BY 1, 2
          ) x GROUP BY 1
        ), vs AS (
          SELECT "accountId", sum("bytes") AS s FROM "UsageVaultDay" WHERE "tenantId" = ${tenantId} AND "day" = ${d}::date GROUP BY 1
        ), o AS (
          SELECT i."accountId", sum(COALESCE(
                   CASE WHEN jsonb_typeof(i."data" #> '{Statistics,LastSuccessfulBackupJob,TotalAccountsCount}') = 'number'
                        THEN (i."data" #>> '{Statistics,LastSuccessfulBackupJob,TotalAccountsCount}')::numeric END,
                   CASE WHEN jsonb_typeof(i."data" #> '{Statistics,LastBackupJob,TotalAccountsCount}') = 'number'
                        THEN (i."data" #>> '{Statistics,LastBackupJob,TotalAccountsCount}')::numeric END, 0)) AS n
          FROM "ProtectedItem" i WHERE i."tenantId" = ${tenantId} AND i."engine" = ${OFFICE365_ENGINE} AND ${created('i')} GROUP BY 1
        )
        INSERT INTO "UsageAccountDay" ("tenantId", "accountId", "day", "username", "devices", "configuredDevices", "boosters", "boosterCounts", "office365Accounts", "storageBytes", "liveDevices")
        SELECT a."tenantId", a."id", ${d}::date, a."username", COALESCE(dev.n, 0)::int, COALESCE(dev.c, 0)::int, COALESCE(dev.b, 0)::int,
               COALESCE(bc.j, '{}'::jsonb), COALESCE(o.n, 0)::int, COALESCE(vs.s, 0)::bigint, COALESCE(dev.l, 0)::int
        FROM "Account" a
        LEFT JOIN dev ON dev."accountId" = a."id"
        LEFT JOIN bc ON bc."accountId" = a."id"
        LEFT JOIN vs ON vs."accountId" = a."id"
        LEFT JOIN o ON o."accountId" = a."id"
        WHERE a."tenantId" = ${tenantId} AND ${created('a')}`;
      const [row] = await tx.$queryRaw<Array<{ users: number; devices: number; boosters: number; storageBytes: bigint }>>`
        INSERT INTO "UsageTenantDay" ("tenantId", "day", "users", "devices", "configuredDevices", "boosters", "boosterCounts", "office365Accounts", "storageBytes", "liveDevices", "computedAt")
        SELECT ${tenantId}, ${d}::date, count(*)::int, COALESCE(sum(u."devices"), 0)::int, COALESCE(sum(u."configuredDevices"), 0)::int,
               COALESCE(sum(u."boosters"), 0)::int,
               COALESCE((SELECT jsonb_object_agg(k, n) FROM (
                 SELECT k, sum(v::int) AS n FROM "UsageAccountDay" x, jsonb_each_text(x."boosterCounts") AS e(k, v)
                 WHERE x."tenantId" = ${tenantId} AND x."day" = ${d}::date GROUP BY k) t), '{}'::jsonb),
               COALESCE(sum(u."office365Accounts"), 0)::int, COALESCE(sum(u."storageBytes"), 0)::bigint, COALESCE(sum(u."liveDevices"), 0)::int, now()
        FROM "UsageAccountDay" u WHERE u."tenantId" = ${tenantId} AND u."day" = ${d}::date
        RETURNING "users", "devices", "boosters", "storageBytes"`;
      return { tenantId, day, users: row.users, devices: row.devices, boosters: row.boosters, storageBytes: Number(row.storageBytes) };
    },
    { timeout: 10 * 60 * 1000, maxWait: 60 * 1000 },
  );
}
