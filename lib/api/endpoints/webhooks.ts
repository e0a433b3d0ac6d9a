// Webhooks: Comet's meta/webhook-options/get|set (the caller's organization's map: a top-level admin's is
// the server's, a tenant admin's its tenant's; tenant admins need AllowEditWebhooks), and Halley
// extensions for the signing secret, test deliveries, the delivery log and the SSRF setting.
import { getWebhookSettings, setWebhookSettings } from '../../net/private-targets';
import { listWebhookDeliveries, redeliverWebhookDelivery, testWebhook } from '../../webhooks/manage-deliveries';
import { getWebhookOptions } from '../../webhooks/get-webhook-options';
import { setWebhookOptions } from '../../webhooks/set-webhook-options';
import { getWebhookSecret, rotateWebhookSecret } from '../../webhooks/webhook-secret';
import { localizeApiMessage } from '../../i18n/api-messages';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { OK } from './ok';

export const webhookEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/meta/webhook-options/get',
    method: 'AdminMetaWebhookOptionsGet',
    summary: "The organization's webhook targets keyed by ID (the signing secrets are not part of them)",
    auth: 'admin',
    permission: 'webhooks.edit',
    params: {},
    returns: 'map[string]WebhookOption',
    handler: ({ actor }) => getWebhookOptions({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/webhook-options/set',
    method: 'AdminMetaWebhookOptionsSet',
    summary: "Replace the organization's webhook targets; new or changed URLs are checked (SSRF guard) and receive SEVT_META_HELLO",
    auth: 'admin',
    permission: 'webhooks.edit',
    params: { WebhookOptions: p.json<Record<string, unknown>>('map[string]WebhookOption') },
    returns: 'CometAPIResponseMessage',
    // Halley adds `Warnings` (additive) when a saved URL's host does not resolve yet.
    handler: async ({ actor, params, request }) => {
      const warnings = await setWebhookOptions({ actor, options: params.WebhookOptions });
      return warnings.length ? { ...OK, Warnings: warnings.map((w) => localizeApiMessage(w, request.locale ?? 'en')) } : OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/webhook-options/get-secret',
    method: 'HalleyAdminMetaWebhookOptionsGetSecret',
    summary: 'Halley: the HMAC-SHA256 signing secret of one webhook (Secret), to configure the receiver',
    auth: 'admin',
    permission: 'webhooks.edit',
    extension: true,
    params: { WebhookID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) => getWebhookSecret({ actor, webhookId: params.WebhookID }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/webhook-options/rotate-secret',
    method: 'HalleyAdminMetaWebhookOptionsRotateSecret',
    summary: 'Halley: replace the signing secret of one webhook now; answers the new Secret',
    auth: 'admin',
    permission: 'webhooks.edit',
    extension: true,
    params: { WebhookID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) => rotateWebhookSecret({ actor, webhookId: params.WebhookID }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/webhook-options/test',
    method: 'HalleyAdminMetaWebhookOptionsTest',
    summary: 'Halley: send SEVT_META_HELLO to one webhook now, as a logged delivery (answers its DeliveryID)',
    auth: 'admin',
    permission: 'webhooks.edit',
    extension: true,
    params: { WebhookID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) => testWebhook({ actor, webhookId: params.WebhookID }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/webhook-deliveries/list',
    method: 'HalleyAdminMetaWebhookDeliveriesList',
    summary: 'Halley: the delivery log of one webhook, newest first (status, attempts, response code, last error, times)',
    auth: 'admin',
    permission: 'webhooks.edit',
    extension: true,
    params: {
      WebhookID: p.string(),
      Status: p.string().describe('pending, delivered or failed').opt(),
      Limit: p.int().describe('1-1000, default 100').opt(),
      BeforeID: p.int().describe('NextBeforeID of the previous page').opt(),
    },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params, request }) =>
      listWebhookDeliveries({ actor, webhookId: params.WebhookID, status: params.Status, limit: params.Limit, beforeId: params.BeforeID, locale: request.locale }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/webhook-deliveries/redeliver',
    method: 'HalleyAdminMetaWebhookDeliveriesRedeliver',
    summary: 'Halley: attempt a delivered or failed delivery again, with a new retry window',
    auth: 'admin',
    permission: 'webhooks.edit',
    extension: true,
    params: { DeliveryID: p.int() },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) => redeliverWebhookDelivery({ actor, deliveryId: params.DeliveryID }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/webhook-settings/get',
    method: 'HalleyAdminMetaWebhookSettingsGet',
    summary: 'Halley: server-wide webhook settings (AllowPrivateTargets: the SSRF guard is off)',
    auth: 'admin',
    topLevelOnly: true,
    permission: 'server.settings',
    extension: true,
    params: {},
    returns: 'CometAPIResponseMessage',
    handler: ({ actor }) => getWebhookSettings({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/webhook-settings/set',
    method: 'HalleyAdminMetaWebhookSettingsSet',
    summary: 'Halley: allow (true) or refuse (false, the default) webhook targets on loopback, private and link-local addresses',
    auth: 'admin',
    topLevelOnly: true,
    permission: 'server.settings',
    extension: true,
    params: { AllowPrivateTargets: p.bool() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await setWebhookSettings({ actor, allowPrivateTargets: params.AllowPrivateTargets });
      return OK;
    },
  }),
];
