// External admin sign-in sources (LDAP / OIDC) of the caller's organization. Tenant admins need
// AllowEditExternalAuthSources; top-level admins manage the server's (top-level organization's) own.
import { deleteExternalAuthSource, getExternalAuthSources, newExternalAuthSource, setExternalAuthSources } from '../../external-auth/manage-sources';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { OK } from './ok';

export const externalAuthEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/external-auth-sources/get',
    method: 'AdminExternalAuthSourcesGet',
    summary: "The organization's external admin sign-in sources by ID (secrets blank)",
    auth: 'admin',
    permission: 'external-auth.edit',
    params: {},
    returns: 'map[string]ExternalAuthenticationSource',
    handler: ({ actor }) => getExternalAuthSources({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/external-auth-sources/new',
    method: 'AdminExternalAuthSourcesNew',
    summary: 'Add an external admin sign-in source (or replace the one with SourceID); empty secrets keep the stored ones',
    auth: 'admin',
    permission: 'external-auth.edit',
    params: { Source: p.json('ExternalAuthenticationSource'), SourceID: p.string().opt() },
    returns: 'ExternalAuthenticationSourceResponse',
    handler: ({ actor, params }) => newExternalAuthSource({ actor, source: params.Source, sourceId: params.SourceID }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/external-auth-sources/set',
    method: 'AdminExternalAuthSourcesSet',
    summary: "Replace the organization's whole map of external sign-in sources; empty secrets keep the stored ones",
    auth: 'admin',
    permission: 'external-auth.edit',
    params: { Sources: p.json<Record<string, Record<string, unknown>>>('map[string]ExternalAuthenticationSource') },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await setExternalAuthSources({ actor, sources: params.Sources });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/external-auth-sources/delete',
    method: 'AdminExternalAuthSourcesDelete',
    summary: 'Remove one external sign-in source',
    auth: 'admin',
    permission: 'external-auth.edit',
    params: { SourceID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await deleteExternalAuthSource({ actor, sourceId: params.SourceID });
      return OK;
    },
  }),
];
