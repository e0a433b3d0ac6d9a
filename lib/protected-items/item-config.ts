// Shared helpers for the protected-item endpoints (admin/… and user/web/… get|set|delete-protected-item*):
// the item and "its" backup rules are read from and written back into the whole profile, so every save goes
// through replaceProfile (hash check, validation, sealed fields, policy, event) like a full profile save.
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import type { AdminActor, UserActor } from '../tenancy/actor';
import { findOwnAccount, findVisibleAccount } from '../users/find-account';
import { profileAndHash } from '../users/profile-hash';
import { apiMessage } from '../i18n/api-messages';

export type Obj = Record<string, unknown>;

/** An admin names the account (TargetUser, within its scope); an end user always works on its own. */
export type ItemOwner = { actor: AdminActor; username: string } | { actor: UserActor };

export const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** The current profile and hash of the owner's account (a foreign or unknown TargetUser answers userNotFound). */
export async function readOwnerProfile(owner: ItemOwner): Promise<{ profile: Obj; hash: string }> {
  const account = 'username' in owner ? await findVisibleAccount(db(), owner.actor, owner.username) : await findOwnAccount(db(), owner.actor);
  return profileAndHash(account);
}

/** A SourceID as Comet stores it: a non-empty map key of reasonable length. */
export function checkSourceId(sourceId: string): string {
  const id = sourceId.trim();
  if (id === '' || id.length > 255) throw new BadRequestError(apiMessage('sourceIdInvalidItem'));
  return id;
}

export function missingItem(sourceId: string): BadRequestError {
  return new BadRequestError(apiMessage('itemNotInProfile', { id: sourceId.slice(0, 255) }));
}

/** The backup rules whose Source is the item, keyed by rule id. */
export function rulesOfItem(profile: Obj, sourceId: string): Record<string, Obj> {
  const out: Record<string, Obj> = {};
  for (const [id, rule] of Object.entries(obj(profile.BackupRules))) if (obj(rule).Source === sourceId) out[id] = obj(rule);
  return out;
}
