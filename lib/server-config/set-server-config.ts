// admin/meta/server-config/set: applies the parts Halley implements through their own code (see
// server-config-parts.ts), each only when it differs from what get would answer, and keeps every other
// field for the next get. Every part is validated before any is applied. Other nodes see the change within
// the settings cache (seconds, no restart); self-backup schedules are reconciled by the workers at once.
import { StreamableEventType as SEVT } from '../comet/constants';
import { setLoginProtection } from '../auth/login-protection-settings';
import { setBrandingConfig } from '../branding/set-branding-config';
import type { TConstellationRoleOptions } from '../constellation/config-store';
import { setConstellationConfig } from '../constellation/set-constellation-config';
import { setBuildRoleConfig } from '../server-info/build-role-config';
import { can } from '../tenancy/permissions';
import { db } from '../db/client';
import { setEmailOptions } from '../email/set-email-options';
import type { EmailOptions } from '../email/report-types';
import { BadRequestError, ForbiddenError } from '../errors';
import { emitEvent } from '../events/emit';
import { shapeWire } from '../profile/mapper';
import { prepareSelfBackupOptions, setSelfBackupOptions } from '../self-backup/set-self-backup-options';
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
  const applied: string[] = [];

  // Validate first: a refused part leaves everything as it was.
  const selfBackupChanged = 'SelfBackup' in incoming && !same(incoming.SelfBackup, current.SelfBackup);
  if (selfBackupChanged) await prepareSelfBackupOptions(incoming.SelfBackup);
  // The server's PSA list is the top-level organization's (psa-config-list/get|set show the same rows).
  const psa = 'PSAConfigs' in incoming && !same(incoming.PSAConfigs, current.PSAConfigs) ? await preparePsaChange(actor.tenantId, incoming.PSAConfigs, 'ServerConfigOptions.PSAConfigs') : undefined;

  const changed = (k: string) => k in incoming && !same(incoming[k], current[k]);
  const session = changed('SessionSettings') ? checkSessionSettings(incoming.SessionSettings) : undefined;
  const serverLogs = changed('HalleyServerLogs') ? checkServerLogOptions(incoming.HalleyServerLogs) : undefined;
  if (changed('License')) checkLicense(incoming.License);
  if (changed('Branding') && !can(actor, 'branding.edit')) throw new ForbiddenError(apiMessage('forbidden'));
  if (changed('ConstellationRole') && !can(actor, 'constellation.role')) throw new ForbiddenError(apiMessage('forbidden'));
  // Webhooks are checked whole before anything is written (a refused webhook after LoginProtection had been set
  // left LoginProtection changed: found by fuzz-endpoints).
  const webhooks = changed('WebhookOptions') ? await prepareWebhookOptions(actor, actor.tenantId, incoming.WebhookOptions ?? {}) : undefined;

  // The parts whose own setters validate as they write go first: a refusal there leaves the rest unapplied.
  if (changed('ConstellationRole')) {
    await setConstellationConfig({ actor, options: incoming.ConstellationRole as TConstellationRoleOptions });
    applied.push('ConstellationRole');
  }
  if (changed('SoftwareBuildRole')) {
    await setBuildRoleConfig({ actor, options: (incoming.SoftwareBuildRole ?? {}) as Record<string, unknown> });
    applied.push('SoftwareBuildRole');
  }
  if (changed('Branding')) {
    await setBrandingConfig({ actor, branding: (incoming.Branding ?? {}) as Record<string, unknown> });
    applied.push('Branding');
  }
  if (selfBackupChanged && (await setSelfBackupOptions({ actor, options: incoming.SelfBackup }))) applied.push('SelfBackup');
  if ('LoginProtection' in incoming && !same(incoming.LoginProtection, current.LoginProtection)) {
    await setLoginProtection({ actor, options: (incoming.LoginProtection ?? {}) as Record<string, never> });
    applied.push('LoginProtection');
  }
  if ('Email' in incoming && !same(incoming.Email, current.Email)) {
    await setEmailOptions({ actor, options: (incoming.Email ?? {}) as EmailOptions });
    applied.push('Email');
  }
  if (webhooks) {
    await enqueueDeliveries(await db().$transaction((tx) => applyWebhookOptions(tx, actor, webhooks)));
    applied.push('WebhookOptions');
  }

  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(incoming)) if (!(APPLIED as readonly string[]).includes(k) && !(DERIVED as readonly string[]).includes(k)) rest[k] = v;
  const restChanged = Object.keys(rest).some((k) => !same(rest[k], current[k]));
  const stored = await prepareRoundTripPart(rest);
  if (psa) applied.push('PSAConfigs');
  if (session) applied.push('SessionSettings');
  if (serverLogs) applied.push('HalleyServerLogs');
  await db().$transaction(async (tx) => {
    if (psa) await applyPsaChange(tx, psa);
    if (session) await writeServerSetting(tx, SESSION_SETTINGS_KEY, session);
    if (serverLogs) await writeServerSetting(tx, LOG_RETENTION_KEY, serverLogs);
    await writeServerSetting(tx, ROUND_TRIP_SETTING, stored);
    if (applied.length || restChanged) {
      await emitEvent(tx, actor, { tenantId: actor.tenantId, type: SEVT.SEVT_SERVER_UPDATED, resourceId: '', data: { ServerConfig: { Applied: applied, StoredChanged: restChanged } } });
    }
  });
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
