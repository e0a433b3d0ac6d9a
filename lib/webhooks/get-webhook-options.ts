// meta/webhook-options/get (Comet's AdminMetaWebhookOptionsGet); see set-webhook-options.ts for the rules.
import type { AdminActor } from '../tenancy/actor';
import { webhookOptionsOf } from './webhook-options-of';

type Json = Record<string, unknown>;

/** AdminMetaWebhookOptionsGet: the caller's organization's webhooks. */
export async function getWebhookOptions({ actor }: { actor: AdminActor }): Promise<Record<string, Json>> {
  return webhookOptionsOf(actor.tenantId);
}
