import { profileHash } from '../profile/hash';
import { accountToProfile, type LoadedAccount } from './load-profiles';

export function profileAndHash(account: LoadedAccount): { profile: Record<string, unknown>; hash: string } {
  const profile = accountToProfile(account);
  return { profile, hash: profileHash(profile, account.secretStamp) };
}
