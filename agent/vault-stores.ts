// Where a vault's objects live, by Storage Vault type: a local folder (DESTINATIONTYPE_LOCALCOPY), a
// bucket on a Halley Storage Role (DESTINATIONTYPE_COMET: CometServer + CometBucket + CometBucketKey over
// the object API, /storage/v1/) or an S3-compatible bucket (DESTINATIONTYPE_S3, through
// @aws-sdk/client-s3). The vault (vault.ts) stores the same object keys in each.
import fs from 'node:fs';
import path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DESTINATIONTYPE } from '../lib/comet/constants';

type StoredObject = { key: string; size: number };

export interface ObjectStore {
  readonly description: string;
  get(key: string): Promise<Buffer | null>;
  put(key: string, data: Buffer): Promise<void>;
  has(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Every object under `prefix`, in key order. */
  list(prefix: string): AsyncIterable<StoredObject>;
  /** Checks that the location exists and accepts writes (Test connection). */
  probe(): Promise<void>;
  /** Keys of temporary objects interrupted writes left behind (stores that write through temporaries). */
  temporaries?(): AsyncIterable<string>;
}

type Json = Record<string, any>;

/** A folder on this device. The folder must exist already (a mistyped path must not silently become one). */
export class DirStore implements ObjectStore {
  constructor(readonly root: string) {}
  get description() {
    return this.root;
  }
  private file(key: string) {
    return path.join(this.root, ...key.split('/'));
  }
  async get(key: string) {
    try {
      return await fs.promises.readFile(this.file(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
  async put(key: string, data: Buffer) {
    const file = this.file(key);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, data);
    await fs.promises.rename(tmp, file);
  }
  async has(key: string) {
    return fs.existsSync(this.file(key));
  }
  async delete(key: string) {
    await fs.promises.rm(this.file(key), { force: true });
  }
  async *temporaries(): AsyncIterable<string> {
    const walk = async function* (dir: string, rel: string): AsyncIterable<string> {
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const key = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) yield* walk(path.join(dir, e.name), key);
        else if (e.isFile() && e.name.endsWith('.tmp')) yield key;
      }
    };
    yield* walk(this.root, '');
  }
  async *list(prefix: string): AsyncIterable<StoredObject> {
    const walk = async function* (dir: string, rel: string): AsyncIterable<StoredObject> {
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : 1));
      for (const e of entries) {
        const key = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) yield* walk(path.join(dir, e.name), key);
        else if (e.isFile() && !e.name.endsWith('.tmp') && key.startsWith(prefix)) yield { key, size: (await fs.promises.stat(path.join(dir, e.name))).size };
      }
    };
    yield* walk(this.root, '');
  }
  async probe() {
    // No recursive mkdir here: Node 20 loops forever on some paths (e.g. under /proc).
    if (!(await fs.promises.stat(this.root)).isDirectory()) throw new Error(`${this.root} is not a folder`);
    const probe = path.join(this.root, `.halley-ping-${process.pid}`);
    await fs.promises.writeFile(probe, 'ok');
    await fs.promises.rm(probe);
  }
}

/** A bucket on a Halley Storage Role, over its object API with the bucket key. */
class HalleyBucketStore implements ObjectStore {
  private readonly base: string;
  constructor(
    server: string,
    private readonly bucket: string,
    private readonly key: string,
  ) {
    this.base = `${server.replace(/\/+$/, '')}/storage/v1/${encodeURIComponent(bucket)}`;
  }
  get description() {
    return `bucket ${this.bucket} on ${this.base.slice(0, this.base.indexOf('/storage/v1/'))}`;
  }
  private async call(method: string, key: string, body?: Buffer, query = ''): Promise<Response> {
    const url = `${this.base}${key ? `/${key.split('/').map(encodeURIComponent).join('/')}` : ''}${query}`;
    const res = await fetch(url, { method, headers: { authorization: `Bearer ${this.key}` }, body: body ? new Uint8Array(body) : undefined, redirect: 'error' });
    if (res.status === 403 || res.status === 401) throw new Error(`${this.description} refused the bucket key`);
    return res;
  }
  private async failed(res: Response, what: string): Promise<never> {
    const text = await res.text().catch(() => '');
    let message = text.slice(0, 200);
    try {
      message = JSON.parse(text).Message ?? message;
    } catch {
      // not JSON
    }
    throw new Error(`${what} on ${this.description}: HTTP ${res.status} ${message}`);
  }
  async get(key: string) {
    const res = await this.call('GET', key);
    if (res.status === 404) return null;
    if (!res.ok) return this.failed(res, `reading ${key}`);
    return Buffer.from(await res.arrayBuffer());
  }
  async put(key: string, data: Buffer) {
    const res = await this.call('PUT', key, data);
    if (!res.ok) return this.failed(res, `writing ${key}`);
    await res.arrayBuffer();
  }
  async has(key: string) {
    const res = await this.call('HEAD', key);
    if (res.status === 404) return false;
    if (!res.ok) return this.failed(res, `checking ${key}`);
    return true;
  }
  async delete(key: string) {
    const res = await this.call('DELETE', key);
    if (!res.ok && res.status !== 404) return this.failed(res, `deleting ${key}`);
  }
  async *list(prefix: string): AsyncIterable<StoredObject> {
    let after = '';
    for (;;) {
      const res = await this.call('GET', '', undefined, `?prefix=${encodeURIComponent(prefix)}&after=${encodeURIComponent(after)}&limit=1000`);
      if (!res.ok) return this.failed(res, 'listing');
      const page = (await res.json()) as { Objects: Array<{ Key: string; Size: number }>; NextAfter: string };
      for (const o of page.Objects) yield { key: o.Key, size: o.Size };
      if (!page.NextAfter) return;
      after = page.NextAfter;
    }
  }
  async probe() {
    const res = await this.call('GET', '', undefined, '?limit=1');
    if (!res.ok) await this.failed(res, 'listing');
  }
}

/** An S3-compatible bucket (with an optional folder, S3Subdir). */
class S3Store implements ObjectStore {
  private readonly client: S3Client;
  private readonly prefix: string;
  constructor(private readonly l: Json) {
    const endpoint = `${l.S3UsesTLS ? 'https' : 'http'}://${String(l.S3Server)}`;
    this.client = new S3Client({
      endpoint,
      region: l.S3CustomRegion || 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: String(l.S3AccessKey ?? ''), secretAccessKey: String(l.S3SecretKey ?? '') },
      maxAttempts: 3,
    });
    const sub = String(l.S3Subdir ?? '').replace(/^\/+|\/+$/g, '');
    this.prefix = sub ? `${sub}/` : '';
  }
  get description() {
    return `s3://${this.l.S3BucketName}/${this.prefix} on ${this.l.S3Server}`;
  }
  private get bucket() {
    return String(this.l.S3BucketName);
  }
  private static missing(err: unknown) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
  }
  async get(key: string) {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      return Buffer.from(await r.Body!.transformToByteArray());
    } catch (err) {
      if (S3Store.missing(err)) return null;
      throw err;
    }
  }
  async put(key: string, data: Buffer) {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Body: data }));
  }
  async has(key: string) {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      return true;
    } catch (err) {
      if (S3Store.missing(err)) return false;
      throw err;
    }
  }
  async delete(key: string) {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
  }
  async *list(prefix: string): AsyncIterable<StoredObject> {
    let token: string | undefined;
    do {
      const r = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: token }));
      for (const o of r.Contents ?? []) if (o.Key) yield { key: o.Key.slice(this.prefix.length), size: o.Size ?? 0 };
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
  }
  async probe() {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    const key = `.halley-ping-${process.pid}`;
    await this.put(key, Buffer.from('ok'));
    await this.delete(key);
  }
}

/** The store of a Storage Vault (DestinationLocation), or an error naming what is missing. */
export function storeFor(l: Json): ObjectStore {
  const type = Number(l.DestinationType);
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_LOCALCOPY) {
    if (!l.LocalcopyPath) throw new Error('The local-path vault has no LocalcopyPath');
    return new DirStore(String(l.LocalcopyPath));
  }
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_COMET) {
    if (!l.CometServer || !l.CometBucket || !l.CometBucketKey) throw new Error('The Storage Role vault needs CometServer, CometBucket and CometBucketKey');
    return new HalleyBucketStore(String(l.CometServer), String(l.CometBucket), String(l.CometBucketKey));
  }
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_S3) {
    if (!l.S3Server || !l.S3BucketName) throw new Error('The S3-compatible vault needs S3Server and S3BucketName');
    return new S3Store(l);
  }
  throw new Error(
    `This agent backs up to local paths (${DESTINATIONTYPE.DESTINATIONTYPE_LOCALCOPY}), Halley Storage Role buckets (${DESTINATIONTYPE.DESTINATIONTYPE_COMET}) and S3-compatible buckets (${DESTINATIONTYPE.DESTINATIONTYPE_S3}); not DestinationType ${type}`,
  );
}
