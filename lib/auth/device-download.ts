// A registered device downloading its own client update (the reference agent's self-update): the
// generate-client endpoints take the device's token (DeviceToken, a Halley extension) in place of an
// administrator's credentials. The token is the one the live connection uses (lib/live/device-token.ts),
// valid while that device is registered in that account; the caller is anonymous but carries the device's
// tenant, so the package has that tenant's branding. Nothing else accepts it.
import { db } from '../db/client';
import { AuthError } from '../errors';
import { readDeviceToken } from './device-token';
import type { AnonymousActor } from '../tenancy/actor';

export async function authenticateDeviceDownload(token: string): Promise<AnonymousActor> {
  const claim = readDeviceToken(token);
  if (!claim) throw new AuthError();
  // tenancy: system — device token: account and device come from the signed token
  const row = await db().device.findUnique({
    where: { accountId_deviceId: { accountId: claim.accountId, deviceId: claim.deviceId } },
    select: { tenantId: true },
  });
  if (!row) throw new AuthError();
  return { kind: 'anonymous', device: { tenantId: row.tenantId, accountId: claim.accountId, deviceId: claim.deviceId } };
}
