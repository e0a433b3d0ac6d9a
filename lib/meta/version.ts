// ServerMetaVersionInfo. Halley reports the Comet API version it is compatible with as Version, so
// clients that gate features on the server version behave as they would against that Comet release;
// VersionCodename names Halley itself.
import { randomBytes } from 'node:crypto';
import { APPLICATION_VERSION } from '../comet/constants';
import { db } from '../db/client';
import { shapeWire } from '../profile/mapper';
import { loadConstellationConfig } from '../constellation/config-store';
import { selfBackupStatistics } from '../self-backup/self-backup-status';
import { buildRoleEnabled } from '../server-info/build-role-config';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';

export const HALLEY_VERSION = '0.1.0';
const startedAt = Math.floor(Date.now() / 1000);
const startHash = randomBytes(16).toString('hex');

/** Report emails since this process started, by outcome, as Comet counts them (a tenant admin: its tenant's). */
async function emailCounts(actor: AdminActor): Promise<{ sent: number; failed: number; waiting: number }> {
  const rows = await db().emailDelivery.groupBy({
    by: ['status'],
    where: { ...tenantWhere(actor), updatedAt: { gte: new Date(startedAt * 1000) } },
    _count: { _all: true },
  });
  const n = (...statuses: string[]) => rows.filter((r) => statuses.includes(r.status)).reduce((sum, r) => sum + r._count._all, 0);
  return { sent: n('sent'), failed: n('failed'), waiting: n('pending', 'retrying') };
}

/** `actor` decides which devices ConfiguredDevices counts (a tenant admin: its tenant's). */
export async function serverVersionInfo(actor: AdminActor): Promise<Record<string, unknown>> {
  const [configuredDevices, emails, buildRole, constellation] = await Promise.all([
    db().device.count({ where: tenantWhere(actor) }),
    emailCounts(actor),
    buildRoleEnabled(),
    // tenancy: derived — the caller's own organization's Constellation Role (each organization has its own)
    loadConstellationConfig(actor.tenantId),
  ]);
  return shapeWire('ServerMetaVersionInfo', {
    Version: APPLICATION_VERSION.APPLICATION_VERSION,
    VersionCodename: `Halley ${HALLEY_VERSION}`,
    // Every Halley web node serves the Storage Role (admin/storage/*, the /storage/v1 object API).
    StorageRole: true,
    AuthenticationRole: true,
    SoftwareBuildRole: buildRole,
    OverseerRole: false,
    ConstellationRole: constellation.RoleEnabled,
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
    EmailsSentSuccessfully: emails.sent,
    EmailsSentErrors: emails.failed,
    EmailsWaitingInQueue: emails.waiting,
    ScheduledEmailThreadCurrentState: 0,
    ScheduledEmailThreadLastCalculateDurationNanos: 0,
    ScheduledEmailThreadWaitingUntil: 0,
    ScheduledEmailThreadLastWakeTime: 0,
    ScheduledEmailThreadLastWakeSentEmails: false,
    SelfBackup: actor.isTopLevel ? await selfBackupStatistics() : [],
  }) as Record<string, unknown>;
}
