// Lists a bucket's objects in key order, from after `after`, under `prefix`, at most `limit`: one page of
// {Key, Size, Modified} and the key to continue after (empty at the end).
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { BadRequestError } from '../errors';
import type { AuthorizedBucket } from './authorize-bucket';
import { objectKeyProblem, objectsDir } from './bucket-paths';
import { apiMessage } from '../i18n/api-messages';

type TObjectEntry = { Key: string; Size: number; Modified: number };

async function entries(dir: string): Promise<Dirent[]> {
  try {
    return (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
}

export async function listObjects({ bucket, prefix = '', after = '', limit = 1000 }: { bucket: AuthorizedBucket; prefix?: string; after?: string; limit?: number }): Promise<{ Objects: TObjectEntry[]; NextAfter: string }> {
  const problem = objectKeyProblem(prefix, true);
  if (problem) throw new BadRequestError(apiMessage('objectPrefixInvalid', { reason: problem }));
  const max = Math.max(1, Math.min(10_000, limit));
  const out: TObjectEntry[] = [];
  // Start in the deepest folder the prefix names whole ("chunks/ab/" starts in chunks/ab).
  const whole = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
  let truncated = false;
  // Keys of a folder's children sort by name; a folder's keys come before its next sibling's, but "a/x"
  // sorts after "a.b" — so each level is walked in name order and the results are sorted per page below.
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const e of await entries(dir)) {
      if (out.length > max * 4) return void (truncated = true);
      const key = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        // Skip folders entirely before the continuation point or outside the prefix.
        if (!(`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`))) continue;
        if (after && `${key}/\uffff` <= after) continue;
        await walk(path.join(dir, e.name), key);
      } else if (e.isFile() && !e.name.endsWith('.part') && key.startsWith(prefix) && key > after) {
        const st = await fs.stat(path.join(dir, e.name)).catch(() => null);
        if (st) out.push({ Key: key, Size: st.size, Modified: Math.floor(st.mtimeMs / 1000) });
      }
    }
  };
  await walk(whole ? path.join(objectsDir(bucket.id), ...whole.split('/')) : objectsDir(bucket.id), whole);
  out.sort((a, b) => (a.Key < b.Key ? -1 : 1));
  const page = out.slice(0, max);
  const more = out.length > max || truncated;
  return { Objects: page, NextAfter: more && page.length ? page[page.length - 1].Key : '' };
}
