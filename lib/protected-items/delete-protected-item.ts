import { restrictEndUserChanges } from '../users/end-user-restrictions';
import { replaceProfile } from '../users/set-user-profile';
import { checkSourceId, missingItem, obj, readOwnerProfile, rulesOfItem, type ItemOwner } from './item-config';

/**
 * AdminDeleteProtectedItem / UserWebDeleteProtectedItem: removes the item and the backup rules that back it
 * up (a rule without its item could not run), as one profile save.
 */
export async function deleteProtectedItem(opts: ItemOwner & { sourceId: string }): Promise<{ Status: number; Message: string }> {
  const sourceId = checkSourceId(opts.sourceId);
  const { profile, hash } = await readOwnerProfile(opts);
  const sources = { ...obj(profile.Sources) };
  if (!Object.hasOwn(sources, sourceId)) throw missingItem(sourceId);
  delete sources[sourceId];
  const rules = { ...obj(profile.BackupRules) };
  for (const id of Object.keys(rulesOfItem(profile, sourceId))) delete rules[id];
  const owner = 'username' in opts ? { actor: opts.actor, username: opts.username } : { actor: opts.actor, restrict: restrictEndUserChanges };
  await replaceProfile({ ...owner, profile: { ...profile, Sources: sources, BackupRules: rules }, requireHash: hash });
  return { Status: 200, Message: 'OK' };
}
