// tenancy-file: system — a Constellation run of one organization (tenantId from the caller or the job); references are counted from every organization's vaults on purpose: any of them keeps the bucket
// The one statement a Constellation run reads its references with: every bucket of the organization (and every
// bucket id a listed server reported), when it was created here, and the vaults of any organization that point
// at it (count; the organization's own distinct usernames as a JSON array). Exported so bench/constellation.ts
// runs this very text as its baseline: the benchmark cannot flatter the ratio with a different query.
import { Prisma } from '../generated/prisma/client';

/** A row of the statement: `users` is JSON text (parsed natively, not as a PostgreSQL array). */
export type TBucketReferenceRow = { id: string; created: bigint | string | null; local: boolean; refs: number; users: string };

export function bucketReferencesQuery(tenantId: string, cometIds: string[]): Prisma.Sql {
  return Prisma.sql`
    WITH mine AS (SELECT id, "createdAt" FROM "StorageBucket" WHERE "tenantId" = ${tenantId}),
    wanted AS (SELECT id FROM mine UNION SELECT unnest(${cometIds}::text[])),
    refs AS (
      SELECT v.data->>'CometBucket' AS bucket, count(*)::int AS n,
             COALESCE(array_agg(DISTINCT a.username) FILTER (WHERE v."tenantId" = ${tenantId}), '{}') AS users
      FROM "StorageVault" v JOIN "Account" a ON a.id = v."accountId"
      WHERE v.data->>'CometBucket' IN (SELECT id FROM wanted)
      GROUP BY 1)
    SELECT w.id, EXTRACT(EPOCH FROM m."createdAt")::bigint AS created, (m.id IS NOT NULL) AS local,
           COALESCE(r.n, 0)::int AS refs, COALESCE(array_to_json(r.users)::text, '[]') AS users
    FROM wanted w LEFT JOIN mine m ON m.id = w.id LEFT JOIN refs r ON r.bucket = w.id
    ORDER BY w.id`;
}
