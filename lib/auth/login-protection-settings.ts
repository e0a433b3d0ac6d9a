// Server-wide LoginProtectionOptions (Comet keeps them in ServerConfigOptions.LoginProtection; Halley
// serves them through meta/login-protection/get|set until the whole server config is served).
import { loginProtectionOptions, LOGIN_PROTECTION_KEY, type LoginProtectionOptions } from './login-protection';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db, type Tx } from '../db/client';
import { BadRequestError } from '../errors';
import { emitEvent } from '../events/emit';
import { shapeWire } from '../profile/mapper';
import type { AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';
import { writeServerSetting } from '../settings/server-settings';
import { apiMessage } from '../i18n/api-messages';

export async function getLoginProtection({ actor }: { actor: AdminActor }) {
  requireTopLevel(actor);
  return shapeWire('LoginProtectionOptions', await loginProtectionOptions());
}

export async function setLoginProtection({ actor, options }: { actor: AdminActor; options: Partial<LoginProtectionOptions> }): Promise<void> {
  requireTopLevel(actor);
  const value = checkLoginProtection(options);
  await db().$transaction((tx) => writeLoginProtection(tx, actor, value));
}

/** The options as stored, or the refusal set would answer (server-config/set checks every part first). */
export function checkLoginProtection(options: Partial<LoginProtectionOptions>): LoginProtectionOptions {
  const value: LoginProtectionOptions = {
    Enabled: options.Enabled === true,
    FailureThreshold: Number(options.FailureThreshold ?? 0),
    CooldownSeconds: Number(options.CooldownSeconds ?? 0),
  };
  if (value.Enabled) {
    if (!Number.isInteger(value.FailureThreshold) || value.FailureThreshold < 1 || value.FailureThreshold > 1000) {
      throw new BadRequestError(apiMessage('loginThresholdRange'));
    }
    if (!Number.isInteger(value.CooldownSeconds) || value.CooldownSeconds < 1 || value.CooldownSeconds > 86_400) {
      throw new BadRequestError(apiMessage('loginCooldownRange'));
    }
  }
  return value;
}

export async function writeLoginProtection(tx: Tx, actor: AdminActor, value: LoginProtectionOptions): Promise<void> {
  await writeServerSetting(tx, LOGIN_PROTECTION_KEY, value);
  await emitEvent(tx, actor, { tenantId: actor.tenantId, type: SEVT.SEVT_TENANT_UPDATED, resourceId: '', data: { LoginProtection: value } });
}
