import { db } from '../db/client';
import { TOP_LEVEL_TENANT_ID } from '../tenancy/actor';
import { deliveryFrom, type DeliverySettings } from './delivery-from';
import { storedEmailOptions } from './stored-email-options';

// Report runs resolve the same tenant's settings for every message; a short cache saves the query. A save
// in this process clears it; other processes see a change within CACHE_MS (as server settings do).
const CACHE_MS = 2000;
const deliveryCache = new Map<string, { value: Promise<DeliverySettings>; until: number }>();

export function clearDeliveryCache(): void {
  deliveryCache.clear();
}

/** The settings a tenant's reports are sent with (cached for CACHE_MS). */
export function resolveDelivery(tenantId: string): Promise<DeliverySettings> {
  const hit = deliveryCache.get(tenantId);
  if (hit && hit.until > Date.now()) return hit.value;
  const value = readDelivery(tenantId);
  deliveryCache.set(tenantId, { value, until: Date.now() + CACHE_MS });
  value.catch(() => deliveryCache.delete(tenantId));
  return value;
}

/** The settings a tenant's reports are sent with (reads the tenant and the server rows in one query). */
async function readDelivery(tenantId: string): Promise<DeliverySettings> {
  const rows = await db().tenant.findMany({ where: { id: { in: [tenantId, TOP_LEVEL_TENANT_ID] } }, select: { id: true, data: true, secrets: true } });
  const own = rows.find((r) => r.id === tenantId);
  const server = rows.find((r) => r.id === TOP_LEVEL_TENANT_ID);
  const serverOptions = server ? storedEmailOptions(server, true) : null;
  if (!own || tenantId === TOP_LEVEL_TENANT_ID) return deliveryFrom(serverOptions ?? {}, null);
  return deliveryFrom(storedEmailOptions(own, true), serverOptions);
}
