// Halley extension: the HMAC-SHA256 signing secret of a webhook. Comet's WebhookOption has no place for
// it, so it never appears in webhook-options/get or organization/list. It is generated when the webhook
// is created, sealed at rest (lib/secrets.ts), and read by an administrator who may edit the webhooks
// (meta/webhook-options/get-secret) to configure the receiver; rotate-secret replaces it at once.
// Revealing it to that administrator adds no power: they could point the webhook anywhere anyway.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { NotFoundError } from '../errors';
import { emitEvent } from '../events/emit';
import { seal, unseal } from '../secrets';
import { wireOrganizationId, type AdminActor } from '../tenancy/actor';
import { newWebhookSecret } from './new-webhook-secret';
import { ownTenantWhere } from '../tenancy/scope';
import { apiMessage } from '../i18n/api-messages';

export function webhookNotFound(name: string): NotFoundError {
  return new NotFoundError(apiMessage('webhookNotFound', { name: name.slice(0, 200) }));
}

export async function getWebhookSecret({ actor, webhookId }: { actor: AdminActor; webhookId: string }) {
  const row = await db().webhook.findUnique({ where: { tenantId_name: { ...ownTenantWhere(actor), name: webhookId } }, select: { secret: true } });
  if (!row) throw webhookNotFound(webhookId);
  return { Status: 200, Message: 'OK', WebhookID: webhookId, Secret: unseal(row.secret) };
}

export async function rotateWebhookSecret({ actor, webhookId }: { actor: AdminActor; webhookId: string }) {
  const secret = newWebhookSecret();
  await db().$transaction(async (tx) => {
    const { count } = await tx.webhook.updateMany({ where: { ...ownTenantWhere(actor), name: webhookId }, data: { secret: seal(secret) } });
    if (count === 0) throw webhookNotFound(webhookId);
    await emitEvent(tx, actor, {
      tenantId: actor.tenantId,
      type: SEVT.SEVT_TENANT_UPDATED,
      resourceId: wireOrganizationId(actor.tenantId),
      data: { WebhookSecretRotated: webhookId },
    });
  });
  return { Status: 200, Message: 'OK', WebhookID: webhookId, Secret: secret };
}
