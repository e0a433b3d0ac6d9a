// An organization's price list as the domain uses it: unit prices as numbers, booster prices for every type.
import type { Tx } from '../db/client';
import { db } from '../db/client';
import { BOOSTER_TYPES } from '../usage/boosters';

/** Halley's HalleyPriceList wire shape (admin/billing/price-list/get|set). */
export type TPriceList = {
  Currency: string;
  /** Per registered device and month. */
  DevicePrice: number;
  /** Per GB (10^9 bytes) stored and month. */
  GBMonthPrice: number;
  /** Per booster (one protected item type on one device) and month, by booster type. */
  BoosterPrices: Record<string, number>;
};

const DEFAULT_CURRENCY = 'USD';

/** The price list of one organization (already resolved in the caller's scope); zero prices when none is set. */
export async function loadPriceList(tenantId: string, client: Tx | ReturnType<typeof db> = db()): Promise<TPriceList> {
  // tenancy: derived — tenantId is the organization the caller resolved through lib/tenancy (targetTenant)
  const row = await client.billingPriceList.findUnique({ where: { tenantId }, select: { currency: true, devicePrice: true, gbMonthPrice: true, boosterPrices: true } });
  const stored = (row?.boosterPrices ?? {}) as Record<string, unknown>;
  const boosterPrices: Record<string, number> = {};
  for (const t of BOOSTER_TYPES) boosterPrices[t] = Number(stored[t] ?? 0) || 0;
  return {
    Currency: row?.currency ?? DEFAULT_CURRENCY,
    DevicePrice: row ? Number(row.devicePrice) : 0,
    GBMonthPrice: row ? Number(row.gbMonthPrice) : 0,
    BoosterPrices: boosterPrices,
  };
}
