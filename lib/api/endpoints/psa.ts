// PSA integrations (issue 18): Comet's admin/meta/psa-config-list/get|set|sync-now for the caller's
// organization (a top-level admin's list is the server's), and Halley's status extension (delivery log).
// Domain: lib/psa/.
import { getPsaConfigs } from '../../psa/get-psa-configs';
import { listPsaStatus } from '../../psa/list-psa-status';
import { setPsaConfigs } from '../../psa/set-psa-configs';
import { syncPsaNow } from '../../psa/sync-psa-now';
import { localizeApiMessage } from '../../i18n/api-messages';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { OK } from './ok';

export const psaEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/meta/psa-config-list/get',
    method: 'AdminMetaPsaConfigListGet',
    summary: "The organization's PSA integrations (PartnerKey left out, CustomHeaders values masked)",
    auth: 'admin',
    params: {},
    returns: '[]PSAConfig',
    handler: ({ actor }) => getPsaConfigs({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/psa-config-list/set',
    method: 'AdminMetaPsaConfigListSet',
    summary: "Replace the organization's PSA integrations; a blank PartnerKey or masked header keeps the stored secret",
    auth: 'admin',
    params: { PSAConfigList: p.json<unknown>('[]PSAConfig') },
    returns: 'CometAPIResponseMessage',
    // Halley adds `Warnings` (additive) when a saved URL's host does not resolve yet.
    handler: async ({ actor, params, request }) => {
      const warnings = await setPsaConfigs({ actor, list: params.PSAConfigList });
      return warnings.length ? { ...OK, Warnings: warnings.map((w) => localizeApiMessage(w, request.locale ?? 'en')) } : OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/psa-config-list/sync-now',
    method: 'AdminMetaPsaConfigListSyncNow',
    summary: 'Push usage and alerts to every PSA integration of the organization now (queued)',
    auth: 'admin',
    params: {},
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor }) => {
      await syncPsaNow({ actor });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/psa-config-list/status',
    method: 'HalleyAdminMetaPsaConfigListStatus',
    summary: "Each PSA integration's stored-secret flags and latest pushes (delivery log)",
    auth: 'admin',
    extension: true,
    params: {},
    returns: 'HalleyPsaStatus',
    handler: ({ actor, request }) => listPsaStatus({ actor, locale: request.locale }),
  }),
];
