import { BadRequestError } from '../errors';
import { restrictEndUserChanges } from '../users/end-user-restrictions';
import { replaceProfile } from '../users/set-user-profile';
import { checkSourceId, missingItem, obj, readOwnerProfile, rulesOfItem, type ItemOwner, type Obj } from './item-config';
import { apiMessage } from '../i18n/api-messages';

type SetProtectedItemOptions = ItemOwner & {
  sourceId: string;
  /** The profile hash read with the item; a mismatch answers 409 like set-user-profile-hash. */
  requireHash?: string;
  /** The item's new configuration; absent: the item must exist and is kept as it is. */
  source?: Obj;
  /**
   * The item's complete set of backup rules; absent: its rules are kept. Rules of the item that are not in
   * the map are removed; a rule may not name another item, and a rule id of another item cannot be taken over.
   */
  backupRules?: Record<string, Obj>;
};

/**
 * AdminSetProtectedItemWithBackupRules / UserWebSetProtectedItemWithBackupRules: creates or updates one
 * protected item and replaces its backup rules, as one profile save (validated, hash-checked, evented).
 */
export async function setProtectedItem(opts: SetProtectedItemOptions): Promise<{ Status: number; Message: string }> {
  const sourceId = checkSourceId(opts.sourceId);
  if (opts.source !== undefined && (opts.source === null || typeof opts.source !== 'object' || Array.isArray(opts.source))) {
    throw new BadRequestError(apiMessage('sourceNotObject'));
  }
  if (opts.backupRules !== undefined && (opts.backupRules === null || typeof opts.backupRules !== 'object' || Array.isArray(opts.backupRules))) {
    throw new BadRequestError(apiMessage('backupRulesNotMap'));
  }
  const { profile, hash } = await readOwnerProfile(opts);
  const sources = { ...obj(profile.Sources) };
  if (opts.source === undefined && !Object.hasOwn(sources, sourceId)) throw missingItem(sourceId);
  if (opts.source !== undefined) sources[sourceId] = opts.source;

  const rules = { ...obj(profile.BackupRules) };
  if (opts.backupRules !== undefined) {
    for (const id of Object.keys(rulesOfItem(profile, sourceId))) delete rules[id];
    for (const [id, value] of Object.entries(opts.backupRules)) {
      const rule = obj(value);
      if (id.trim() === '') throw new BadRequestError(apiMessage('backupRuleIdEmpty'));
      const named = typeof rule.Source === 'string' ? rule.Source : '';
      if (named !== '' && named !== sourceId) throw new BadRequestError(apiMessage('backupRuleWrongSource', { rule: id.slice(0, 255), id: sourceId.slice(0, 255) }));
      if (Object.hasOwn(rules, id)) throw new BadRequestError(apiMessage('backupRuleOtherItem', { rule: id.slice(0, 255) }));
      rules[id] = { ...rule, Source: sourceId };
    }
  }
  const owner = 'username' in opts ? { actor: opts.actor, username: opts.username } : { actor: opts.actor, restrict: restrictEndUserChanges };
  await replaceProfile({ ...owner, profile: { ...profile, Sources: sources, BackupRules: rules }, requireHash: opts.requireHash ?? hash });
  return { Status: 200, Message: 'OK' };
}
