// tenancy-file: system — device token sign-in: the account and the device come from the signed token
// A device signing in with its device token (every sign-in after the first): the registered device of the
// token's account, under the username the device presents, with its reported version and platform kept
// current — one statement. After an update campaign every device of the fleet comes back at once with a new
// version, and reading the row and then updating it (two or three Prisma round trips per device) was a good
// part of what that reconnect storm cost the web node. The platform is compared as jsonb (key order does not
// matter), so an unchanged device writes nothing.
import { dbPool } from '../db/client';
import type { DeviceBinding } from './binding';
import type { TDeviceInfo } from './protocol';

const SIGN_IN_SQL = `
  WITH d AS (
    SELECT d."id", a."id" AS "accountId", a."username", a."tenantId", d."deviceId"
      FROM "Device" AS d JOIN "Account" AS a ON a."id" = d."accountId"
     WHERE d."accountId" = $1 AND d."deviceId" = $2 AND a."username" = $3
  ), touched AS (
    UPDATE "Device" AS x
       SET "clientVersion" = $4,
           "data" = jsonb_set(CASE WHEN jsonb_typeof(x."data") = 'object' THEN x."data" ELSE '{}'::jsonb END, '{PlatformVersion}', $5::jsonb)
      FROM d
     WHERE x."id" = d."id"
       AND (x."clientVersion" IS DISTINCT FROM $4 OR COALESCE(x."data" -> 'PlatformVersion', '{}'::jsonb) IS DISTINCT FROM $5::jsonb)
    RETURNING x."id"
  )
  SELECT "accountId", "username", "tenantId", "deviceId" FROM d`;

/** The binding of a token's registered device, or null when the account has no such device under that username. */
export async function signInTokenDevice(claim: { accountId: string; deviceId: string }, username: string, device: TDeviceInfo): Promise<DeviceBinding | null> {
  const { rows } = await dbPool().query<DeviceBinding>(SIGN_IN_SQL, [claim.accountId, claim.deviceId, username, device.version, JSON.stringify({ ...device.platformVersion })]);
  return rows[0] ?? null;
}
