// The profile a device works from (profile.get): its own account's UserProfileConfig with the storage
// vault credentials included, since the device is what talks to the storage. Nothing else leaves here
// with secrets. Shared storage quotas are folded into the vaults' limits (lib/shared-quotas/apply-shared-quotas.ts).
import { db } from '../db/client';
import { mergeSecrets, type JsonObject } from '../profile/mapper';
import { unsealJson } from '../secrets';
import { applySharedQuotas } from '../shared-quotas/apply-shared-quotas';
import { accountToProfile, loadAccount } from '../users/load-profiles';
import type { DeviceBinding } from './binding';

export async function deviceProfile(device: DeviceBinding): Promise<JsonObject> {
  const account = await loadAccount({ id: device.accountId, tenantId: device.tenantId }, db());
  if (!account) return {};
  const profile = accountToProfile(account) as JsonObject;
  const destinations = { ...((profile.Destinations as JsonObject | undefined) ?? {}) };
  for (const vault of account.vaults) {
    const secrets = unsealJson<Record<string, unknown>>(vault.secrets);
    if (secrets && destinations[vault.vaultId]) destinations[vault.vaultId] = mergeSecrets(destinations[vault.vaultId], secrets);
  }
  return { ...profile, Destinations: await applySharedQuotas(db(), device.tenantId, destinations as Record<string, JsonObject>), PasswordHash: '', TOTPKey: '' };
}
