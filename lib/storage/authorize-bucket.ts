// Bucket-key authentication of the object API: the key is checked against the stored scrypt hash
// (verified keys are remembered briefly by lib/credentials/password.ts, so a backup's thousands of
// requests cost one scrypt). An unknown bucket takes the same time as a wrong key and answers alike.
import { dummyPasswordHash, verifyPassword } from '../credentials/password';
import { db } from '../db/client';
import { AuthError } from '../errors';
import { isBucketId } from './bucket-paths';
import { apiMessage } from '../i18n/api-messages';

export type AuthorizedBucket = { id: string; tenantId: string };

export async function authorizeBucket(bucketId: string, key: string): Promise<AuthorizedBucket> {
  const row = isBucketId(bucketId)
    ? // tenancy: system — bucket-key authentication: the key, not an actor, grants access to this one bucket
      await db().storageBucket.findUnique({ where: { id: bucketId }, select: { id: true, tenantId: true, keyHash: true } })
    : null;
  const ok = await verifyPassword(row?.keyHash ?? (await dummyPasswordHash()), key);
  if (!row || !ok || key === '') throw new AuthError(apiMessage('bucketAuthFailed'));
  return { id: row.id, tenantId: row.tenantId };
}
