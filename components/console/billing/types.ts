// The wire shapes of Halley's billing endpoints as the console reads them (admin/billing/usage, price-list/get).
export type UsageRow = {
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
  BoosterUsage: Record<string, { Peak: number; Months: number }>;
  Lines: Array<{ Item: string; Quantity: number; UnitPrice: number; Amount: number }>;
  Amount: number;
};

export type UsageReport = { GroupBy: string; FromDay: string; ToDay: string; Days: number; Currency: string; TotalRows: number; Rows: UsageRow[]; Totals: UsageRow };

export type PriceList = { Currency: string; DevicePrice: number; GBMonthPrice: number; BoosterPrices: Record<string, number> };

export const GROUPS = ['tenant', 'user', 'device', 'day', 'month'] as const;
