// Server-wide webhook settings: whether targets on loopback/private/link-local addresses are allowed.
// Off by default (SSRF guard, lib/webhooks/ssrf.ts). HALLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS=true allows them
// whatever the stored setting says; otherwise top-level admins switch it with the Halley extension
// meta/webhook-settings/set (a ServerSetting, seen by every node within a few seconds).
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { env } from '../env';
import { emitEvent } from '../events/emit';
import { readServerSetting, writeServerSetting } from '../settings/server-settings';
import type { AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';

export const WEBHOOK_SETTINGS_KEY = 'webhooks';

export type WebhookSettings = { AllowPrivateTargets: boolean };

async function stored(): Promise<WebhookSettings> {
  const value = await readServerSetting<Partial<WebhookSettings>>(WEBHOOK_SETTINGS_KEY, {});
  return { AllowPrivateTargets: value.AllowPrivateTargets === true };
}

/** Whether private targets are allowed right now (environment or stored setting). */
export async function allowPrivateTargets(): Promise<boolean> {
  if (env().HALLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS) return true;
  return (await stored()).AllowPrivateTargets;
}

export async function getWebhookSettings({ actor }: { actor: AdminActor }) {
  requireTopLevel(actor);
  const s = await stored();
  return {
    Status: 200,
    Message: 'OK',
    AllowPrivateTargets: s.AllowPrivateTargets,
    /** True when the environment forces private targets on (the stored value is then ignored). */
    AllowPrivateTargetsByEnvironment: env().HALLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS,
    RetryWindowSeconds: env().HALLEY_WEBHOOK_RETRY_WINDOW_SECONDS,
  };
}

export async function setWebhookSettings({ actor, allowPrivateTargets: allow }: { actor: AdminActor; allowPrivateTargets: boolean }): Promise<void> {
  requireTopLevel(actor);
  await db().$transaction(async (tx) => {
    await writeServerSetting(tx, WEBHOOK_SETTINGS_KEY, { AllowPrivateTargets: allow });
    await emitEvent(tx, actor, { tenantId: actor.tenantId, type: SEVT.SEVT_TENANT_UPDATED, resourceId: '', data: { WebhookSettings: { AllowPrivateTargets: allow } } });
  });
}
