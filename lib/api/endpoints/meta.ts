import { serverVersionInfo } from '../../meta/version';
import { defineEndpoint } from '../registry';

export const metaEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/meta/version',
    method: 'AdminMetaVersion',
    summary: 'Server version, uptime and roles',
    auth: 'admin',
    params: {},
    returns: 'ServerMetaVersionInfo',
    handler: ({ actor }) => serverVersionInfo(actor),
  }),
];
