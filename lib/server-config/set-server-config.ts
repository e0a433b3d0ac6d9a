// admin/meta/server-config/set: applies the parts Halley implements through their own code (see
// server-config-parts.ts), each only when it differs from what get would answer, and keeps every other
// field for the next get. Every part is validated before any is applied, and all are written in one
// transaction. Other nodes see the change within the settings cache (seconds, no restart); self-backup
// schedules are reconciled by the workers at once.
import { StreamableEventType as SEVT } from '../comet/constants';
import { checkLoginProtection, writeLoginProtection } from '../auth/login-protection-settings';
import { checkBrandingConfig, writeBrandingConfig } from '../branding/set-branding-config';
import type { TConstellationRoleOptions } from '../constellation/config-store';
import { prepareConstellationConfig, writeConstellationConfig } from '../constellation/set-constellation-config';
import { checkBuildRoleConfig, writeBuildRoleConfig } from '../server-info/build-role-config';
import { can } from '../tenancy/permissions';
import { db } from '../db/client';
import { afterEmailOptionsChanged, prepareEmailOptions, writeEmailOptionsOf } from '../email/set-email-options';
import type { EmailOptions } from '../email/report-types';
import { BadRequestError, ForbiddenError } from '../errors';
import { emitEvent } from '../events/emit';
import { shapeWire } from '../profile/mapper';
import { prepareSelfBackupOptions, rescheduleSelfBackups, writeSelfBackupOptions } from '../self-backup/set-self-backup-options';
import { writeServerSetting } from '../settings/server-settings';
import { checkSessionSettings, SESSION_SETTINGS_KEY } from '../auth/session-settings';
import { checkServerLogOptions, LOG_RETENTION_KEY, pruneServerLogs } from '../server-logs/log-retention';
import { checkEmailField, checkTextField } from '../validation/check-field';
import { log } from '../log';
import { prepareRoundTripPart } from './round-trip-part';
import type { AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';
import { applyWebhookOptions } from '../webhooks/apply-webhook-options';
import { prepareWebhookOptions } from '../webhooks/prepare-webhook-options';
import { enqueueDeliveries } from '../webhooks/queue';
import { applyPsaChange } from '../psa/apply-psa-change';
import { preparePsaChange } from '../psa/prepare-psa-change';
import { getServerConfig } from './get-server-config';
import { APPLIED, DERIVED, ROUND_TRIP_SETTING } from './server-config-parts';
import { apiMessage } from '../i18n/api-messages';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export async function setServerConfig({ actor, config }: { actor: AdminActor; config: unknown }): Promise<{ applied: string[] }> {
  requireTopLevel(actor);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new BadRequestError(apiMessage('serverConfigNotObject'));
  const incoming = config as Record<string, unknown>;
  try {
    shapeWire('ServerConfigOptions', incoming);
  } catch {
    throw new BadRequestError(apiMessage('serverConfigBadShape'));
  }
  const current = await getServerConfig({ actor });

  // Every part is checked before anything is written, and everything is written in one transaction: a refused
  // part (here or in a write's own check) leaves the whole configuration as it was. A refused webhook after
  // LoginProtection had been set once left LoginProtection changed (found by fuzz-endpoints).
  const changed = (k: string) => k in incoming && !same(incoming[k], current[k]);
  const selfBackup = changed('SelfBackup') ? await prepareSelfBackupOptions(incoming.SelfBackup) : undefined;
  // The server's PSA list is the top-level organization's (psa-config-list/get|set show the same rows).
  const psa = changed('PSAConfigs') ? await preparePsaChange(actor.tenantId, incoming.PSAConfigs, 'ServerConfigOptions.PSAConfigs') : undefined;
  const session = changed('SessionSettings') ? checkSessionSettings(incoming.SessionSettings) : undefined;
  const serverLogs = changed('HalleyServerLogs') ? checkServerLogOptions(incoming.HalleyServerLogs) : undefined;
  if (changed('License')) checkLicense(incoming.License);
  if (changed('Branding') && !can(actor, 'branding.edit')) throw new ForbiddenError(apiMessage('forbidden'));
  const constellation = changed('ConstellationRole') ? await prepareConstellationConfig({ actor, options: incoming.ConstellationRole as TConstellationRoleOptions }) : undefined;
  const buildRole = changed('SoftwareBuildRole') ? ((incoming.SoftwareBuildRole ?? {}) as Record<string, unknown>) : undefined;
  if (buildRole) checkBuildRoleConfig(actor, buildRole);
  const branding = changed('Branding') ? ((incoming.Branding ?? {}) as Record<string, unknown>) : undefined;
  const brandingHashes = branding ? await checkBrandingConfig(actor, branding) : [];
  const loginProtection = changed('LoginProtection') ? checkLoginProtection((incoming.LoginProtection ?? {}) as Record<string, never>) : undefined;
  const email = changed('Email') ? await prepareEmailOptions({ actor, options: (incoming.Email ?? {}) as EmailOptions }) : undefined;
  const webhooks = changed('WebhookOptions') ? await prepareWebhookOptions(actor, actor.tenantId, incoming.WebhookOptions ?? {}) : undefined;

  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(incoming)) if (!(APPLIED as readonly string[]).includes(k) && !(DERIVED as readonly string[]).includes(k)) rest[k] = v;
  const restChanged = Object.keys(rest).some((k) => !same(rest[k], current[k]));
  const stored = await prepareRoundTripPart(rest);

  const applied: string[] = [];
  if (constellation) applied.push('ConstellationRole');
  if (buildRole) applied.push('SoftwareBuildRole');
  if (branding) applied.push('Branding');
  if (selfBackup?.changed) applied.push('SelfBackup');
  if (loginProtection) applied.push('LoginProtection');
  if (email) applied.push('Email');
  if (webhooks) applied.push('WebhookOptions');
  if (psa) applied.push('PSAConfigs');
  if (session) applied.push('SessionSettings');
  if (serverLogs) applied.push('HalleyServerLogs');
  const deliveries = await db().$transaction(async (tx) => {
    if (constellation) await writeConstellationConfig(tx, actor, constellation);
    if (buildRole) await writeBuildRoleConfig(tx, buildRole);
    if (branding) await writeBrandingConfig(tx, actor, branding, brandingHashes);
    if (selfBackup?.changed) await writeSelfBackupOptions(tx, actor, selfBackup.next);
    if (loginProtection) await writeLoginProtection(tx, actor, loginProtection);
    if (email) await writeEmailOptionsOf(tx, actor, email);
    const queued = webhooks ? await applyWebhookOptions(tx, actor, webhooks) : undefined;
    if (psa) await applyPsaChange(tx, psa);
    if (session) await writeServerSetting(tx, SESSION_SETTINGS_KEY, session);
    if (serverLogs) await writeServerSetting(tx, LOG_RETENTION_KEY, serverLogs);
    await writeServerSetting(tx, ROUND_TRIP_SETTING, stored);
    if (applied.length || restChanged) {
      await emitEvent(tx, actor, { tenantId: actor.tenantId, type: SEVT.SEVT_SERVER_UPDATED, resourceId: '', data: { ServerConfig: { Applied: applied, StoredChanged: restChanged } } });
    }
    return queued;
  });
  // What follows a committed change: each is also caught up by the workers' periodic runs if it fails here.
  if (deliveries) await enqueueDeliveries(deliveries);
  if (buildRole) log.info({ admin: actor.username, section: 'SoftwareBuildRole' }, 'server configuration changed');
  if (selfBackup?.changed) await rescheduleSelfBackups();
  if (email) await afterEmailOptionsChanged(email.tenantId);
  // A shorter retention takes effect now on this node's data directory (the workers' hourly job does it everywhere).
  if (serverLogs) await pruneServerLogs().catch((err: unknown) => log.warn({ err }, 'server-config/set: pruning the server logs failed'));
  return { applied };
}

/** License is kept, not applied; what the console edits of it is still checked. */
function checkLicense(value: unknown): void {
  const v = (value ?? {}) as { Email?: unknown; SerialNumber?: unknown };
  if (typeof v.Email !== 'string' && v.Email !== undefined) throw new BadRequestError(apiMessage('fieldWrongType', { field: 'License.Email', kind: 'string' }));
  if (typeof v.SerialNumber !== 'string' && v.SerialNumber !== undefined) throw new BadRequestError(apiMessage('fieldWrongType', { field: 'License.SerialNumber', kind: 'string' }));
  checkEmailField(v.Email ?? '', 'License.Email', { optional: true });
  checkTextField(v.SerialNumber ?? '', 'License.SerialNumber', { max: 200 });
}
