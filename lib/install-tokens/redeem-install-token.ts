// The device side of install tokens (create-install-token.ts): a hello of kind "install-token" spends the
// token, once, in one statement (two devices racing with the same token: one wins), and names the account
// the device signs in as. Expired, spent and unknown tokens answer alike.
import { db } from '../db/client';
import { keyedDigest } from '../secrets';

export async function redeemInstallToken({ token, deviceId }: { token: string; deviceId: string }): Promise<{ accountId: string } | null> {
  // tenancy: system — install-token sign-in: the account comes from the token, before any actor exists
  const rows = await db().$queryRaw<Array<{ accountId: string }>>`
    UPDATE "InstallToken" SET "usedAt" = now(), "usedByDevice" = ${deviceId}
    WHERE "tokenDigest" = ${keyedDigest(token)} AND "usedAt" IS NULL AND "expiresAt" > now()
    RETURNING "accountId"`;
  return rows[0] ?? null;
}
