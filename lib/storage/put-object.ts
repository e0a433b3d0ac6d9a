// Stores one object of a bucket from a stream, never holding it in memory: the bytes go to a temporary
// file next to the object (counted against the size limit as they arrive), which replaces the object
// only when complete.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BadRequestError, ConflictError, PayloadTooLargeError } from '../errors';
import type { AuthorizedBucket } from './authorize-bucket';
import { objectKeyProblem, objectPath } from './bucket-paths';
import { apiMessage } from '../i18n/api-messages';

export async function putObject({ bucket, key, body, maxBytes }: { bucket: AuthorizedBucket; key: string; body: Readable; maxBytes: number }): Promise<{ size: number }> {
  const problem = objectKeyProblem(key);
  if (problem) throw new BadRequestError(problem);
  const file = objectPath(bucket.id, key);
  const tmp = `${file}.${randomBytes(6).toString('hex')}.part`;
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > maxBytes) cb(new PayloadTooLargeError(maxBytes));
      else cb(null, chunk);
    },
  });
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await pipeline(body, counter, createWriteStream(tmp, { flags: 'wx' }));
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST') throw new ConflictError(apiMessage('objectKeyCollides', { key: key.slice(0, 200) }));
    throw err;
  }
  return { size };
}
