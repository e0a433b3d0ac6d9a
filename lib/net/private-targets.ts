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
import type { ApiMessage } from '../i18n/api-messages';
import { checkOutboundHostMessage, isTargetRefused } from './outbound-guard';

const WEBHOOK_SETTINGS_KEY = 'webhooks';

type WebhookSettings = { AllowPrivateTargets: boolean };

async function stored(fresh = false): Promise<WebhookSettings> {
  const value = await readServerSetting<Partial<WebhookSettings>>(WEBHOOK_SETTINGS_KEY, {}, fresh ? { maxAgeMs: 0 } : undefined);
  return { AllowPrivateTargets: value.AllowPrivateTargets === true };
}

function allowedByEnvironment(): boolean {
  const e = env();
  return e.HALLEY_ALLOW_PRIVATE_TARGETS || e.HALLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS;
}

/**
 * Whether private targets are allowed (environment or stored setting), as cached: a change made on
 * another node is seen within a few seconds, like every server setting.
 */
export async function allowPrivateTargets(): Promise<boolean> {
  if (allowedByEnvironment()) return true;
  return (await stored()).AllowPrivateTargets;
}

/** The same, read from the database now (before refusing something on a cached "not allowed", and at the start of rare long work such as a self-backup run, which an admin may start right after switching it on). */
export async function allowPrivateTargetsNow(): Promise<boolean> {
  if (allowedByEnvironment()) return true;
  return (await stored(true)).AllowPrivateTargets;
}

/**
 * Runs `attempt` with the cached switch. When the switch was off and the guard refused the target, the
 * switch is read again, and `attempt` retried once if it has been switched on meanwhile: switching it on
 * takes effect at once on every node, and the normal path costs no extra read.
 */
export async function withPrivateTargets<T>(attempt: (allowPrivate: boolean) => Promise<T>): Promise<T> {
  const cached = await allowPrivateTargets();
  try {
    return await attempt(cached);
  } catch (err) {
    if (cached || !isTargetRefused(err) || !(await allowPrivateTargetsNow())) throw err;
    return attempt(true);
  }
}

/** Config-time form: the guard's reason for refusing `host`, or null (also when the switch is on now). */
export async function outboundHostRefusal(host: string, what: string): Promise<ApiMessage | string | null> {
  const why = await checkOutboundHostMessage(host, await allowPrivateTargets(), what);
  return why && !(await allowPrivateTargetsNow()) ? why : null;
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
