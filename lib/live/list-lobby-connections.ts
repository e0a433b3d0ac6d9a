// AdminInstallationListActive: the registration lobby as the admin may see it.
import { TOP_LEVEL_TENANT_ID, type AdminActor } from '../tenancy/actor';
import { canSee } from '../tenancy/can-see';
import { relay, type LobbyInfo } from './relay';

function lobbyDto(l: LobbyInfo): Record<string, unknown> {
  return {
    DeviceID: l.deviceId,
    OrganizationID: l.tenantId === TOP_LEVEL_TENANT_ID ? '' : l.tenantId,
    FriendlyName: l.friendlyName,
    ReportedVersion: l.version,
    ReportedPlatform: l.platform,
    ReportedPlatformVersion: { version: '', distribution: '', build: '', os: '', arch: '', ...l.platformVersion },
    DeviceTimeZone: l.timezone,
    IPAddress: l.ip,
    Host: l.host,
    ConnectionTime: l.connectedAt,
  };
}

/** RegistrationLobbyConnectionMap keyed by lobby connection id. */
export async function listLobbyConnections({ actor }: { actor: AdminActor }): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const l of await relay().listLobby()) if (canSee(actor, l.tenantId)) out[l.connectionId] = lobbyDto(l);
  return out;
}
