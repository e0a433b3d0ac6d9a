import { checkSourceId, missingItem, obj, readOwnerProfile, rulesOfItem, type ItemOwner } from './item-config';

/**
 * AdminGetProtectedItemWithBackupRules / UserWebGetProtectedItemWithBackupRules: one protected item, the
 * backup rules that back it up, and the profile hash to pass back as RequireHash when saving.
 */
export async function getProtectedItem(opts: ItemOwner & { sourceId: string }) {
  const sourceId = checkSourceId(opts.sourceId);
  const { profile, hash } = await readOwnerProfile(opts);
  const sources = obj(profile.Sources);
  if (!Object.hasOwn(sources, sourceId)) throw missingItem(sourceId);
  return { Status: 200, Message: 'OK', Source: sources[sourceId], BackupRules: rulesOfItem(profile, sourceId), ProfileHash: hash };
}
