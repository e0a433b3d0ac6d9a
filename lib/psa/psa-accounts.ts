// The customer accounts an integration bills: one per group of its GroupedBy (account name first, then
// user, then tenant; without any, the organization as one account), and which of them an alert belongs to.
import type { TPsaAlert } from './collect-alerts';
import type { TPsaUsageSummary } from './build-usage-summary';
import type { TUsageRow } from '../billing/usage-rows';

export type PsaAccount = { id: string; name: string; devices: number; storageGB: number; boosters: number; office365Accounts: number };

const account = (id: string, name: string, r: TUsageRow): PsaAccount => ({
  id,
  name,
  devices: r.Devices,
  storageGB: Math.ceil(r.StorageBytes / 1e9),
  boosters: r.Boosters,
  office365Accounts: r.Office365Accounts,
});

export function psaAccounts(s: TPsaUsageSummary, organizationId: string, organizationName: string): PsaAccount[] {
  if (s.ByAccountName) return s.ByAccountName.map((r) => account(`name:${r.Key}`, r.Key, r));
  if (s.ByUser) return s.ByUser.map((r) => account(`user:${r.Key}`, r.Username, r));
  if (s.ByTenant) return s.ByTenant.map((r) => account(`org:${r.OrganizationID}`, r.OrganizationName || 'Top level', r));
  return [account(`org:${organizationId}`, organizationName, s.Totals)];
}

export function alertAccount(s: TPsaUsageSummary, organizationId: string, organizationName: string, alert: TPsaAlert): { id: string; name: string } {
  if (s.GroupedBy.AccountName) {
    const name = alert.AccountName || alert.Username;
    return { id: `name:${name}`, name };
  }
  if (s.GroupedBy.Users) return { id: `user:${alert.AccountID}`, name: alert.Username };
  if (s.GroupedBy.Tenants) return { id: `org:${alert.OrganizationID}`, name: alert.OrganizationName || 'Top level' };
  return { id: `org:${organizationId}`, name: organizationName };
}
