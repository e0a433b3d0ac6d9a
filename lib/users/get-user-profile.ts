import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { readVisibleAccount } from './find-account';
import { accountToProfile } from './load-profiles';
import { profileAndHash } from './profile-hash';

export async function getUserProfile({ actor, username }: { actor: AdminActor; username: string }) {
  return accountToProfile(await readVisibleAccount(actor, username));
}

export async function getUserProfileAndHash({ actor, username }: { actor: AdminActor; username: string }) {
  return profileAndHash(await readVisibleAccount(actor, username));
}

/** AdminListUsers: usernames the admin may see, sorted. */
export async function listUsernames({ actor }: { actor: AdminActor }): Promise<string[]> {
  const rows = await db().account.findMany({ where: tenantWhere(actor), select: { username: true }, orderBy: { username: 'asc' } });
  return rows.map((r) => r.username);
}

