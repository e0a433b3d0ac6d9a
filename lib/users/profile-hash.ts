import { profileHash } from '../profile/hash';
import { withoutJobStatistics } from '../profile/job-statistics';
import { accountToProfile, type LoadedAccount } from './load-profiles';

/**
 * The profile and its change hash. Job statistics (what a device's job report writes into a vault's or
 * protected item's `Statistics`) are left out of the hash: a finished backup must not make an admin's
 * open edit fail as "changed by someone else". The profile itself still carries them.
 */
export function profileAndHash(account: LoadedAccount): { profile: Record<string, unknown>; hash: string } {
  const profile = accountToProfile(account);
  return { profile, hash: profileHash(withoutJobStatistics(profile), account.secretStamp) };
}
