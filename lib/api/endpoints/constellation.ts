// Constellation (issue 16): bucket-usage reports and clean-up sweeps of each organization's own buckets
// (lib/constellation). Access follows DenyConstellationRole.
import { constellationStatus } from '../../constellation/constellation-status';
import type { TConstellationRoleOptions } from '../../constellation/config-store';
import { getConstellationConfig } from '../../constellation/get-constellation-config';
import { lastConstellationReport } from '../../constellation/last-constellation-report';
import { listConstellationBuckets } from '../../constellation/list-constellation-buckets';
import { restoreConstellationBucket } from '../../constellation/restore-constellation-bucket';
import { newConstellationReport } from '../../constellation/new-constellation-report';
import { pruneConstellationNow } from '../../constellation/prune-constellation-now';
import { setConstellationConfig } from '../../constellation/set-constellation-config';
import { testConstellationServer } from '../../constellation/test-constellation-server';
import { apiMessage, localizeApiMessage } from '../../i18n/api-messages';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { OK } from './ok';

export const constellationEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/meta/constellation/config/get',
    method: 'AdminMetaConstellationConfigGet',
    summary: "The caller's organization's Constellation Role options (credentials blanked)",
    auth: 'admin',
    permission: 'constellation.role',
    params: {},
    returns: 'ConstellationRoleOptions',
    handler: ({ actor }) => getConstellationConfig({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/constellation/config/set',
    method: 'AdminMetaConstellationConfigSet',
    summary: "Sets the caller's organization's Constellation Role options (Servers: other Halley or Comet servers, Type \"comet\", credentials sealed; an empty Password keeps the stored one)",
    auth: 'admin',
    permission: 'constellation.role',
    params: { ConstellationRoleOptions: p.json<TConstellationRoleOptions>('ConstellationRoleOptions') },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await setConstellationConfig({ actor, options: params.ConstellationRoleOptions });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/constellation/status',
    method: 'AdminConstellationStatus',
    summary: "The caller's organization's Constellation: deletion switch, targets and run statistics",
    auth: 'admin',
    permission: 'constellation.role',
    params: {},
    returns: 'ConstellationStatusAPIResponse',
    handler: ({ actor, request }) => constellationStatus({ actor, selfAddress: request.host ? `http://${request.host}` : '', locale: request.locale }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/constellation/last-report',
    method: 'AdminConstellationLastReport',
    summary: "The caller's organization's latest finished bucket-usage report",
    auth: 'admin',
    permission: 'constellation.role',
    params: {},
    returns: 'ConstellationCheckReport',
    handler: ({ actor }) => lastConstellationReport({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/constellation/new-report',
    method: 'AdminConstellationNewReport',
    summary: 'A bucket-usage report now (looks only: sweeps quarantine and delete)',
    auth: 'admin',
    permission: 'constellation.role',
    params: {},
    returns: 'ConstellationCheckReport',
    handler: ({ actor }) => newConstellationReport({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/constellation/prune-now',
    method: 'AdminConstellationPruneNow',
    summary: 'A report with its sweep now (every deletion guard applies; deletion goes through quarantine first)',
    auth: 'admin',
    topLevelOnly: true,
    permission: 'constellation.role',
    params: {},
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, request }) => {
      const done = await pruneConstellationNow({ actor });
      return { ...OK, Message: localizeApiMessage(apiMessage('constellationPruneDone', { quarantined: done.quarantined, deleted: done.deleted }), request.locale ?? 'en') };
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/constellation/buckets',
    method: 'HalleyConstellationBuckets',
    summary: "The latest report of the caller's organization's Constellation, one row per bucket: verdict and reason, its users, unused streak, quarantine and deletion times",
    auth: 'admin',
    permission: 'constellation.role',
    extension: true,
    params: {},
    returns: 'HalleyConstellationBuckets',
    handler: ({ actor, request }) => listConstellationBuckets({ actor, locale: request.locale }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/constellation/restore-bucket',
    method: 'HalleyConstellationRestoreBucket',
    summary: 'Take a quarantined bucket out of quarantine (its data was never touched); every guard has to hold again before it is quarantined once more',
    auth: 'admin',
    permission: 'constellation.role',
    extension: true,
    params: { BucketID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await restoreConstellationBucket({ actor, bucketId: params.BucketID });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/halley/constellation/test-server',
    method: 'HalleyConstellationTestServer',
    summary: "Tries a Constellation target server (RemoteServerAddress, Type \"comet\"): its list-buckets with the credentials given (an empty Password uses the stored one of the same server and user), through the outbound guard",
    auth: 'admin',
    permission: 'constellation.role',
    extension: true,
    params: { RemoteServer: p.json<Record<string, unknown>>('RemoteServerAddress') },
    returns: 'HalleyConstellationServerTest',
    handler: async ({ actor, params, request }) => {
      const done = await testConstellationServer({ actor, server: params.RemoteServer });
      const message = apiMessage('constellationTestServerOk', { address: done.Address, buckets: String(done.Buckets) });
      // The request's language (RequestInfo.locale, from Accept-Language), as errors are translated.
      return { Status: 200, Message: localizeApiMessage(message, request.locale ?? 'en'), ...done };
    },
  }),
];
