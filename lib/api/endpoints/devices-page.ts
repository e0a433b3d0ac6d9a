// Halley: the console's devices table — one page of registered devices with their live state, filtered.
import { listDevicePage } from '../../live/list-device-page';
import { p } from '../params';
import { defineEndpoint } from '../registry';

export const devicesPageEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/dispatcher/list-devices-page',
    method: 'HalleyDispatcherListDevicesPage',
    summary:
      'Halley: one page of the registered devices the admin may see (by username), with live state, OS and whether the client is outdated; TotalCount, the server’s ClientVersion and the OS values for a filter',
    auth: 'admin',
    extension: true,
    params: {
      Offset: p.int().opt(),
      Limit: p.int().describe('1-500, default 50').opt(),
      Query: p.string().describe("only devices whose name, ID or user's name contains this (any case)").opt(),
      Status: p.string().describe('"online" or "offline": only those devices').opt(),
      OS: p.string().describe('only devices that reported this operating system (windows, linux, darwin, ...)').opt(),
      Outdated: p.bool().describe('only devices whose client is older than the server’s').opt(),
    },
    returns: 'HalleyDevicePage',
    handler: ({ actor, params }) =>
      listDevicePage({ actor, offset: params.Offset, limit: params.Limit, query: params.Query, status: params.Status, os: params.OS, outdated: params.Outdated }),
  }),
];
