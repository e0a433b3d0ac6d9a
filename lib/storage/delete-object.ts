// Removes one object of a bucket (deleting a missing object is not an error, as in S3).
import fs from 'node:fs/promises';
import { BadRequestError } from '../errors';
import type { AuthorizedBucket } from './authorize-bucket';
import { objectKeyProblem, objectPath } from './bucket-paths';

export async function deleteObject({ bucket, key }: { bucket: AuthorizedBucket; key: string }): Promise<void> {
  const problem = objectKeyProblem(key);
  if (problem) throw new BadRequestError(problem);
  await fs.rm(objectPath(bucket.id, key), { force: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOTDIR' && err.code !== 'EISDIR') throw err;
  });
}
