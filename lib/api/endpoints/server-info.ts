// Server facts and roles Halley answers in Comet's shape: replication (Halley has none: an empty list of
// replicators, as a Comet Server without replication answers), the network interfaces, the software build
// role's options, and the legacy U2F pair (replaced by WebAuthn).
import { BadRequestError } from '../../errors';
import { getBuildRoleConfig, setBuildRoleConfig } from '../../server-info/build-role-config';
import { listNetworkInterfaces } from '../../server-info/list-network-interfaces';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { apiMessage } from '../../i18n/api-messages';


export const serverInfoEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/replication/state',
    method: 'AdminReplicationState',
    summary: 'Replication state of this server: Halley replicates through PostgreSQL, so there is no Comet replicator to list',
    auth: 'admin',
    topLevelOnly: true,
    params: {},
    returns: '[]ReplicatorStateAPIResponse',
    handler: async () => [],
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/server-config/network-interfaces',
    method: 'AdminMetaServerConfigNetworkInterfaces',
    summary: 'Addresses this node can listen on',
    auth: 'admin',
    topLevelOnly: true,
    permission: 'server.info',
    params: {},
    returns: '[]string',
    handler: async () => listNetworkInterfaces(),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/build-config/get',
    method: 'AdminMetaBuildConfigGet',
    summary: "The software build role's options (server-wide; top-level administrators)",
    auth: 'admin',
    // Comet files the build options under branding (AllowEditBranding), as the permission-gate test maps them.
    permission: 'branding.edit',
    params: {},
    returns: 'ServerConfigOptionsSoftwareBuildRoleFragment',
    handler: ({ actor }) => getBuildRoleConfig({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/build-config/set',
    method: 'AdminMetaBuildConfigSet',
    summary: "Replace the software build role's options (stored and returned unchanged, unknown fields included)",
    auth: 'admin',
    permission: 'branding.edit',
    params: { SoftwareBuildRoleConfig: p.json<Record<string, unknown>>('SoftwareBuildRoleOptions') },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) => setBuildRoleConfig({ actor, options: params.SoftwareBuildRoleConfig }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/account/u2f/request-registration-challenge',
    method: 'AdminAccountU2fRequestRegistrationChallenge',
    summary: 'Legacy U2F registration: refused with a pointer to WebAuthn',
    auth: 'admin',
    params: { SelfAddress: p.string() },
    returns: 'U2FRegistrationChallengeResponse',
    handler: async () => {
      throw new BadRequestError(apiMessage('u2fReplaced'));
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/account/u2f/submit-challenge-response',
    method: 'AdminAccountU2fSubmitChallengeResponse',
    summary: 'Legacy U2F registration: refused with a pointer to WebAuthn',
    auth: 'admin',
    params: { U2FChallengeID: p.string(), U2FClientData: p.string(), U2FRegistrationData: p.string(), U2FVersion: p.string(), Description: p.string().opt() },
    returns: 'CometAPIResponseMessage',
    handler: async () => {
      throw new BadRequestError(apiMessage('u2fReplaced'));
    },
  }),
];
