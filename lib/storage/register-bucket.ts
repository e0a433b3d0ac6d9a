// admin/storage/register-bucket (Comet's AdminStorageRegisterBucket): a new bucket on this node's Storage
// Role. The ID is random unless SetBucketValue names one; the key is random unless SetKeyHashFormat /
// SetKeyHashValue give it (format 0: the key in plain text, which Halley hashes; Halley's scrypt format:
// a hash from another Halley). Only the scrypt hash is stored. A tenant admin's buckets belong to its
// organization; a top-level admin may name another with SetOrganizationID.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { StreamableEventType as SEVT } from '../comet/constants';
import { hashPassword } from '../credentials/password';
import { db, isUniqueViolation } from '../db/client';
import { BadRequestError, ConflictError } from '../errors';
import { emitEvent } from '../events/emit';
import { PASSWORD_FORMAT_HALLEY_SCRYPT } from '../profile/mapper';
import type { Actor, AdminActor } from '../tenancy/actor';
import { targetTenant } from '../tenancy/scope';
import { checkBucketId, objectsDir } from './bucket-paths';
import { apiMessage } from '../i18n/api-messages';

const SCRYPT_HASH = /^scrypt\$\d{1,2}\$\d{1,2}\$\d{1,2}\$[A-Za-z0-9_-]{16,64}\$[A-Za-z0-9_-]{32,128}$/;

type RegisterBucketInput = {
  actor: AdminActor;
  bucketId?: string;
  keyHashFormat?: string;
  keyHashValue?: string;
  organizationId?: string;
};

type TAddBucketResponse = { Status: number; Message: string; NewBucketID: string; NewBucketKey: string };

async function keyHashFor(format: string | undefined, value: string | undefined): Promise<{ hash: string; key: string }> {
  if ((format ?? '') === '' && (value ?? '') === '') return newBucketKey();
  const f = Number(format ?? '0');
  if (!value) throw new BadRequestError(apiMessage('keyHashEmpty'));
  if (f === 0) {
    if (value.length < 12) throw new BadRequestError(apiMessage('bucketKeyTooShort'));
    if (value.length > 512) throw new BadRequestError(apiMessage('bucketKeyTooLong'));
    return { hash: await hashPassword(value), key: value };
  }
  if (f === PASSWORD_FORMAT_HALLEY_SCRYPT && SCRYPT_HASH.test(value)) return { hash: value, key: '' };
  throw new BadRequestError(apiMessage('keyHashFormatUnsupported', { format: String(format).slice(0, 20), scrypt: String(PASSWORD_FORMAT_HALLEY_SCRYPT) }));
}

export async function registerBucket(input: RegisterBucketInput): Promise<TAddBucketResponse> {
  const { actor } = input;
  const org = input.organizationId ?? '';
  // A tenant admin may name its own organization; any other one is a top-level choice.
  const tenantId = org === '' || (!actor.isTopLevel && org === actor.tenantId) ? actor.tenantId : await targetTenant(actor, org);
  const id = input.bucketId || undefined;
  if (id !== undefined) checkBucketId(id, 'SetBucketValue');
  const { hash, key } = await keyHashFor(input.keyHashFormat, input.keyHashValue);
  const made = await createBucket({ actor, tenantId, bucketId: id, keyHash: hash });
  return { Status: 200, Message: 'OK', NewBucketID: made, NewBucketKey: key };
}

/**
 * Creates a bucket of `tenantId` (already resolved by the caller in the actor's scope) with SEVT_BUCKET_NEW.
 * Without a key hash a random key is made and returned.
 */
export async function createBucket(opts: { actor: Actor; tenantId: string; bucketId?: string; keyHash: string }): Promise<string> {
  const id = opts.bucketId ?? `halley-${randomBytes(10).toString('hex')}`;
  try {
    await db().$transaction(async (tx) => {
      // tenancy: derived — tenantId was resolved by the caller (targetTenant, or the requesting account's tenant)
      await tx.storageBucket.create({ data: { id, tenantId: opts.tenantId, keyHash: opts.keyHash } });
      await emitEvent(tx, opts.actor, { tenantId: opts.tenantId, type: SEVT.SEVT_BUCKET_NEW, resourceId: id, data: { BucketID: id } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(apiMessage('bucketExists', { id }));
    throw err;
  }
  await fs.mkdir(objectsDir(id), { recursive: true });
  return id;
}

/** A new random bucket key and its hash. */
export async function newBucketKey(): Promise<{ key: string; hash: string }> {
  const key = randomBytes(24).toString('base64url');
  return { key, hash: await hashPassword(key) };
}
