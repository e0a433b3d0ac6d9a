// A stored PsaConfig row as Comet's PSAConfig: PartnerKey left out (blank) and every CustomHeaders value
// masked, so no secret leaves the server; unknown fields the admin sent are returned as they were.
import { maskCustomHeaders } from '../webhooks/custom-headers';
import type { PsaConfigRow, TPsaConfigWire } from './psa-config';

export function psaConfigToWire(row: PsaConfigRow): TPsaConfigWire {
  const extra = row.extra && typeof row.extra === 'object' && !Array.isArray(row.extra) ? (row.extra as Record<string, unknown>) : {};
  const headers = maskCustomHeaders(row.customHeaders);
  return {
    ...extra,
    AlertsDisabled: row.alertsDisabled,
    ...(Object.keys(headers).length ? { CustomHeaders: headers } : {}),
    Type: row.type,
    URL: row.url,
    GroupedBy: { Users: row.groupedUsers, Tenants: row.groupedTenants, AccountName: row.groupedAccountName },
  };
}
