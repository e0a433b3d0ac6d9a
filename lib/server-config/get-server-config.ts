// admin/meta/server-config/get: the whole ServerConfigOptions, secrets blanked (server-config-parts.ts), plus
// Halley's additive HalleyServerLogs.
import { loginProtectionOptions } from '../auth/login-protection';
import { getConstellationConfig } from '../constellation/get-constellation-config';
import { getBuildRoleConfig } from '../server-info/build-role-config';
import { can } from '../tenancy/permissions';
import { getEmailOptions } from '../email/get-email-options';
import { shapeWire } from '../profile/mapper';
import { publicSelfBackupOptions, readSelfBackupOptions } from '../self-backup/stored-options';
import { readSessionSettings } from '../auth/session-settings';
import { readServerLogOptions } from '../server-logs/log-retention';
import type { AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';
import { listOrganizations } from '../tenants/organizations';
import { psaConfigsOf } from '../psa/psa-configs-of';
import { getWebhookOptions } from '../webhooks/get-webhook-options';
import { readTopLevelBranding } from './read-top-level-branding';
import { readRoundTripPart } from './round-trip-part';

export async function getServerConfig({ actor }: { actor: AdminActor }): Promise<Record<string, unknown>> {
  requireTopLevel(actor);
  const rest = await readRoundTripPart();
  const [selfBackup, loginProtection, email, webhooks, organizations, branding, constellation, buildRole, psa, session, serverLogs] = await Promise.all([
    readSelfBackupOptions({ fresh: true }),
    loginProtectionOptions(),
    getEmailOptions({ actor }),
    getWebhookOptions({ actor }),
    listOrganizations({ actor }),
    readTopLevelBranding(),
    // An admin denied the Constellation Role sees the last document's copy, as for any field Halley keeps.
    can(actor, 'constellation.role') ? getConstellationConfig({ actor }) : Promise.resolve(rest.ConstellationRole),
    getBuildRoleConfig({ actor }),
    psaConfigsOf([actor.tenantId]),
    readSessionSettings({ fresh: true }),
    readServerLogOptions({ fresh: true }),
  ]);
  return shapeWire('ServerConfigOptions', {
    ...rest,
    SelfBackup: publicSelfBackupOptions(selfBackup),
    LoginProtection: loginProtection,
    Email: email,
    WebhookOptions: webhooks,
    PSAConfigs: psa.get(actor.tenantId) ?? [],
    Organizations: organizations,
    Branding: branding,
    ConstellationRole: constellation ?? { RoleEnabled: false, DeleteUnusedData: false, Servers: [] },
    SoftwareBuildRole: buildRole.SoftwareBuildRole,
    SessionSettings: session,
    HalleyServerLogs: serverLogs,
  }) as Record<string, unknown>;
}
