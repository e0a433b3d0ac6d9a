// Today's StatResult computed on read (admin/meta/stats), so today's figures follow account and device changes
// at once instead of lagging behind the hourly ledger run. The definitions are the ledger's own
// (snapshot-tenant-day.ts) for a day that has not ended: every account and registered device counts, a device's
// boosters are the distinct booster types of the protected items it owns, and a device is live when it
// connected or disconnected today or is connected now. Four aggregate scans over index ranges of the admin's
// scope (a tenant admin: one organization), no per-row work in Node: a few hundred milliseconds at
// 100,000 accounts / 300,000 devices for the top level, far less for one tenant.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { Prisma } from '../generated/prisma/client';
import type { AdminActor } from '../tenancy/actor';
import { canSee } from '../tenancy/can-see';
import { tenantSql } from '../tenancy/tenant-sql';
import { BOOSTER_BY_ENGINE } from './boosters';
import { DAY_SECONDS, dayStart } from './day';
import { liveDevicesByTenant } from './run-daily-snapshots';

const ENGINES = Object.keys(BOOSTER_BY_ENGINE);
const BOOSTERS = ENGINES.map((e) => BOOSTER_BY_ENGINE[e]);

type TLiveDay = { day: number; users: number; devices: number; boosters: number; liveDevices: number };

export async function countLiveToday({ actor, now = Date.now() }: { actor: AdminActor; now?: number }): Promise<TLiveDay> {
  const day = dayStart(now / 1000);
  const byTenant = await liveDevicesByTenant().catch(() => new Map<string, string[]>());
  const liveNow = [...byTenant].filter(([tenantId]) => canSee(actor, tenantId)).flatMap(([, list]) => list);
  const [row] = await db().$queryRaw<Array<{ users: number; devices: number; boosters: number; live: number }>>`
    SELECT
      (SELECT count(*)::int FROM "Account" a WHERE ${tenantSql(actor, Prisma.raw('a."tenantId"'))}) AS users,
      (SELECT count(*)::int FROM "Device" d WHERE ${tenantSql(actor, Prisma.raw('d."tenantId"'))}) AS devices,
      (SELECT count(*)::int FROM (
         SELECT DISTINCT i."accountId", i."ownerDevice", m.booster
         FROM "ProtectedItem" i
         JOIN unnest(${ENGINES}::text[], ${BOOSTERS}::text[]) AS m(engine, booster) ON m.engine = i."engine"
         JOIN "Device" d ON d."accountId" = i."accountId" AND d."deviceId" = i."ownerDevice"
         WHERE ${tenantSql(actor, Prisma.raw('i."tenantId"'))} AND i."ownerDevice" <> '') b) AS boosters,
      (SELECT count(*)::int FROM "Device" d
        LEFT JOIN (SELECT DISTINCT e."tenantId", e."resourceId" FROM "Event" e
                    WHERE e."type" IN (${SEVT.SEVT_DEVICE_LIVE_CONNECT}, ${SEVT.SEVT_DEVICE_LIVE_DISCONNECT})
                      AND e."timestamp" >= ${day} AND e."timestamp" < ${day + DAY_SECONDS}
                      AND ${tenantSql(actor, Prisma.raw('e."tenantId"'))}) l
          ON l."tenantId" = d."tenantId" AND l."resourceId" = d."deviceId"
        WHERE ${tenantSql(actor, Prisma.raw('d."tenantId"'))}
          AND (l."resourceId" IS NOT NULL OR (d."accountId" || '/' || d."deviceId") = ANY(${liveNow}::text[]))) AS live`;
  return { day, users: row!.users, devices: row!.devices, boosters: row!.boosters, liveDevices: row!.live };
}
