// Update campaigns (Comet's admin/update-campaign/*, top-level only) and Halley's additions: staged
// rollout parameters on start, pause / resume / abort, the history and the per-device table. Domain:
// lib/campaigns/.
import { parseCampaignOptions, parseRollout, type TUpdateCampaignOptions } from '../../campaigns/campaign-options';
import { getCampaignStatus } from '../../campaigns/get-campaign-status';
import { listCampaignDevices } from '../../campaigns/list-campaign-devices';
import { listCampaigns } from '../../campaigns/list-campaigns';
import { setCampaignState } from '../../campaigns/set-campaign-state';
import { startCampaign } from '../../campaigns/start-campaign';
import { p } from '../params';
import { defineEndpoint } from '../registry';

const rollout = {
  CanaryPercent: p.int().describe('Halley: staged rollout, share (%) of the eligible devices updated first; 0 = no canary wave').halley(),
  BatchSize: p.int().describe('Halley: staged rollout, devices per wave after the canary; 0 = all remaining at once').halley(),
  FailureThresholdPercent: p
    .int()
    .describe('Halley: pause the campaign when more than this share (%) of a finished wave failed; 0 = never')
    .halley(),
};

const stateAction = (action: 'pause' | 'resume' | 'abort', method: string, summary: string) =>
  defineEndpoint({
    path: `/api/v1/admin/update-campaign/${action}`,
    method,
    summary,
    auth: 'admin',
    topLevelOnly: true,
    extension: true,
    params: {},
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, request }) => setCampaignState({ actor, action, locale: request.locale }),
  });

export const campaignEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/update-campaign/start',
    method: 'AdminUpdateCampaignStart',
    summary: "Start a bulk upgrade campaign to this server's client version (Active=false stops the current one)",
    auth: 'admin',
    topLevelOnly: true,
    params: { Options: p.json<TUpdateCampaignOptions>('UpdateCampaignOptions'), ...rollout },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params, request }) =>
      startCampaign({
        actor,
        options: parseCampaignOptions(params.Options),
        rollout: parseRollout(params),
        selfAddress: request.host ? `http://${request.host}/` : '',
        locale: request.locale,
      }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/update-campaign/status',
    method: 'AdminUpdateCampaignStatus',
    summary: 'The current bulk upgrade campaign and the update status of every device',
    auth: 'admin',
    topLevelOnly: true,
    params: {},
    returns: 'UpdateCampaignStatus',
    handler: ({ actor }) => getCampaignStatus({ actor }),
  }),
  stateAction('pause', 'HalleyAdminUpdateCampaignPause', 'Halley: pause the current campaign (no new update requests until resumed)'),
  stateAction('resume', 'HalleyAdminUpdateCampaignResume', 'Halley: resume a paused campaign (after an automatic pause, the failed wave is accepted)'),
  stateAction('abort', 'HalleyAdminUpdateCampaignAbort', 'Halley: end the current campaign now'),
  defineEndpoint({
    path: '/api/v1/admin/update-campaign/history',
    method: 'HalleyAdminUpdateCampaignHistory',
    summary: 'Halley: past and current campaigns, newest first, with per-status device counts',
    auth: 'admin',
    topLevelOnly: true,
    extension: true,
    params: { Limit: p.int().opt() },
    returns: '[]HalleyUpdateCampaign',
    handler: ({ actor, params, request }) => listCampaigns({ actor, limit: params.Limit, locale: request.locale }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/update-campaign/devices',
    method: 'HalleyAdminUpdateCampaignDevices',
    summary: "Halley: one campaign's devices and outcomes (default: the current campaign), filtered by status or text, paged",
    auth: 'admin',
    topLevelOnly: true,
    extension: true,
    params: { CampaignID: p.string().opt(), Status: p.int().opt(), Search: p.string().opt(), Offset: p.int().opt(), Limit: p.int().opt() },
    returns: 'HalleyUpdateCampaignDevices',
    handler: ({ actor, params, request }) =>
      listCampaignDevices({ actor, campaignId: params.CampaignID || undefined, status: params.Status, search: params.Search, offset: params.Offset, limit: params.Limit, locale: request.locale }),
  }),
];
