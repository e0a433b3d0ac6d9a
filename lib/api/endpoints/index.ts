import type { AnyEndpoint } from '../registry';
import { adminSecurityEndpoints } from './admin-security';
import { adminSelfEndpoints } from './admin-self';
import { backupConfigEndpoints } from './backup-config';
import { brandingEndpoints } from './branding';
import { brandingConfigEndpoints } from './branding-config';
import { bulkReplaceEndpoints } from './bulk-replace';
import { campaignEndpoints } from './campaigns';
import { billingEndpoints } from './billing';
import { consoleEndpoints } from './console';
import { constellationEndpoints } from './constellation';
import { emailEndpoints } from './email';
import { emailPreviewEndpoints } from './email-preview';
import { dispatcherEndpoints, userDispatcherEndpoints } from './dispatcher';
import { dispatcherBrowseEndpoints } from './dispatcher-browse';
import { dispatcherSnapshotEndpoints } from './dispatcher-snapshots';
import { externalAuthEndpoints } from './external-auth';
import { jobEndpoints, userWebJobEndpoints } from './jobs';
import { metaEndpoints } from './meta';
import { overviewEndpoints } from './overview';
import { passwordPolicyEndpoints } from './password-policy';
import { newsEndpoints } from './news';
import { psaEndpoints } from './psa';
import { policyEndpoints } from './policies';
import { protectedItemEndpoints } from './protected-items';
import { serverInfoEndpoints } from './server-info';
import { organizationImportEndpoints } from './organization-import';
import { serverOpsEndpoints } from './server-ops';
import { serverSecurityEndpoints } from './server-security';
import { storageEndpoints } from './storage';
import { storageConvertEndpoints } from './storage-convert';
import { tenantEndpoints } from './tenants';
import { userEndpoints } from './users';
import { usersBulkEndpoints } from './users-bulk';
import { devicesPageEndpoints } from './devices-page';
import { userGroupEndpoints } from './user-groups';
import { userWebEndpoints } from './user-web';
import { webhookEndpoints } from './webhooks';
import { sharedQuotaEndpoints } from './shared-quotas';
import { consoleBrandingEndpoints } from './console-branding';

/** Every endpoint Halley serves, in one list. */
export const endpoints: readonly AnyEndpoint[] = [
  ...adminSelfEndpoints,
  ...adminSecurityEndpoints,
  ...externalAuthEndpoints,
  ...serverSecurityEndpoints,
  ...tenantEndpoints,
  ...userEndpoints,
  ...usersBulkEndpoints,
  ...devicesPageEndpoints,
  ...policyEndpoints,
  ...metaEndpoints,
  ...webhookEndpoints,
  ...userWebEndpoints,
  ...consoleEndpoints,
  ...jobEndpoints,
  ...userWebJobEndpoints,
  ...emailEndpoints,
  ...dispatcherEndpoints,
  ...userDispatcherEndpoints,
  ...dispatcherSnapshotEndpoints,
  ...dispatcherBrowseEndpoints,
  ...serverInfoEndpoints,
  ...storageEndpoints,
  ...backupConfigEndpoints,
  ...bulkReplaceEndpoints,
  ...campaignEndpoints,
  ...serverOpsEndpoints,
  ...organizationImportEndpoints,
  ...billingEndpoints,
  ...userGroupEndpoints,
  ...constellationEndpoints,
  ...protectedItemEndpoints,
  ...brandingEndpoints,
  ...sharedQuotaEndpoints,
  ...consoleBrandingEndpoints,
  ...overviewEndpoints,
  ...passwordPolicyEndpoints,
  ...newsEndpoints,
  ...psaEndpoints,
  ...emailPreviewEndpoints,
  ...storageConvertEndpoints,
  ...brandingConfigEndpoints,
];

const byPath = new Map(endpoints.map((e) => [e.path, e]));
if (byPath.size !== endpoints.length) throw new Error('Duplicate endpoint path in the registry');

export function endpointByPath(path: string): AnyEndpoint | undefined {
  return byPath.get(path);
}
