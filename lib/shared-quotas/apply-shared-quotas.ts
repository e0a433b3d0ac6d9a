// Enforcement of shared storage quotas, on the device's side of the wire: the profile a device works from
// (profile.get) carries, for every vault whose StorageLimitID names a quota of its organization, the limit that
// vault may grow to now — its own last measured size plus what the quota has left after every vault sharing it.
// The agent stops a backup with JOB_STATUS_FAILED_QUOTA before a write would cross StorageLimitBytes, as it does
// for a vault's own limit; the smaller of the two limits applies. The admin's view of the profile is unchanged.
import type { Tx } from '../db/client';
import type { JsonObject } from '../profile/mapper';
import { measureQuotaUsage } from './measure-quota-usage';

const sizeOf = (vault: JsonObject): number => {
  const size = ((vault.Statistics as JsonObject | undefined)?.ClientProvidedSize as JsonObject | undefined)?.Size;
  return typeof size === 'number' && size > 0 ? size : 0;
};

/** Destinations (vault id → DestinationConfig) with the shared quotas of the tenant folded into their limits. */
export async function applySharedQuotas(client: Tx, tenantId: string, destinations: Record<string, JsonObject>): Promise<Record<string, JsonObject>> {
  const ids = [...new Set(Object.values(destinations).map((d) => d.StorageLimitID).filter((id): id is string => typeof id === 'string' && id !== ''))];
  if (ids.length === 0) return destinations;
  // tenancy: derived — tenantId is the device's own, fixed by its socket binding
  const quotas = await client.sharedStorageQuota.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, limitBytes: true } });
  if (quotas.length === 0) return destinations;
  const usage = await measureQuotaUsage(client, tenantId, quotas.map((q) => q.id));
  const limits = new Map(quotas.map((q) => [q.id, Number(q.limitBytes)]));
  const out: Record<string, JsonObject> = {};
  for (const [vaultId, dest] of Object.entries(destinations)) {
    const limit = typeof dest.StorageLimitID === 'string' ? limits.get(dest.StorageLimitID) : undefined;
    if (limit === undefined) {
      out[vaultId] = dest;
      continue;
    }
    const own = sizeOf(dest);
    const left = Math.max(0, limit - (usage.get(dest.StorageLimitID as string) ?? 0));
    const shared = own + left;
    const ownLimit = dest.StorageLimitEnabled === true && Number(dest.StorageLimitBytes) > 0 ? Number(dest.StorageLimitBytes) : Infinity;
    out[vaultId] = { ...dest, StorageLimitEnabled: true, StorageLimitBytes: Math.min(ownLimit, shared) };
  }
  return out;
}
