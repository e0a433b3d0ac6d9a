// A WebDAV folder as a vault's object store (DESTINATIONTYPE_WEBDAV: DestinationLocation.WebDav with
// DavServer, the server's URL with http/https and any port; UserName and AccessKey, sent as HTTP Basic
// credentials; Path, the folder on that server). Objects are files under the folder, keys their relative
// paths. A write goes to a temporary file first and is MOVEd over the object when complete, so an
// interrupted upload never leaves a truncated object that a later backup would take for a stored chunk.
// Collections are made with MKCOL as needed (remembered once made). Listing walks the folder with
// PROPFIND Depth 1 (Depth infinity is often disabled).
import { folderTreeTemporaries, listFolderTree, probeFolder, temporaryFor, type FolderEntry, type ReadFolder } from './folder-tree';
import { objectOrNull } from './http-object';
import type { ObjectStore } from './vault-stores';

type Json = Record<string, any>;
type StoredObject = { key: string; size: number };


/** The <response> elements of a PROPFIND answer: decoded href, whether a collection, and the length. */
function parseMultistatus(xml: string): Array<{ href: string; collection: boolean; size: number }> {
  const out: Array<{ href: string; collection: boolean; size: number }> = [];
  for (const m of xml.matchAll(/<(?:[\w-]+:)?response\b[^>]*>([\s\S]*?)<\/(?:[\w-]+:)?response>/g)) {
    const body = m[1]!;
    const href = /<(?:[\w-]+:)?href\b[^>]*>([\s\S]*?)<\/(?:[\w-]+:)?href>/.exec(body)?.[1]?.trim();
    if (!href) continue;
    const length = /<(?:[\w-]+:)?getcontentlength\b[^>]*>\s*(\d+)\s*</.exec(body)?.[1];
    out.push({ href: decodeXml(href), collection: /<(?:[\w-]+:)?collection\b/.test(body), size: Number(length ?? 0) });
  }
  return out;
}

function decodeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

export class WebDavStore implements ObjectStore {
  private readonly root: URL;
  private readonly auth: string;
  private readonly made = new Set<string>();

  constructor(private readonly dav: Json) {
    const server = String(dav.DavServer ?? '').trim();
    let base: URL;
    try {
      base = new URL(server);
    } catch {
      throw new Error(`The WebDAV vault's DavServer "${server.slice(0, 200)}" is not a URL (http:// or https://, with any port)`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error(`The WebDAV vault's DavServer must start with http:// or https://, not ${base.protocol}`);
    const segments = [...base.pathname.split('/'), ...String(dav.Path ?? '').split('/')].filter((s) => s !== '');
    base.pathname = `/${segments.map((s) => encodeURIComponent(decodeURIComponent(s))).join('/')}${segments.length ? '/' : ''}`;
    base.search = '';
    base.hash = '';
    this.root = base;
    this.auth = `Basic ${Buffer.from(`${String(dav.UserName ?? '')}:${String(dav.AccessKey ?? '')}`).toString('base64')}`;
  }

  get description() {
    return `WebDAV folder ${this.root.pathname} on ${this.root.origin}`;
  }

  private url(key: string, collection = false): string {
    const rel = key.split('/').filter((s) => s !== '').map(encodeURIComponent).join('/');
    return new URL(`${rel}${collection && rel ? '/' : ''}`, this.root).toString();
  }

  private async call(method: string, url: string, init: { body?: Buffer; headers?: Record<string, string> } = {}): Promise<Response> {
    const res = await fetch(url, {
      method,
      headers: { authorization: this.auth, ...init.headers },
      body: init.body ? new Uint8Array(init.body) : undefined,
      redirect: 'manual',
    });
    if (res.status === 401 || res.status === 403) {
      await res.arrayBuffer().catch(() => undefined);
      throw new Error(`${this.description} refused the user name or password (HTTP ${res.status})`);
    }
    return res;
  }

  private async failed(res: Response, what: string): Promise<never> {
    const text = (await res.text().catch(() => '')).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
    throw new Error(`${what} on ${this.description}: HTTP ${res.status}${text ? ` ${text}` : ''}`);
  }

  /** Makes the collections above `key` (from the folder down), each once. */
  private async ensureParents(key: string): Promise<void> {
    const parts = key.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (this.made.has(dir)) continue;
      const res = await this.call('MKCOL', this.url(dir, true));
      await res.arrayBuffer().catch(() => undefined);
      // 201 made; 405 (RFC 4918) or 301/409 from some servers when it exists already.
      if (!res.ok && res.status !== 405 && res.status !== 301) return this.failed(res, `making the folder ${dir}`);
      this.made.add(dir);
    }
  }

  async get(key: string) {
    return objectOrNull(await this.call('GET', this.url(key)), (res) => this.failed(res, `reading ${key}`));
  }

  async put(key: string, data: Buffer) {
    await this.ensureParents(key);
    const temp = temporaryFor(key);
    let res = await this.call('PUT', this.url(temp), { body: data, headers: { 'content-type': 'application/octet-stream' } });
    if (res.status === 404 || res.status === 409) {
      // The folder went away since it was made (a cleared vault): make it again.
      await res.arrayBuffer().catch(() => undefined);
      this.made.clear();
      await this.ensureParents(key);
      res = await this.call('PUT', this.url(temp), { body: data, headers: { 'content-type': 'application/octet-stream' } });
    }
    if (!res.ok) return this.failed(res, `writing ${key}`);
    await res.arrayBuffer().catch(() => undefined);
    const moved = await this.call('MOVE', this.url(temp), { headers: { destination: this.url(key), overwrite: 'T' } });
    if (!moved.ok) {
      await this.delete(temp).catch(() => undefined);
      return this.failed(moved, `writing ${key}`);
    }
    await moved.arrayBuffer().catch(() => undefined);
  }

  async has(key: string) {
    const res = await this.call('HEAD', this.url(key));
    await res.arrayBuffer().catch(() => undefined);
    if (res.status === 404) return false;
    if (!res.ok) return this.failed(res, `checking ${key}`);
    return true;
  }

  async delete(key: string) {
    const res = await this.call('DELETE', this.url(key));
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok && res.status !== 404) return this.failed(res, `deleting ${key}`);
  }

  /** The entries of one collection (`dir` '' for the folder itself): files and sub-collections, or null when it is not there. */
  private readFolder: ReadFolder = async (dir) => {
    const res = await this.call('PROPFIND', this.url(dir, true), {
      headers: { depth: '1', 'content-type': 'application/xml; charset=utf-8' },
      body: Buffer.from('<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop><resourcetype/><getcontentlength/></prop></propfind>'),
    });
    if (res.status === 404) {
      await res.arrayBuffer().catch(() => undefined);
      return null;
    }
    if (res.status !== 207 && !res.ok) return this.failed(res, `listing ${dir || 'the folder'}`);
    const own = new URL(this.url(dir, true)).pathname;
    const out: FolderEntry[] = [];
    for (const r of parseMultistatus(await res.text())) {
      const p = new URL(r.href, this.root).pathname;
      if (!p.startsWith(own)) continue;
      const name = decodeURIComponent(p.slice(own.length).replace(/\/+$/, ''));
      if (name === '' || name.includes('/')) continue; // the collection itself
      out.push({ name, folder: r.collection, size: r.size });
    }
    return out;
  };

  list(prefix: string): AsyncIterable<StoredObject> {
    return listFolderTree(this.readFolder, prefix);
  }

  temporaries(): AsyncIterable<string> {
    return folderTreeTemporaries(this.readFolder);
  }

  async probe() {
    await probeFolder(this, async () => {
      const res = await this.call('PROPFIND', this.url('', true), { headers: { depth: '0' } });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status === 404) return null;
      if (res.status !== 207 && !res.ok) return this.failed(res, 'opening the folder');
      return true;
    });
  }
}
