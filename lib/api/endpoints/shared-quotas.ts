// Comet shared storage quotas (issue 18): admin/squota/*, ids unique per organization.
import { deleteSharedQuota } from '../../shared-quotas/delete-shared-quota';
import { getSharedQuota } from '../../shared-quotas/get-shared-quota';
import { listSharedQuotas } from '../../shared-quotas/list-shared-quotas';
import { setSharedQuota } from '../../shared-quotas/set-shared-quota';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { OK } from './ok';

export const sharedQuotaEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/squota/list-all',
    method: 'AdminSquotaListAll',
    summary: 'Shared storage quotas the admin may see, keyed by ID',
    auth: 'admin',
    params: {},
    returns: 'ListSharedStorageQuotaResponse',
    handler: ({ actor }) => listSharedQuotas({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/squota/get-with-hash',
    method: 'AdminSquotaGetWithHash',
    summary: 'One shared storage quota with its change hash and the bytes its vaults use',
    auth: 'admin',
    params: { SharedStorageQuotaID: p.string() },
    returns: 'GetSharedStorageQuotaResponse',
    handler: ({ actor, params }) => getSharedQuota({ actor, id: params.SharedStorageQuotaID }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/squota/set-with-hash',
    method: 'AdminSquotaSetWithHash',
    summary: 'Create or update a shared storage quota, optionally guarded by its hash',
    auth: 'admin',
    params: { SharedStorageQuotaID: p.string(), SharedStorageQuota: p.json('SharedStorageQuota'), CheckHash: p.string().opt() },
    returns: 'SetSharedStorageQuotaResponse',
    handler: ({ actor, params }) => setSharedQuota({ actor, id: params.SharedStorageQuotaID, quota: params.SharedStorageQuota, checkHash: params.CheckHash }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/squota/delete',
    method: 'AdminSquotaDelete',
    summary: 'Delete a shared storage quota',
    auth: 'admin',
    params: { SharedStorageQuotaID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await deleteSharedQuota({ actor, id: params.SharedStorageQuotaID });
      return OK;
    },
  }),
];
