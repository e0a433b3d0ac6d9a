// The end user's own account changes (user/web/account/*): each one names the profile hash it was read
// with, as Comet's do, so a change made meanwhile by an admin or a device is not overwritten blindly.
import type { Tx } from '../db/client';
import { ConflictError } from '../errors';
import type { UserActor } from '../tenancy/actor';
import { findOwnAccount, lockAccount } from './find-account';
import type { LoadedAccount } from './load-profiles';
import { profileAndHash } from './profile-hash';
import { apiMessage } from '../i18n/api-messages';

/** The caller's own account, locked for the transaction, after checking `profileHash` against it. */
export async function lockOwnAccountAtHash(tx: Tx, actor: UserActor, profileHash: string): Promise<LoadedAccount> {
  const found = await findOwnAccount(tx, actor);
  await lockAccount(tx, found.id);
  const account = await findOwnAccount(tx, actor);
  if (profileAndHash(account).hash !== profileHash) {
    throw new ConflictError(apiMessage('profileChangedSinceReadHash'));
  }
  return account;
}
