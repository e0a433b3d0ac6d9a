// Halley: admin/billing/usage — the usage of the admin's scope over [Start, End), grouped, priced with the
// report organization's price list (TargetOrganization's, else the admin's own), one page of rows plus totals.
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { Prisma } from '../generated/prisma/client';
import type { AdminActor } from '../tenancy/actor';
import { resolveTargetTenant } from '../tenancy/scope';
import { ledgerScope } from './ledger-scope';
import { queryUsage } from './query-usage';
import { loadPriceList, type TPriceList } from './prices';
import { parseGroupBy, usageRange, usageSql, type TGroupBy, type UsageSqlRow } from './usage-query';
import { usageRow, type TUsageRow } from './usage-rows';
import { apiMessage } from '../i18n/api-messages';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

/** HalleyBillingUsage. */
type TUsageReport = {
  Start: number;
  End: number;
  GroupBy: TGroupBy;
  FromDay: string;
  ToDay: string;
  Days: number;
  Currency: string;
  Prices: TPriceList;
  Offset: number;
  Limit: number;
  TotalRows: number;
  Rows: TUsageRow[];
  /** The whole scope over the range (peaks of the daily totals, sums of the months). */
  Totals: TUsageRow;
};

type UsageReportInput = { actor: AdminActor; start: number; end: number; groupBy?: string; targetOrganization?: string; offset?: number; limit?: number };

async function countRows(query: Prisma.Sql): Promise<number> {
  const [row] = await queryUsage<{ n: bigint }>(Prisma.sql`SELECT count(*) AS n FROM (${query}) x`);
  return Number(row.n);
}

export async function getUsageReport({ actor, start, end, groupBy, targetOrganization, offset = 0, limit = DEFAULT_PAGE }: UsageReportInput): Promise<TUsageReport> {
  const group = parseGroupBy(groupBy);
  const range = usageRange(start, end);
  if (!Number.isInteger(offset) || offset < 0) throw new BadRequestError(apiMessage('offsetNegative'));
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new BadRequestError(apiMessage('limitRange', { max: String(MAX_PAGE) }));
  const target = await resolveTargetTenant(actor, targetOrganization);
  const scope = ledgerScope(actor, target);
  const prices = await loadPriceList(target ?? actor.tenantId);
  const [rows, totals] = await Promise.all([
    queryUsage(usageSql(group, scope, range, { offset, limit })),
    queryUsage(usageSql('total', scope, range)),
  ]);
  const empty: UsageSqlRow = {
    key: 'total', tenant_id: '', tenant_name: '', username: '', device_id: '', device_name: '', days: 0, users: 0, devices: 0, configured_devices: 0,
    boosters: 0, office365_accounts: 0, storage_bytes: 0n, live_devices: 0, device_months: '0', gb_months: '0', booster_usage: null,
  };
  return {
    Start: start,
    End: end,
    GroupBy: group,
    FromDay: range.from,
    ToDay: range.to,
    Days: range.days,
    Currency: prices.Currency,
    Prices: prices,
    Offset: offset,
    Limit: limit,
    TotalRows: rows.length ? Number(rows[0].total_rows ?? 0) : offset > 0 ? await countRows(usageSql(group, scope, range)) : 0,
    Rows: rows.map((r) => usageRow(r, prices)),
    Totals: usageRow(totals[0] ?? empty, prices),
  };
}
