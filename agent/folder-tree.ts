// What the stores that keep a vault as files in a folder tree on a server (SFTP, FTP, WebDAV, SMB) share: the name of
// a write's temporary file, and listing the tree in key order, objects and temporaries apart. Each store only
// says how to read one folder.

import type { ObjectStore } from './vault-stores';

type StoredObject = { key: string; size: number };

/** Ends the name of every temporary file; an interrupted write leaves one behind (temporaries() finds it). */
const TEMP_SUFFIX = '.halley-tmp';

/** A unique temporary name beside `file`, for writing it before a rename puts it in place. */
export function temporaryFor(file: string): string {
  return `${file}.${process.pid}-${Math.random().toString(36).slice(2, 10)}${TEMP_SUFFIX}`;
}

export type FolderEntry = { name: string; folder: boolean; size: number };
/** The entries of the folder whose key is `dir` ('' for the vault's own folder), or null when it does not exist. */
export type ReadFolder = (dir: string) => Promise<FolderEntry[] | null>;

async function* walk(read: ReadFolder, dir: string, keep: (key: string, folder: boolean) => boolean): AsyncIterable<StoredObject> {
  const entries = (await read(dir)) ?? [];
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const key = dir ? `${dir}/${e.name}` : e.name;
    if (!keep(key, e.folder)) continue;
    if (e.folder) yield* walk(read, key, keep);
    else yield { key, size: e.size };
  }
}

/** Every object under `prefix`, in key order, without temporaries; only folders on the way to `prefix` or under it are read. */
export async function* listFolderTree(read: ReadFolder, prefix: string): AsyncIterable<StoredObject> {
  const keep = (key: string, folder: boolean) => (folder ? prefix.startsWith(`${key}/`) || key.startsWith(prefix) : key.startsWith(prefix));
  for await (const o of walk(read, '', keep)) if (!o.key.endsWith(TEMP_SUFFIX)) yield o;
}

/** The keys of the temporary files anywhere in the tree. */
export async function* folderTreeTemporaries(read: ReadFolder): AsyncIterable<string> {
  for await (const o of walk(read, '', () => true)) if (o.key.endsWith(TEMP_SUFFIX)) yield o.key;
}

/**
 * Makes the folders on the way to `key` that `made` does not list yet, one `mkdir` each (remembered in `made`). A
 * refused `mkdir` is fine when `isFolder` then finds the folder there (servers answer "already exists" with a generic
 * failure); otherwise it is an error naming the folder and `where`.
 */
export async function makeParentFolders(key: string, made: Set<string>, mkdir: (dir: string) => Promise<unknown>, isFolder: (dir: string) => Promise<boolean>, where: string): Promise<void> {
  const parts = key.split('/').slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    if (made.has(dir)) continue;
    await mkdir(dir).catch(async (err) => {
      if (!(await isFolder(dir).catch(() => false))) throw new Error(`making the folder ${dir} on ${where}: ${(err as Error).message}`);
    });
    made.add(dir);
  }
}

/**
 * Test connection of a folder store: the vault's folder must be there (`isFolder` answers null when it is not)
 * and be a folder, and take a write (an object written and deleted again).
 */
export async function probeFolder(store: Pick<ObjectStore, 'description' | 'put' | 'delete'>, isFolder: () => Promise<boolean | null>): Promise<void> {
  const folder = await isFolder();
  if (folder === null) throw new Error(`${store.description} does not exist`);
  if (!folder) throw new Error(`${store.description} is not a folder`);
  const key = `.halley-ping-${process.pid}`;
  await store.put(key, Buffer.from('ok'));
  await store.delete(key);
}
