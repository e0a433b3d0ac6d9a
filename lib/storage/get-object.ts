// Opens one object of a bucket for streaming; null when it does not exist.
import { createReadStream, type ReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { BadRequestError } from '../errors';
import type { AuthorizedBucket } from './authorize-bucket';
import { objectKeyProblem, objectPath } from './bucket-paths';

export async function getObject({ bucket, key, open = true }: { bucket: AuthorizedBucket; key: string; open?: boolean }): Promise<{ size: number; modified: number; stream?: ReadStream } | null> {
  const problem = objectKeyProblem(key);
  if (problem) throw new BadRequestError(problem);
  const file = objectPath(bucket.id, key);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
  const st = await handle.stat();
  if (!st.isFile()) {
    await handle.close();
    return null;
  }
  if (!open) {
    await handle.close();
    return { size: st.size, modified: Math.floor(st.mtimeMs / 1000) };
  }
  // The stream owns the handle (closes it at the end or on error).
  return { size: st.size, modified: Math.floor(st.mtimeMs / 1000), stream: createReadStream('', { fd: handle as never, autoClose: true }) };
}
