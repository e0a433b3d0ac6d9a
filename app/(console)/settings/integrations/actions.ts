'use server';
// Webhooks (Settings → Integrations): Comet's webhook-options plus Halley's delivery log, test,
// signing secret and SSRF switch, all through the registry.
import { revalidatePath } from 'next/cache';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

export type WebhookOption = { URL: string; CustomHeaders?: Record<string, string> | null; Level: string; WhiteListedEventTypes?: number[] | null } & Record<string, unknown>;

/** Reads the current map, applies one change, writes the whole map back (Comet's set replaces it). */
async function change(mutate: (map: Record<string, WebhookOption>) => Record<string, WebhookOption> | string): Promise<ActionResult> {
  const current = await apiAction<Record<string, WebhookOption>>('/api/v1/admin/meta/webhook-options/get');
  if (!current.ok) return current;
  const next = mutate({ ...(current.data ?? {}) });
  if (typeof next === 'string') return { ok: false, status: 400, message: next };
  const res = await apiAction('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: next });
  if (res.ok) revalidatePath('/settings/integrations');
  return res;
}

export async function saveWebhook(id: string, option: WebhookOption, isNew: boolean, existsMessage: string): Promise<ActionResult> {
  return change((map) => {
    if (isNew && map[id]) return existsMessage;
    // Fields this form does not edit (unknown to Halley or Comet additions) are kept.
    map[id] = { ...(map[id] ?? {}), ...option };
    return map;
  });
}

export async function deleteWebhook(id: string): Promise<ActionResult> {
  return change((map) => {
    delete map[id];
    return map;
  });
}

export async function testWebhook(id: string): Promise<ActionResult> {
  return apiAction('/api/v1/admin/meta/webhook-options/test', { WebhookID: id });
}

export async function webhookSecret(id: string, rotate: boolean): Promise<ActionResult<{ Secret: string }>> {
  return apiAction(rotate ? '/api/v1/admin/meta/webhook-options/rotate-secret' : '/api/v1/admin/meta/webhook-options/get-secret', { WebhookID: id });
}

export type Delivery = {
  DeliveryID: number;
  EventID: number;
  Type: number;
  TypeString: string;
  ResourceID: string;
  Kind: string;
  Status: 'pending' | 'delivered' | 'failed';
  Attempts: number;
  ResponseCode: number;
  LastError: string;
  CreatedAt: number;
  LastAttemptAt: number;
  NextAttemptAt: number;
  DeliveredAt: number;
};

export async function listDeliveries(id: string, status?: string): Promise<ActionResult<{ Deliveries: Delivery[] }>> {
  return apiAction('/api/v1/admin/meta/webhook-deliveries/list', { WebhookID: id, Status: status || undefined, Limit: 50 });
}

export async function redeliver(deliveryId: number): Promise<ActionResult> {
  return apiAction('/api/v1/admin/meta/webhook-deliveries/redeliver', { DeliveryID: deliveryId });
}

export async function setAllowPrivateTargets(allow: boolean): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/meta/webhook-settings/set', { AllowPrivateTargets: allow });
  if (res.ok) revalidatePath('/settings/integrations');
  return res;
}
