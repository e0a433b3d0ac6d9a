// The usage ledger's detail tables (UsageAccountDay, UsageDeviceDay, UsageVaultDay) are partitioned by month
// (migration 20261206102600_usage_partitions); a row for a month without a partition is refused. The daily job
// creates this month's and the next two ahead, and every snapshot makes sure its own month exists first (a
// back-fill reaches into older months). halley_usage_ensure_partitions() is idempotent and serialised in the
// database, so web and worker nodes may call it at the same time; this process remembers the months it saw.
import { db } from '../db/client';
import { dayIso } from './day';

const known = new Set<string>();

function monthOf(dayUnix: number): string {
  return dayIso(dayUnix).slice(0, 7);
}

/** Makes sure every month from `fromDay` to `toDay` (ledger days, Unix seconds) has its partitions; returns how many were created. */
export async function ensureUsagePartitions(fromDay: number, toDay: number = fromDay): Promise<number> {
  const first = monthOf(fromDay);
  const last = monthOf(toDay);
  if (first === last && known.has(first)) return 0;
  const [row] = await db().$queryRaw<Array<{ created: number }>>`
    SELECT halley_usage_ensure_partitions(${dayIso(fromDay)}::date, ${dayIso(toDay)}::date) AS created`;
  for (const m = new Date(`${first}-01T00:00:00Z`); monthOf(m.getTime() / 1000) <= last; m.setUTCMonth(m.getUTCMonth() + 1)) known.add(monthOf(m.getTime() / 1000));
  return row.created;
}
