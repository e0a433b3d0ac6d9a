// Rewrites CometServer of some vaults of one account through the normal profile write (hash-checked,
// validated, SEVT_ACCOUNT_UPDATED), retrying when a device or admin saved the profile in between.
import { ConflictError } from '../errors';
import type { AdminActor } from '../tenancy/actor';
import { getUserProfileAndHash } from '../users/get-user-profile';
import { replaceProfile } from '../users/set-user-profile';

type TVaultRewrite = { vaultId: string; before: string; after: string };

const ATTEMPTS = 3;

/**
 * For each vault `decide(currentAddress)` returns the new address, or null to leave it. Returns what was
 * changed, as read and written under the same hash.
 */
export async function rewriteVaultAddresses(opts: { actor: AdminActor; username: string; vaultIds: string[]; decide: (vaultId: string, address: string) => string | null }): Promise<TVaultRewrite[]> {
  for (let attempt = 1; ; attempt++) {
    const { profile, hash } = await getUserProfileAndHash({ actor: opts.actor, username: opts.username });
    const vaults = { ...((profile.Destinations as Record<string, Record<string, unknown>> | null) ?? {}) };
    const changed: TVaultRewrite[] = [];
    const now = Math.floor(Date.now() / 1000);
    for (const id of opts.vaultIds) {
      const vault = vaults[id];
      if (!vault || typeof vault.CometServer !== 'string') continue;
      const next = opts.decide(id, vault.CometServer);
      if (next === null || next === vault.CometServer) continue;
      vaults[id] = { ...vault, CometServer: next, ModifyTime: now };
      changed.push({ vaultId: id, before: vault.CometServer, after: next });
    }
    if (changed.length === 0) return [];
    try {
      await replaceProfile({ actor: opts.actor, username: opts.username, profile: { ...profile, Destinations: vaults }, requireHash: hash });
      return changed;
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= ATTEMPTS) throw err;
    }
  }
}
