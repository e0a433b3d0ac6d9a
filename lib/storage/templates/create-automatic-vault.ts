// A Storage Vault made by the server when a device registers (Comet's "automatic Storage Vault"): the
// account's policy DefaultNewStorageVault names the template (a template ID), or is
// NEW_STORAGE_VAULT_MODE_SERVER / "" for the organization's `Default` template; NEW_STORAGE_VAULT_MODE_NONE
// and NEW_STORAGE_VAULT_MODE_USER (the user picks one in the client) make none. Only an account without any
// Storage Vault gets one, so a second device or a reconnect never adds another (two devices registering
// at once: the profile hash check lets one win and the other's storage is removed again). The vault is
// associated with the device that registered (AssociatedDevices).
import { NEW_STORAGE_VAULT_MODE } from '../../comet/constants';
import { db } from '../../db/client';
import type { UserActor } from '../../tenancy/actor';
import { findOwnAccount } from '../../users/find-account';
import { profileAndHash } from '../../users/profile-hash';
import { requestStorageVault } from './request-storage-vault';

/** The template ID to provision from for this policy, or null for none. */
async function automaticTemplateId(tenantId: string, policy: Record<string, unknown>): Promise<string | null> {
  const mode = typeof policy.DefaultNewStorageVault === 'string' ? policy.DefaultNewStorageVault : '';
  if (mode === NEW_STORAGE_VAULT_MODE.NEW_STORAGE_VAULT_MODE_NONE || mode === NEW_STORAGE_VAULT_MODE.NEW_STORAGE_VAULT_MODE_USER) return null;
  if (mode !== '' && mode !== NEW_STORAGE_VAULT_MODE.NEW_STORAGE_VAULT_MODE_SERVER) return mode;
  // tenancy: derived — tenantId is the account's, found through the device's own actor
  const row = await db().storageTemplate.findFirst({ where: { tenantId, isDefault: true }, select: { templateId: true } });
  return row?.templateId ?? null;
}

/**
 * Makes the automatic vault for the account `actor` (a device's own account) if its policy asks for one
 * and it has no vault yet. Returns the new DestinationID, or null when none was due.
 */
export async function createAutomaticVault({ actor, selfAddress, deviceId }: { actor: UserActor; selfAddress: string; deviceId?: string }): Promise<string | null> {
  const account = await findOwnAccount(db(), actor);
  const { profile, hash } = profileAndHash(account);
  const vaults = (profile.Destinations as Record<string, unknown> | null | undefined) ?? {};
  if (Object.keys(vaults).length > 0) return null;
  const templateId = await automaticTemplateId(account.tenantId, (profile.Policy as Record<string, unknown> | undefined) ?? {});
  if (!templateId) return null;
  const made = await requestStorageVault({ actor, storageProvider: templateId, selfAddress, deviceId, profileHash: hash, automatic: true });
  return made.DestinationID;
}
