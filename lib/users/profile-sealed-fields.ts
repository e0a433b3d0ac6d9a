// Which credential fields of a user's Storage Vaults hold a sealed value: names only, never values, so
// the console can show "set — replace?" for a write-only field and validation can tell an empty field
// that keeps its stored secret from one that was never set.
import { db } from '../db/client';
import type { TSealedFields } from '../profile/validate-backup-config';
import { unsealJson } from '../secrets';
import type { AdminActor } from '../tenancy/actor';
import { findVisibleAccount } from './find-account';
import type { LoadedAccount } from './load-profiles';

function leafPaths(tree: unknown, prefix: string[], out: string[]): void {
  if (typeof tree === 'string') {
    if (tree !== '') out.push(prefix.join('.'));
    return;
  }
  if (typeof tree !== 'object' || tree === null) return;
  for (const k of Object.keys(tree)) leafPaths((tree as Record<string, unknown>)[k], [...prefix, k], out);
}

export function sealedFieldsOf(account: Pick<LoadedAccount, 'vaults'>): TSealedFields {
  const out: TSealedFields = {};
  for (const vault of account.vaults) {
    const paths: string[] = [];
    leafPaths(unsealJson(vault.secrets), [], paths);
    if (paths.length) out[vault.vaultId] = paths.sort();
  }
  return out;
}

/** HalleyAdminGetUserProfileSealedFields: vault id → sealed field paths ("S3SecretKey", "B2.Key"). */
export async function getUserProfileSealedFields({ actor, username }: { actor: AdminActor; username: string }): Promise<{ Destinations: TSealedFields }> {
  return { Destinations: sealedFieldsOf(await findVisibleAccount(db(), actor, username)) };
}
