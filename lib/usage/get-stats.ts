// AdminMetaStats: map[unix day]StatResult from the usage ledger's organization/day roll-up, summed over the
// organizations the admin may see (a tenant admin: its own; the top level: every organization). Today is
// computed on read (count-live-today.ts): the ledger's row for today is up to an hour old.
import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { countLiveToday } from './count-live-today';
import { dayUnixOf } from './day';

/** Comet StatResult. Buckets: Halley has no storage buckets yet, so 0; NetworkDevices: live-connected devices. */
type TStatResult = { Buckets: number; Users: number; Devices: number; Boosters: number; NetworkDevices: number };

export async function getStats({ actor, simple }: { actor: AdminActor; simple: boolean }): Promise<Record<string, TStatResult>> {
  const rows = await db().usageTenantDay.groupBy({
    by: ['day'],
    where: tenantWhere(actor),
    _sum: { users: true, devices: true, boosters: true, liveDevices: true },
    orderBy: { day: 'asc' },
  });
  const today = await countLiveToday({ actor });
  const days = rows
    .map((r) => ({ day: dayUnixOf(r.day), users: r._sum.users ?? 0, devices: r._sum.devices ?? 0, boosters: r._sum.boosters ?? 0, liveDevices: r._sum.liveDevices ?? 0 }))
    .filter((d) => d.day < today.day);
  days.push(today);
  const out: Record<string, TStatResult> = {};
  let previous = '';
  days.forEach((r, i) => {
    const stat: TStatResult = { Buckets: 0, Users: r.users, Devices: r.devices, Boosters: r.boosters, NetworkDevices: r.liveDevices };
    const key = JSON.stringify(stat);
    // Simple: leave out a day that repeats the day before (the chart stays the same), but keep the last day.
    if (simple && key === previous && i !== days.length - 1) return;
    previous = key;
    out[String(r.day)] = stat;
  });
  return out;
}
