import { passwordSignInAllowed, totpEnabled } from '../auth/second-factor';
import { verifyPassword } from '../credentials/password';
import { verifyTotpCode } from '../credentials/totp';
import { db } from '../db/client';
import { AuthError } from '../errors';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { userNotFound } from '../users/find-account';
import { issueDeviceToken } from '../auth/device-token';
import { findLobbyDevice } from './find-lobby-device';
import { ensureRegisteredDevice } from './register-device';
import { sendCommand } from './send-command';
import { apiMessage } from '../i18n/api-messages';

/** The address the lobby device dialled (its Host header), where an automatic Storage Role vault made for it points. */
function lobbyAddress(host: string): string {
  return host ? `http://${host}` : '';
}

/** AdminInstallationDispatchRegisterDevice: registers a lobby device to a user, checked with the user's password. */
export async function registerLobbyDevice(opts: { actor: AdminActor; deviceId: string; username: string; password: string; totpCode?: string }): Promise<string> {
  const account = await db().account.findFirst({
    where: { username: opts.username, ...tenantWhere(opts.actor) },
    select: { id: true, tenantId: true, username: true, passwordHash: true, allowPasswordLogin: true, allowPasswordAndTotpLogin: true, totpSecret: true },
  });
  if (!account) throw userNotFound(opts.username);
  const state = { ...account, allowPasswordAndWebAuthnLogin: false };
  if (!passwordSignInAllowed(state) || !(await verifyPassword(account.passwordHash, opts.password))) throw new AuthError(apiMessage('lobbyWrongPassword'));
  // A user who signs in with a TOTP code needs it here too (TargetTOTPCode), as the device would.
  if (totpEnabled(state)) {
    if (!opts.totpCode) throw new AuthError(apiMessage('lobbyTotpRequired'));
    if (!(await verifyTotpCode(account.totpSecret!, opts.totpCode))) throw new AuthError(apiMessage('lobbyWrongTotp'));
  }
  const lobby = await findLobbyDevice(opts.actor, opts.deviceId);
  const binding = await ensureRegisteredDevice(account, {
    deviceId: lobby.deviceId,
    friendlyName: lobby.friendlyName,
    version: lobby.version,
    platform: lobby.platform,
    platformVersion: lobby.platformVersion,
    timezone: lobby.timezone,
    allowsFilenames: true,
  }, lobbyAddress(lobby.host));
  await sendCommand(lobby, { type: 'register', username: account.username, token: issueDeviceToken(binding.accountId, binding.deviceId) });
  return 'OK';
}
