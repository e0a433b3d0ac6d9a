// Admin/UserWebDispatcherListActive: the live connections the caller may see.
import { canSee } from '../tenancy/can-see';
import { relay, type ConnInfo } from './relay';
import type { DispatchActor } from './send-command';

/** Comet LiveUserConnection. */
function liveConnectionDto(c: ConnInfo): Record<string, unknown> {
  return {
    Username: c.username,
    DeviceID: c.deviceId,
    ReportedVersion: c.version,
    ReportedPlatform: c.platform,
    ReportedPlatformVersion: { version: '', distribution: '', build: '', os: '', arch: '', ...c.platformVersion },
    DeviceTimeZone: c.timezone,
    IPAddress: c.ip,
    ConnectionTime: c.connectedAt,
    AllowsFilenames: c.allowsFilenames,
  };
}

/** LiveUserConnectionMap keyed by connection id (an end user: their own devices). */
export async function listActiveConnections({ actor, usernameFilter }: { actor: DispatchActor; usernameFilter?: string }): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const conns = (await relay().listConnections()).filter((c) => canSee(actor, c.tenantId, c.accountId) && (!usernameFilter || c.username === usernameFilter));
  conns.sort((a, b) => a.username.localeCompare(b.username) || a.deviceId.localeCompare(b.deviceId));
  for (const c of conns) out[c.connectionId] = liveConnectionDto(c);
  return out;
}
