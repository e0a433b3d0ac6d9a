// Where a vault's objects live, by Storage Vault type: a local folder (DESTINATIONTYPE_LOCALCOPY), a
// bucket on a Halley Storage Role (DESTINATIONTYPE_COMET: CometServer + CometBucket + CometBucketKey over
// the object API, /storage/v1/), an S3-compatible bucket (DESTINATIONTYPE_S3, through
// @aws-sdk/client-s3), a Backblaze B2 bucket (DESTINATIONTYPE_B2, B2's native API with the vault's
// application key, as a "b2" Storage Template provisions it), an SFTP folder (DESTINATIONTYPE_SFTP,
// sftp-store.ts), a WebDAV folder (DESTINATIONTYPE_WEBDAV, webdav-store.ts), an FTP folder
// (DESTINATIONTYPE_FTP, plain or FTPS, ftp-store.ts), an Azure Blob Storage container
// (DESTINATIONTYPE_AZUREBLOB, azure-store.ts) or a folder on an SMB share (DESTINATIONTYPE_SMB, smb-store.ts).
// The vault (vault.ts) stores the same object keys in each.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DESTINATIONTYPE } from '../lib/comet/constants';
import { AzureBlobStore } from './azure-store';
import { FtpStore } from './ftp-store';
import { objectOrNull } from './http-object';
import { SftpStore } from './sftp-store';
import { SmbStore } from './smb-store';
import { WebDavStore } from './webdav-store';

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
    return objectOrNull(await this.call('GET', key), (res) => this.failed(res, `reading ${key}`));
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

/** B2's API entry point; HALLEY_AGENT_B2_API_URL points the agent elsewhere (a B2-compatible service, tests). */
function b2ApiUrl(): string {
  return (process.env.HALLEY_AGENT_B2_API_URL || 'https://api.backblazeb2.com').replace(/\/+$/, '');
}

type B2Session = { authorizationToken: string; apiUrl: string; downloadUrl: string; bucketId: string };

/**
 * A Backblaze B2 bucket (B2.Bucket, with an optional B2.Prefix) over B2's native API (b2api/v2) with the
 * vault's application key (B2.AccountID is its key ID, B2.Key the key): b2_authorize_account, uploads through
 * b2_get_upload_url (with the SHA-1 B2 checks), downloads by name, b2_list_file_names, and deletes of every
 * version of a name (b2_list_file_versions + b2_delete_file_version). An expired token is renewed once.
 */
class B2Store implements ObjectStore {
  private session?: Promise<B2Session>;
  private upload?: { url: string; token: string };
  private readonly prefix: string;
  constructor(private readonly b2: Json) {
    this.prefix = String(b2.Prefix ?? '');
  }
  get description() {
    return `b2://${this.b2.Bucket}/${this.prefix}`;
  }
  private static async failure(res: Response, what: string): Promise<Error> {
    const text = await res.text().catch(() => '');
    let detail = text.slice(0, 200);
    try {
      const j = JSON.parse(text) as { code?: string; message?: string };
      detail = `${j.code ?? ''}${j.message ? `: ${j.message}` : ''}` || detail;
    } catch {
      // not JSON
    }
    return new Error(`B2 ${what} failed (HTTP ${res.status}) ${detail}`.trim());
  }
  private authorize(): Promise<B2Session> {
    this.session ??= (async () => {
      const basic = Buffer.from(`${String(this.b2.AccountID ?? '')}:${String(this.b2.Key ?? '')}`).toString('base64');
      const res = await fetch(`${b2ApiUrl()}/b2api/v2/b2_authorize_account`, { headers: { authorization: `Basic ${basic}` }, redirect: 'error' });
      if (!res.ok) throw await B2Store.failure(res, 'sign-in with the vault key');
      const j = (await res.json()) as { accountId: string; authorizationToken: string; apiUrl: string; downloadUrl: string; allowed?: { bucketId?: string | null; bucketName?: string | null } };
      let bucketId = j.allowed?.bucketName === this.b2.Bucket ? (j.allowed?.bucketId ?? '') : '';
      const session = { authorizationToken: j.authorizationToken, apiUrl: j.apiUrl, downloadUrl: j.downloadUrl, bucketId };
      if (!bucketId) {
        const listed = await this.post(session, 'b2_list_buckets', { accountId: j.accountId, bucketName: String(this.b2.Bucket) });
        bucketId = String(((listed.buckets ?? []) as Json[]).find((b) => b.bucketName === this.b2.Bucket)?.bucketId ?? '');
        if (!bucketId) throw new Error(`B2 bucket ${String(this.b2.Bucket)} was not found with the vault key`);
      }
      return { ...session, bucketId };
    })();
    this.session.catch(() => (this.session = undefined));
    return this.session;
  }
  private async post(s: Pick<B2Session, 'apiUrl' | 'authorizationToken'>, name: string, body: Json): Promise<Json> {
    const res = await fetch(`${s.apiUrl}/b2api/v2/${name}`, { method: 'POST', headers: { authorization: s.authorizationToken, 'content-type': 'application/json' }, body: JSON.stringify(body), redirect: 'error' });
    if (!res.ok) throw Object.assign(await B2Store.failure(res, name), { status: res.status });
    return (await res.json()) as Json;
  }
  /** One API call with the session, renewing an expired token once. */
  private async call(name: string, body: (s: B2Session) => Json): Promise<Json> {
    for (let attempt = 0; ; attempt++) {
      const s = await this.authorize();
      try {
        return await this.post(s, name, body(s));
      } catch (err) {
        if ((err as { status?: number }).status !== 401 || attempt > 0) throw err;
        this.session = undefined;
        this.upload = undefined;
      }
    }
  }
  private fileUrl(s: B2Session, key: string): string {
    return `${s.downloadUrl}/file/${encodeURIComponent(String(this.b2.Bucket))}/${(this.prefix + key).split('/').map(encodeURIComponent).join('/')}`;
  }
  async get(key: string) {
    const s = await this.authorize();
    const res = await fetch(this.fileUrl(s, key), { headers: { authorization: s.authorizationToken }, redirect: 'error' });
    if (res.status === 404) return null;
    if (!res.ok) throw await B2Store.failure(res, `reading ${key}`);
    return Buffer.from(await res.arrayBuffer());
  }
  async put(key: string, data: Buffer) {
    for (let attempt = 0; ; attempt++) {
      if (!this.upload) {
        const u = await this.call('b2_get_upload_url', (s) => ({ bucketId: s.bucketId }));
        this.upload = { url: String(u.uploadUrl), token: String(u.authorizationToken) };
      }
      const res = await fetch(this.upload.url, {
        method: 'POST',
        headers: {
          authorization: this.upload.token,
          'x-bz-file-name': (this.prefix + key).split('/').map(encodeURIComponent).join('/'),
          'content-type': 'b2/x-auto',
          'x-bz-content-sha1': createHash('sha1').update(data).digest('hex'),
        },
        body: new Uint8Array(data),
        redirect: 'error',
      });
      if (res.ok) return void (await res.arrayBuffer());
      // An upload URL can expire or be busy: B2 says to get a new one and try again.
      this.upload = undefined;
      if (attempt >= 2 || (res.status !== 401 && res.status !== 408 && res.status < 500)) throw await B2Store.failure(res, `writing ${key}`);
      await res.arrayBuffer().catch(() => undefined);
    }
  }
  async has(key: string) {
    const s = await this.authorize();
    const res = await fetch(this.fileUrl(s, key), { method: 'HEAD', headers: { authorization: s.authorizationToken }, redirect: 'error' });
    if (res.status === 404) return false;
    if (!res.ok) throw new Error(`B2 checking ${key} failed (HTTP ${res.status})`);
    return true;
  }
  async delete(key: string) {
    const name = this.prefix + key;
    const listed = await this.call('b2_list_file_versions', (s) => ({ bucketId: s.bucketId, startFileName: name, prefix: name, maxFileCount: 100 }));
    for (const f of (listed.files ?? []) as Json[]) {
      if (f.fileName !== name) continue;
      await this.call('b2_delete_file_version', () => ({ fileName: name, fileId: f.fileId }));
    }
  }
  async *list(prefix: string): AsyncIterable<StoredObject> {
    let start: string | null = this.prefix + prefix;
    while (start !== null) {
      const from: string = start;
      const page = await this.call('b2_list_file_names', (s) => ({ bucketId: s.bucketId, prefix: this.prefix + prefix, startFileName: from, maxFileCount: 1000 }));
      for (const f of (page.files ?? []) as Json[]) if (f.action === 'upload' || f.action === undefined) yield { key: String(f.fileName).slice(this.prefix.length), size: Number(f.contentLength ?? 0) };
      start = typeof page.nextFileName === 'string' && page.nextFileName ? page.nextFileName : null;
    }
  }
  async probe() {
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
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_B2) {
    const b2 = (l.B2 ?? {}) as Json;
    if (!b2.AccountID || !b2.Key || !b2.Bucket) throw new Error('The B2 vault needs B2.AccountID (the key ID), B2.Key and B2.Bucket');
    return new B2Store(b2);
  }
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_SFTP) {
    if (!l.SFTPServer) throw new Error('The SFTP vault needs SFTPServer (host or host:port), SFTPUsername and SFTPRemotePath');
    return new SftpStore(l);
  }
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_WEBDAV) {
    const dav = (l.WebDav ?? {}) as Json;
    if (!dav.DavServer) throw new Error('The WebDAV vault needs WebDav.DavServer (and UserName, AccessKey, Path as the server asks)');
    return new WebDavStore(dav);
  }
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_FTP) {
    if (!l.FTPServer) throw new Error('The FTP vault needs FTPServer (and FTPUsername, FTPPassword, FTPPort as the server asks)');
    return new FtpStore(l);
  }
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_AZUREBLOB) {
    const missing = ['AZBAccountName', 'AZBAccountKey', 'AZBContainer'].filter((k) => !String(l[k] ?? '').trim());
    if (missing.length) throw new Error(`The Azure Blob Storage vault needs AZBAccountName, AZBAccountKey and AZBContainer (missing: ${missing.join(', ')})`);
    return new AzureBlobStore(l);
  }
  if (type === DESTINATIONTYPE.DESTINATIONTYPE_SMB) {
    const smb = (l.SMB ?? {}) as Json;
    const missing = ['SMBServer', 'SMBShare'].filter((f) => !String(smb[f] ?? '').trim()).map((f) => `SMB.${f}`);
    if (missing.length) throw new Error(`The SMB vault needs ${missing.join(' and ')} (SMBServer is host or host:port, SMBShare the share's name; SMBDirectory, SMBUsername and SMBPassword as the server asks)`);
    return new SmbStore(smb);
  }
  throw new Error(
    `This agent backs up to local paths (${DESTINATIONTYPE.DESTINATIONTYPE_LOCALCOPY}), Halley Storage Role buckets (${DESTINATIONTYPE.DESTINATIONTYPE_COMET}), S3-compatible buckets (${DESTINATIONTYPE.DESTINATIONTYPE_S3}), B2 buckets (${DESTINATIONTYPE.DESTINATIONTYPE_B2}), SFTP folders (${DESTINATIONTYPE.DESTINATIONTYPE_SFTP}), WebDAV folders (${DESTINATIONTYPE.DESTINATIONTYPE_WEBDAV}), FTP folders (${DESTINATIONTYPE.DESTINATIONTYPE_FTP}), Azure Blob Storage containers (${DESTINATIONTYPE.DESTINATIONTYPE_AZUREBLOB}) and SMB shares (${DESTINATIONTYPE.DESTINATIONTYPE_SMB}); not DestinationType ${type}`,
  );
}
