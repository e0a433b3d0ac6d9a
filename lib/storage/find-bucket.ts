import { NotFoundError } from '../errors';

/** What a missing bucket, and another organization's, look like. */
export function bucketNotFound(bucketId: string): NotFoundError {
  return new NotFoundError(`Bucket '${bucketId.slice(0, 100)}' was not found`);
}
