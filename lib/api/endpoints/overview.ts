import { getOverview } from '../../overview/get-overview';
import { p } from '../params';
import { defineEndpoint } from '../registry';

export const overviewEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/halley/overview',
    method: 'HalleyAdminOverview',
    summary:
      'Halley: the operations overview per organization: failed / warning / missed jobs over 24 h and 7 d, devices offline for more than OfflineDays (default 7) days, outdated clients, storage used and its 7-day growth (usage ledger), users over or near quota, recent sign-in failures',
    auth: 'admin',
    extension: true,
    params: { OfflineDays: p.int().describe('days without a live connection before a device counts as offline (1–3650, default 7)').opt() },
    returns: 'HalleyOverview',
    handler: ({ actor, params }) => getOverview({ actor, offlineDays: params.OfflineDays }),
  }),
];
