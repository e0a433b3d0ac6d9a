// The private-target switch of the outbound guard (lib/net/outbound-guard.ts): whether connections to
// loopback, private, link-local and reserved addresses are allowed, for EVERY outbound connection
// (webhooks, SMTP, LDAP, and later storage endpoints, templates, PSA, other servers). Off by default.
// HALLEY_ALLOW_PRIVATE_TARGETS=true (or the deprecated HALLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS) allows them
// whatever the stored setting says; otherwise top-level admins switch it at run time with the Halley
// extension meta/webhook-settings/set AllowPrivateTargets (a ServerSetting; the endpoint keeps its
// historical name and wire shape).
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { env } from '../env';
import { emitEvent } from '../events/emit';
import { readServerSetting, writeServerSetting } from '../settings/server-settings';
import type { AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';

export const WEBHOOK_SETTINGS_KEY = 'webhooks';

export type WebhookSettings = { AllowPrivateTargets: boolean };

async function stored(fresh = false): Promise<WebhookSettings> {
  const value = await readServerSetting<Partial<WebhookSettings>>(WEBHOOK_SETTINGS_KEY, {}, fresh ? { maxAgeMs: 0 } : undefined);
  return { AllowPrivateTargets: value.AllowPrivateTargets === true };
}

function allowedByEnvironment(): boolean {
  const e = env();
  return e.HALLEY_ALLOW_PRIVATE_TARGETS || e.HALLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS;
}

/**
 * Whether private targets are allowed right now (environment or stored setting). A cached "allowed" may
 * be a few seconds old after it was switched off (like every server setting on other nodes); a cached
 * "not allowed" is read again before it refuses anything, so switching it on takes effect at once
 * on every node (refusals are rare, the extra read costs nothing on the normal path).
 */
export async function allowPrivateTargets(): Promise<boolean> {
  if (allowedByEnvironment()) return true;
  if ((await stored()).AllowPrivateTargets) return true;
  return (await stored(true)).AllowPrivateTargets;
}

export async function getWebhookSettings({ actor }: { actor: AdminActor }) {
  requireTopLevel(actor);
  const s = await stored();
  return {
    Status: 200,
    Message: 'OK',
    AllowPrivateTargets: s.AllowPrivateTargets,
    /** True when the environment forces private targets on (the stored value is then ignored). */
    AllowPrivateTargetsByEnvironment: allowedByEnvironment(),
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
