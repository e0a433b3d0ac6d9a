import { db, type Tx } from '../db/client';
import { webhookToWire } from './webhook-to-wire';

type Json = Record<string, unknown>;

/** A tenant's WebhookOptions map (webhook ID -> WebhookOption), oldest first. */
export async function webhookOptionsOf(tenantId: string, client: Pick<Tx, 'webhook'> = db()): Promise<Record<string, Json>> {
  // tenancy: derived — tenantId is the organization being edited, resolved by the caller (targetTenant or organization/set)
  const rows = await client.webhook.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } });
  return Object.fromEntries(rows.map((r) => [r.name, webhookToWire(r)]));
}
