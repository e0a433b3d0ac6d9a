// meta/webhook-options/get|set (Comet's AdminMetaWebhookOptionsGet/Set): the caller's organization's map
// of named WebhookOption {URL, CustomHeaders, Level, WhiteListedEventTypes}. A top-level admin's map is
// the server's (its webhooks receive every tenant's events); a tenant admin's is its tenant's (its own
// events only). Tenant admins need AllowEditWebhooks (checked by the registry). The same rows back
// Organization.WebhookOptions in organization/list|set.
//
// Every webhook gets its own HMAC signing secret, sealed at rest and never part of a WebhookOption;
// see lib/webhooks/webhook-secret.ts. A new webhook, or one whose URL changed, receives SEVT_META_HELLO.
// CustomHeaders values are sealed at rest and always returned masked (lib/webhooks/custom-headers.ts).
import type { ApiMessage } from '../i18n/api-messages';
import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { applyWebhookOptions } from './apply-webhook-options';
import { prepareWebhookOptions } from './prepare-webhook-options';
import { enqueueDeliveries } from './queue';

/**
 * AdminMetaWebhookOptionsSet: replaces the caller's organization's whole map. Returns the warnings about saved
 * URLs that cannot be reached now (a host that does not resolve yet).
 */
export async function setWebhookOptions({ actor, options }: { actor: AdminActor; options: unknown }): Promise<ApiMessage[]> {
  const change = await prepareWebhookOptions(actor, actor.tenantId, options);
  const refs = await db().$transaction((tx) => applyWebhookOptions(tx, actor, change));
  await enqueueDeliveries(refs);
  return change.warnings;
}
