// ServerMetaVersionInfo. Halley reports the Comet API version it is compatible with as Version, so
// clients that gate features on the server version behave as they would against that Comet release;
// VersionCodename names Halley itself.
import { randomBytes } from 'node:crypto';
import { APPLICATION_VERSION } from '../comet/constants';
import { db } from '../db/client';
import { shapeWire } from '../profile/mapper';
import { selfBackupStatistics } from '../self-backup/self-backup-status';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';

export const HALLEY_VERSION = '0.1.0';
const startedAt = Math.floor(Date.now() / 1000);
const startHash = randomBytes(16).toString('hex');

/** `actor` decides which devices ConfiguredDevices counts (a tenant admin: its tenant's). */
export async function serverVersionInfo(actor: AdminActor): Promise<Record<string, unknown>> {
  const configuredDevices = await db().device.count({ where: tenantWhere(actor) });
  return shapeWire('ServerMetaVersionInfo', {
    Version: APPLICATION_VERSION.APPLICATION_VERSION,
    VersionCodename: `Halley ${HALLEY_VERSION}`,
    StorageRole: false,
    AuthenticationRole: true,
    SoftwareBuildRole: false,
    OverseerRole: false,
    ConstellationRole: false,
    ServerStartTime: startedAt,
    ServerStartHash: startHash,
    CurrentTime: Math.floor(Date.now() / 1000),
    ServerLicenseHash: '',
    ServerLicenseFeaturesAll: true,
    ServerLicenseFeatureSet: 0,
    ServerLicenseLimit: {},
    ConfiguredDevices: configuredDevices,
    BoosterLimit: {},
    LicenseValidUntil: 0,
    EmailsSentSuccessfully: 0,
    EmailsSentErrors: 0,
    EmailsWaitingInQueue: 0,
    ScheduledEmailThreadCurrentState: 0,
    ScheduledEmailThreadLastCalculateDurationNanos: 0,
    ScheduledEmailThreadWaitingUntil: 0,
    ScheduledEmailThreadLastWakeTime: 0,
    ScheduledEmailThreadLastWakeSentEmails: false,
    SelfBackup: actor.isTopLevel ? await selfBackupStatistics() : [],
  }) as Record<string, unknown>;
}
