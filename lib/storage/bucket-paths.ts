// Where a Storage Role bucket's objects live: HALLEY_STORAGE_DIR/<bucket id>/o/<object key>. Bucket ids
// and object keys are checked here, once, so no request can name a path outside its bucket.
import path from 'node:path';
import { env } from '../env';
import { BadRequestError } from '../errors';
import { apiMessage, type ApiMessage } from '../i18n/api-messages';

const BUCKET_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/;
// A key is one or more '/'-separated segments of safe characters; no segment is '.', '..' or hidden.
const KEY_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._=-]{0,199}$/;
const MAX_KEY_LENGTH = 1024;

/** The folder that holds every bucket (absolute): HALLEY_STORAGE_DIR, else `storage` in the data directory. */
export function storageRoot(): string {
  const e = env();
  return path.resolve(e.HALLEY_STORAGE_DIR ?? path.join(e.HALLEY_DATA_DIR, 'storage'));
}

export function isBucketId(id: string): boolean {
  return BUCKET_ID.test(id);
}

export function checkBucketId(id: string, what = 'BucketID'): void {
  if (!isBucketId(id)) throw new BadRequestError(apiMessage('bucketIdInvalid', { field: what }));
}

export function bucketDir(bucketId: string): string {
  checkBucketId(bucketId);
  return path.join(storageRoot(), bucketId);
}

/** The objects folder of a bucket. */
export function objectsDir(bucketId: string): string {
  return path.join(bucketDir(bucketId), 'o');
}

/** A problem with an object key, or null when it is a valid key (or, with `prefix`, a valid prefix). */
export function objectKeyProblem(key: string, prefix = false): ApiMessage | null {
  if (key.length > MAX_KEY_LENGTH) return apiMessage('objectKeyTooLong', { limit: String(MAX_KEY_LENGTH) });
  if (key === '') return prefix ? null : apiMessage('objectKeyEmpty');
  const segments = key.split('/');
  if (prefix && segments.at(-1) === '') segments.pop();
  for (const s of segments) {
    if (!KEY_SEGMENT.test(s)) return apiMessage('objectKeySegmentInvalid', { segment: s.slice(0, 60) });
  }
  return null;
}

/** The file of an object; the key must have passed objectKeyProblem. */
export function objectPath(bucketId: string, key: string): string {
  return path.join(objectsDir(bucketId), ...key.split('/'));
}
