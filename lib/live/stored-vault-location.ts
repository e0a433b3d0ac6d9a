// A stored Storage Vault of a device's own account as the DestinationLocation the device tests
// (dispatcher/ping-destination with Halley's `Destination`): its settings with its sealed credentials, which
// only go to the device, as they do in the device's profile (lib/live/device-profile.ts). The console tests
// a user's real vault this way without ever holding the credentials.
import { db } from '../db/client';
import { NotFoundError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import { mergeSecrets, type JsonObject } from '../profile/mapper';
import { unsealJson } from '../secrets';

export async function storedVaultLocation(accountId: string, vaultId: string): Promise<JsonObject> {
  // tenancy: derived — accountId is the target device's own account, reached through canSee/tenantWhere by dispatchCommand
  const v = await db().storageVault.findUnique({ where: { accountId_vaultId: { accountId, vaultId } } });
  if (!v) throw new NotFoundError(apiMessage('vaultNotFound', { id: vaultId.slice(0, 100) }));
  const data = v.data && typeof v.data === 'object' && !Array.isArray(v.data) ? (v.data as JsonObject) : {};
  const location: JsonObject = { ...data, Description: v.description, DestinationType: Number(v.destinationType) };
  return mergeSecrets(location, unsealJson<JsonObject>(v.secrets));
}
