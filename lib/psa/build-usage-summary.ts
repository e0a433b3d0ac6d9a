// The usage an integration reports: the integration's organization's scope (a top-level organization's
// integration covers every tenant, as its admins see them) over the current UTC month up to now, from the
// usage ledger (lib/usage) priced with the organization's price list (lib/billing), grouped as the
// integration's GroupedBy asks: per tenant, per user, and per account name (users sharing a Comet
// AccountName, e.g. one customer company, summed).
import { db } from '../db/client';
import { ledgerScope } from '../billing/ledger-scope';
import { loadPriceList } from '../billing/prices';
import { queryUsage } from '../billing/query-usage';
import { usageRange, usageSql, type UsageSqlRow } from '../billing/usage-query';
import { usageRow, type TUsageRow } from '../billing/usage-rows';
import { tenantViewer } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import type { TPsaGroupedBy } from './psa-config';

type TPsaUsageRow = TUsageRow & { AccountName?: string };

export type TPsaUsageSummary = {
  Period: { Start: number; End: number; FromDay: string; ToDay: string };
  Currency: string;
  GroupedBy: TPsaGroupedBy;
  Totals: TUsageRow;
  ByTenant?: TUsageRow[];
  ByUser?: TPsaUsageRow[];
  ByAccountName?: TPsaUsageRow[];
};

const EMPTY: UsageSqlRow = {
  key: 'total', tenant_id: '', tenant_name: '', username: '', device_id: '', device_name: '', days: 0, users: 0, devices: 0, configured_devices: 0,
  boosters: 0, office365_accounts: 0, storage_bytes: 0n, live_devices: 0, device_months: '0', gb_months: '0', booster_usage: null,
};

/** Sums user rows that share an account name into one row (peaks summed: the users are billed together). */
function byAccountName(rows: TPsaUsageRow[]): TPsaUsageRow[] {
  const groups = new Map<string, TPsaUsageRow>();
  for (const r of rows) {
    const name = r.AccountName || r.Username;
    const g = groups.get(name);
    if (!g) {
      groups.set(name, { ...r, Key: name, Username: '', AccountName: name, BoosterUsage: { ...r.BoosterUsage }, Lines: r.Lines.map((l) => ({ ...l })) });
      continue;
    }
    for (const k of ['Users', 'Devices', 'ConfiguredDevices', 'Boosters', 'Office365Accounts', 'StorageBytes', 'LiveDevices', 'DeviceMonths', 'GBMonths', 'Amount'] as const) {
      g[k] = Math.round((g[k] + r[k]) * 1e6) / 1e6;
    }
    g.Days = Math.max(g.Days, r.Days);
    for (const [type, u] of Object.entries(r.BoosterUsage)) {
      const b = g.BoosterUsage[type] ?? { Peak: 0, Months: 0 };
      g.BoosterUsage[type] = { Peak: b.Peak + u.Peak, Months: Math.round((b.Months + u.Months) * 1e6) / 1e6 };
    }
    for (const line of r.Lines) {
      const l = g.Lines.find((x) => x.Item === line.Item);
      if (l) {
        l.Quantity = Math.round((l.Quantity + line.Quantity) * 1e6) / 1e6;
        l.Amount = Math.round((l.Amount + line.Amount) * 100) / 100;
      } else g.Lines.push({ ...line });
    }
  }
  return [...groups.values()].sort((a, b) => a.Key.localeCompare(b.Key));
}

export async function buildUsageSummary(tenantId: string, grouped: TPsaGroupedBy, now = Date.now()): Promise<TPsaUsageSummary> {
  const end = Math.floor(now / 1000);
  const d = new Date(now);
  const start = Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000);
  const range = usageRange(start, end + 1);
  // The integration's organization sees what its admins would (a top-level one: every tenant).
  const viewer = tenantViewer(tenantId);
  const scope = ledgerScope(viewer, undefined);
  const prices = await loadPriceList(tenantId);
  const query = (g: 'total' | 'tenant' | 'user') => queryUsage(usageSql(g, scope, range));
  const [totals] = await query('total');
  const summary: TPsaUsageSummary = {
    Period: { Start: start, End: end, FromDay: range.from, ToDay: range.to },
    Currency: prices.Currency,
    GroupedBy: grouped,
    Totals: usageRow(totals ?? EMPTY, prices),
  };
  if (grouped.Tenants) summary.ByTenant = (await query('tenant')).map((r) => usageRow(r, prices));
  if (grouped.Users || grouped.AccountName) {
    const users = await query('user');
    const names = new Map(
      (
        await db().account.findMany({
          where: { ...tenantWhere(viewer), id: { in: users.map((u) => u.key) } },
          select: { id: true, accountName: true },
        })
      ).map((a) => [a.id, a.accountName]),
    );
    const rows: TPsaUsageRow[] = users.map((r) => ({ ...usageRow(r, prices), AccountName: names.get(r.key) ?? '' }));
    if (grouped.Users) summary.ByUser = rows;
    if (grouped.AccountName) summary.ByAccountName = byAccountName(rows);
  }
  return summary;
}
