import { deleteOrganization, listOrganizations, setOrganization } from '../../tenants/organizations';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { OK } from './ok';

export const tenantEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/organization/list',
    method: 'AdminOrganizationList',
    summary: 'All tenants keyed by organization ID',
    auth: 'admin',
    topLevelOnly: true,
    params: {},
    returns: 'map[string]Organization',
    handler: ({ actor }) => listOrganizations({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/organization/set',
    method: 'AdminOrganizationSet',
    summary: 'Create a tenant (no OrganizationID) or update an existing one',
    auth: 'admin',
    topLevelOnly: true,
    params: { OrganizationID: p.string().opt(), Organization: p.json('Organization').opt() },
    returns: 'OrganizationResponse',
    handler: ({ actor, params }) => setOrganization({ actor, organizationId: params.OrganizationID, organization: params.Organization }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/organization/delete',
    method: 'AdminOrganizationDelete',
    summary: 'Delete a tenant with its admins, users and policies',
    auth: 'admin',
    topLevelOnly: true,
    params: { OrganizationID: p.string().opt(), UninstallConfig: p.json('UninstallConfig').opt() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await deleteOrganization({ actor, organizationId: params.OrganizationID, uninstall: params.UninstallConfig });
      return OK;
    },
  }),
];
