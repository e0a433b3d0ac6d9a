// The profile a device works from (profile.get): its own account's UserProfileConfig with the storage
// vault credentials included, since the device is what talks to the storage. Nothing else leaves here
// with secrets. Shared storage quotas are folded into the vaults' limits (lib/shared-quotas/apply-shared-quotas.ts).
import { db, dbPool, PRISMA_ROW_TYPES } from '../db/client';
import { mergeSecrets, type JsonObject } from '../profile/mapper';
import { unsealJson } from '../secrets';
import { applySharedQuotas } from '../shared-quotas/apply-shared-quotas';
import { accountByIdQuery } from '../users/account-batch-query';
import { accountToProfile, type LoadedAccount } from '../users/load-profiles';
import type { DeviceBinding } from './binding';

export async function deviceProfile(device: DeviceBinding): Promise<JsonObject> {
  // Every agent asks right after its sign-in, so a reconnect storm asks 10,000 times at once: one statement on the
  // pg pool (get-user-profile's, by id), not Prisma's five round trips.
  const q = accountByIdQuery({ scope: { tenantId: device.tenantId }, id: device.accountId });
  // tenancy: derived — the account and tenant the device's socket was bound to at sign-in
  const { rows } = await dbPool().query<LoadedAccount>({ text: q.text, values: q.values, types: PRISMA_ROW_TYPES });
  const account = rows[0];
  if (!account) return {};
  const profile = accountToProfile(account) as JsonObject;
  const destinations = { ...((profile.Destinations as JsonObject | undefined) ?? {}) };
  for (const vault of account.vaults) {
    const secrets = unsealJson<Record<string, unknown>>(vault.secrets);
    if (secrets && destinations[vault.vaultId]) destinations[vault.vaultId] = mergeSecrets(destinations[vault.vaultId], secrets);
  }
  return { ...profile, Destinations: await applySharedQuotas(db(), device.tenantId, destinations as Record<string, JsonObject>), PasswordHash: '', TOTPKey: '' };
}
