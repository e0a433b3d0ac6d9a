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

/** Folders known to exist (bounded): most objects go into a folder an earlier object made. */
const knownDirs = new Set<string>();
const KNOWN_DIRS_MAX = 10_000;

/** Opens the temporary file; makes its folder when missing (first object there, or the folder was removed since). */
async function openTemporary(tmp: string): Promise<ReturnType<typeof createWriteStream>> {
  const dir = path.dirname(tmp);
  if (!knownDirs.has(dir)) await fs.mkdir(dir, { recursive: true });
  const open = () =>
    new Promise<ReturnType<typeof createWriteStream>>((resolve, reject) => {
      const ws = createWriteStream(tmp, { flags: 'wx' });
      ws.once('open', () => {
        ws.off('error', reject);
        resolve(ws);
      });
      ws.once('error', reject);
    });
  const ws = await open().catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
    knownDirs.delete(dir);
    await fs.mkdir(dir, { recursive: true });
    return open();
  });
  if (knownDirs.size >= KNOWN_DIRS_MAX) knownDirs.clear();
  knownDirs.add(dir);
  return ws;
}

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
    await pipeline(body, counter, await openTemporary(tmp));
    await fs.rename(tmp, file);
  } catch (err) {
    // (The temporary file may not exist, nor its folder: a key under an object fails with ENOTDIR here too.)
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST') throw new ConflictError(apiMessage('objectKeyCollides', { key: key.slice(0, 200) }));
    throw err;
  }
  return { size };
}
