// The device side of install tokens (create-install-token.ts): a hello of kind "install-token" spends the
// token, once, in one statement (two devices racing with the same token: one wins), and names the account
// the device signs in as, with the account password the token was made with (the device's vault password;
// the sealed copy is cleared as the token is spent). Expired, spent and unknown tokens answer alike.
import { db } from '../db/client';
import { keyedDigest, unseal } from '../secrets';

export async function redeemInstallToken({ token, deviceId }: { token: string; deviceId: string }): Promise<{ accountId: string; vaultPassword?: string } | null> {
  // tenancy: system — install-token sign-in: the account comes from the token, before any actor exists
  const rows = await db().$queryRaw<Array<{ accountId: string; sealedPassword: string | null }>>`
    WITH spent AS (
      SELECT "id", "sealedPassword" FROM "InstallToken"
      WHERE "tokenDigest" = ${keyedDigest(token)} AND "usedAt" IS NULL AND "expiresAt" > now()
      FOR UPDATE
    )
    UPDATE "InstallToken" AS t SET "usedAt" = now(), "usedByDevice" = ${deviceId}, "sealedPassword" = NULL
    FROM spent WHERE t."id" = spent."id" AND t."usedAt" IS NULL
    RETURNING t."accountId", spent."sealedPassword"`;
  const row = rows[0];
  if (!row) return null;
  return { accountId: row.accountId, ...(row.sealedPassword ? { vaultPassword: unseal(row.sealedPassword) } : {}) };
}
