// Bucket-key authentication of the object API: the key is checked against the stored scrypt hash
// (verified keys are remembered briefly by lib/credentials/password.ts, so a backup's thousands of
// requests cost one scrypt). An unknown bucket takes the same time as a wrong key and answers alike.
import { dummyPasswordHash, verifyPassword } from '../credentials/password';
import { dbPool } from '../db/client';
import { AuthError } from '../errors';
import { isBucketId } from './bucket-paths';
import { apiMessage } from '../i18n/api-messages';

export type AuthorizedBucket = { id: string; tenantId: string };

export async function authorizeBucket(bucketId: string, key: string): Promise<AuthorizedBucket> {
  // Straight on the pg pool: every object request of a backup runs this (Prisma's query engine cost more than the SQL).
  const row = isBucketId(bucketId)
    ? // tenancy: system — bucket-key authentication: the key, not an actor, grants access to this one bucket
      (await dbPool().query<{ id: string; tenantId: string; keyHash: string }>('SELECT id, "tenantId", "keyHash" FROM "StorageBucket" WHERE id = $1', [bucketId])).rows[0]
    : undefined;
  const ok = await verifyPassword(row?.keyHash ?? (await dummyPasswordHash()), key);
  if (!row || !ok || key === '') throw new AuthError(apiMessage('bucketAuthFailed'));
  return { id: row.id, tenantId: row.tenantId };
}
