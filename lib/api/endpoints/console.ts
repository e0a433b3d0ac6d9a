// Halley extensions the console is built on (and any integrator may use): a paged, sorted, searchable
// user list, the global search, getting-started progress, and the admin's console preferences.
import { getConsolePreferences, setConsolePreferences } from '../../admins/console-preferences';
import { BadRequestError } from '../../errors';
import { gettingStarted } from '../../meta/getting-started';
import { globalSearch } from '../../search/global-search';
import { listUsersPage } from '../../desk/list-users-page';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { OK } from './ok';
import { apiMessage } from '../../i18n/api-messages';

export const consoleEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/list-users-page',
    method: 'HalleyAdminListUsersPage',
    summary:
      'Halley: one page of the users the admin may see, with device / protected item / vault counts. Query matches username, account name or an email; PolicyID keeps the users of one policy; SortBy is Username, AccountName, Organization, CreateTime, Devices, ProtectedItems, StorageVaults, Status or Quota',
    auth: 'admin',
    extension: true,
    params: { Query: p.string().opt(), SortBy: p.string().opt(), SortDesc: p.bool().opt(), Offset: p.int().opt(), Limit: p.int().opt(), PolicyID: p.string().opt() },
    returns: 'HalleyUserPage',
    handler: ({ actor, params }) => listUsersPage({ actor, query: params.Query, sortBy: params.SortBy, sortDesc: params.SortDesc, offset: params.Offset, limit: params.Limit, policyId: params.PolicyID }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/search',
    method: 'HalleyAdminSearch',
    summary: 'Halley: users, storage vaults and protected items whose name contains Query (up to 8 of each)',
    auth: 'admin',
    extension: true,
    params: { Query: p.string() },
    returns: 'HalleySearchResult',
    handler: ({ actor, params }) => globalSearch({ actor, query: params.Query }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/getting-started',
    method: 'HalleyAdminMetaGettingStarted',
    summary: 'Halley: which first steps are done in the admin’s scope (storage, user, device, protected item, backup job)',
    auth: 'admin',
    extension: true,
    params: {},
    returns: 'HalleyGettingStarted',
    handler: ({ actor }) => gettingStarted({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/account/console-preferences/get',
    method: 'HalleyAdminAccountConsolePreferencesGet',
    summary: "Halley: the calling admin's console preferences (PageSize, TableColumns, GuideDismissed, AdvancedOptions)",
    auth: 'admin',
    extension: true,
    params: {},
    returns: 'HalleyConsolePreferences',
    handler: ({ actor }) => getConsolePreferences({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/account/console-preferences/set',
    method: 'HalleyAdminAccountConsolePreferencesSet',
    summary: 'Halley: merge fields into the calling admin’s console preferences; TableColumns maps a table to column ids (null forgets it)',
    auth: 'admin',
    extension: true,
    params: { Preferences: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      let patch: unknown;
      try {
        patch = JSON.parse(params.Preferences);
      } catch {
        throw new BadRequestError(apiMessage('preferencesNotJson'));
      }
      await setConsolePreferences({ actor, patch });
      return OK;
    },
  }),
];
