// Turns grouped ledger rows into invoice-ready report rows: quantities (peaks and month-weighted sums) and,
// with the organization's price list, one line per billable item and the row's amount.
import { wireOrganizationId } from '../tenancy/actor';
import { BOOSTER_TYPES } from '../usage/boosters';
import type { TPriceList } from './prices';
import type { UsageSqlRow } from './usage-query';

type TInvoiceLine = { Item: string; Quantity: number; UnitPrice: number; Amount: number };

/** HalleyBillingUsageRow. Peaks are the most on any one day of the range; *Months are month-weighted sums. */
export type TUsageRow = {
  Key: string;
  OrganizationID: string;
  OrganizationName: string;
  Username: string;
  DeviceID: string;
  DeviceName: string;
  Days: number;
  Users: number;
  Devices: number;
  ConfiguredDevices: number;
  Boosters: number;
  Office365Accounts: number;
  StorageBytes: number;
  LiveDevices: number;
  DeviceMonths: number;
  GBMonths: number;
  /** booster type -> peak devices using it and booster-months */
  BoosterUsage: Record<string, { Peak: number; Months: number }>;
  Lines: TInvoiceLine[];
  Amount: number;
};

/** An amount rounded to cents. */
export const money = (n: number) => Math.round(n * 100) / 100;

export function usageRow(r: UsageSqlRow, prices: TPriceList): TUsageRow {
  const deviceMonths = Number(r.device_months);
  const gbMonths = Number(r.gb_months);
  const boosterUsage: TUsageRow['BoosterUsage'] = {};
  for (const [type, [peak, months]] of Object.entries(r.booster_usage ?? {})) boosterUsage[type] = { Peak: Number(peak), Months: Number(months) };
  const lines: TInvoiceLine[] = [{ Item: 'devices', Quantity: deviceMonths, UnitPrice: prices.DevicePrice, Amount: money(deviceMonths * prices.DevicePrice) }];
  for (const type of BOOSTER_TYPES) {
    const months = boosterUsage[type]?.Months ?? 0;
    if (months > 0) lines.push({ Item: `booster:${type}`, Quantity: months, UnitPrice: prices.BoosterPrices[type] ?? 0, Amount: money(months * (prices.BoosterPrices[type] ?? 0)) });
  }
  lines.push({ Item: 'storage', Quantity: gbMonths, UnitPrice: prices.GBMonthPrice, Amount: money(gbMonths * prices.GBMonthPrice) });
  return {
    Key: r.key,
    OrganizationID: r.tenant_id ? wireOrganizationId(r.tenant_id) : '',
    OrganizationName: r.tenant_name,
    Username: r.username,
    DeviceID: r.device_id,
    DeviceName: r.device_name,
    Days: Number(r.days),
    Users: Number(r.users),
    Devices: Number(r.devices),
    ConfiguredDevices: Number(r.configured_devices),
    Boosters: Number(r.boosters),
    Office365Accounts: Number(r.office365_accounts),
    StorageBytes: Number(r.storage_bytes),
    LiveDevices: Number(r.live_devices),
    DeviceMonths: deviceMonths,
    GBMonths: gbMonths,
    BoosterUsage: boosterUsage,
    Lines: lines,
    Amount: money(lines.reduce((s, l) => s + l.Amount, 0)),
  };
}
