// The bytes stored under shared quotas: the sum of the last measured size (Statistics.ClientProvidedSize.Size,
// reported by the devices at the end of each job) of every Storage Vault of the tenant whose StorageLimitID
// names the quota. One statement for any number of quotas.
import { Prisma } from '../generated/prisma/client';
import type { Tx } from '../db/client';

const SIZE = Prisma.sql`CASE WHEN jsonb_typeof(v."data" #> '{Statistics,ClientProvidedSize,Size}') = 'number'
  THEN (v."data" #>> '{Statistics,ClientProvidedSize,Size}')::numeric::bigint ELSE 0 END`;

/** Quota id → bytes used, for the given quota ids of one tenant (ids without vaults answer 0). */
export async function measureQuotaUsage(client: Tx, tenantId: string, quotaIds: string[]): Promise<Map<string, number>> {
  const usage = new Map<string, number>(quotaIds.map((id) => [id, 0]));
  if (quotaIds.length === 0) return usage;
  // tenancy: derived — tenantId is that of quota rows the caller reached through lib/tenancy
  const rows = await client.$queryRaw<Array<{ id: string; used: bigint }>>`
    SELECT v."data" ->> 'StorageLimitID' AS id, COALESCE(SUM(${SIZE}), 0)::bigint AS used
    FROM "StorageVault" v
    WHERE v."tenantId" = ${tenantId} AND v."data" ->> 'StorageLimitID' = ANY(${quotaIds})
    GROUP BY 1`;
  for (const r of rows) usage.set(r.id, Number(r.used));
  return usage;
}
