// Halley: the users table's bulk actions and CSV export (the console's operations desk; any integrator may
// use them). Both name users the caller may see; another tenant's user answers like a missing one.
import { bulkUsers } from '../../desk/bulk-users';
import { exportUsers } from '../../desk/export-users';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { ApiReply } from '../reply';

export const usersBulkEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/users/bulk',
    method: 'HalleyAdminUsersBulk',
    summary:
      'Halley: one action on up to 200 users, each on its own (per-user Status and Message): apply-policy (PolicyID, "" removes it), suspend, unsuspend, send-report (each configured report over the last day, now), update-software (every online device)',
    auth: 'admin',
    extension: true,
    params: {
      Action: p.string().describe('apply-policy, suspend, unsuspend, send-report or update-software'),
      Usernames: p.json<unknown>('[]string'),
      PolicyID: p.string().describe('apply-policy: the policy to assign ("" removes the assignment)').opt(),
    },
    returns: 'HalleyBulkUsersResult',
    handler: ({ actor, params, request }) =>
      bulkUsers({ actor, action: params.Action, usernames: params.Usernames, policyId: params.PolicyID, selfAddress: request.host ? `http://${request.host}/` : '', locale: request.locale }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/users/export',
    method: 'HalleyAdminUsersExport',
    summary: 'Halley: the users table as a streamed CSV file: every user matching Query (as list-users-page), or only the named Usernames',
    auth: 'admin',
    extension: true,
    params: {
      Query: p.string().opt(),
      SortBy: p.string().opt(),
      SortDesc: p.bool().opt(),
      Usernames: p.json<unknown>('[]string').describe('only these users (the selection)').opt(),
    },
    returns: 'file',
    responseFormat: 'file',
    handler: async ({ actor, params }) => {
      const file = await exportUsers({ actor, query: params.Query, sortBy: params.SortBy, sortDesc: params.SortDesc, usernames: params.Usernames });
      return ApiReply.file(file.body, { filename: file.filename, contentType: 'text/csv; charset=utf-8' });
    },
  }),
];
