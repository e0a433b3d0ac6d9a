// update-login-password: tells the device the account's new password (after it was changed on the server), so
// it can keep unlocking its storage vaults. The password passes through to the device and is stored nowhere here.
import { BadRequestError } from '../errors';
import { askDevice, type DispatchTarget } from './ask-device';
import { apiMessage } from '../i18n/api-messages';

export async function updateLoginPassword(opts: DispatchTarget & { newPassword: string }) {
  if (opts.newPassword === '') throw new BadRequestError(apiMessage('newPasswordEmpty'));
  if (opts.newPassword.length > 1024) throw new BadRequestError(apiMessage('newPasswordTooLong'));
  const r = await askDevice({ ...opts, build: () => ({ type: 'update-login-password', password: opts.newPassword }) });
  return { Status: 200, Message: r.message || 'OK' };
}
