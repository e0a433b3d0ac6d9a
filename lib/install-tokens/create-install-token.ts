// admin/create-install-token: a one-time token the client installer (install.sh --install-token) hands the
// agent, which signs in with it once, unattended (device hello of kind "install-token"), and from then on
// uses its own device token. Comet asks for the account's password (TargetPassword) to make one, so an
// administrator who does not know it cannot mint sign-ins as the user; the password travels sealed with the
// token to the device that spends it, which unlocks its storage vaults' keys with it (as a device signed in
// with the password does). Only a keyed digest of the token is stored.
import { randomBytes } from 'node:crypto';
import { verifyPassword } from '../credentials/password';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { log } from '../log';
import { keyedDigest, seal } from '../secrets';
import type { AdminActor } from '../tenancy/actor';
import { findVisibleAccount } from '../users/find-account';
import { apiMessage } from '../i18n/api-messages';

/** How long an unused install token stays valid. */
const INSTALL_TOKEN_TTL_MS = 7 * 24 * 3600 * 1000;

type TInstallTokenResponse = {
  Status: number;
  Message: string;
  InstallToken: { Username: string; Server: string; Token: string; CreateTime: number; Used: boolean; ExpireTime: number };
};

export async function createInstallToken({
  actor,
  targetUser,
  targetPassword,
  server,
  selfAddress,
}: {
  actor: AdminActor;
  targetUser: string;
  targetPassword: string;
  server?: string;
  /** The address the request came in on, when Server is not given. */
  selfAddress: string;
}): Promise<TInstallTokenResponse> {
  const account = await findVisibleAccount(db(), actor, targetUser);
  if (!(await verifyPassword(account.passwordHash, targetPassword))) throw new BadRequestError(apiMessage('targetPasswordWrong'));
  const address = (server ?? '').trim() || selfAddress;
  if (address.length > 1000) throw new BadRequestError(apiMessage('serverTooLong'));
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  const row = await db().installToken.create({
    data: {
      tenantId: account.tenantId,
      accountId: account.id,
      tokenDigest: keyedDigest(token),
      // The device that spends the token needs it to unlock its vaults' keys (redeem-install-token.ts).
      sealedPassword: seal(targetPassword),
      server: address,
      createdBy: actor.username,
      createdAt: new Date(now),
      expiresAt: new Date(now + INSTALL_TOKEN_TTL_MS),
    },
    select: { createdAt: true, expiresAt: true },
  });
  log.info({ admin: actor.username, account: account.username }, 'install token created');
  return {
    Status: 200,
    Message: 'OK',
    InstallToken: {
      Username: account.username,
      Server: address,
      Token: token,
      CreateTime: Math.floor(row.createdAt.getTime() / 1000),
      Used: false,
      ExpireTime: Math.floor(row.expiresAt.getTime() / 1000),
    },
  };
}
