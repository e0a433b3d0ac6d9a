// A storage vault of the reference agent, on any ObjectStore (vault-stores.ts: a local folder, a Halley
// Storage Role bucket, an S3-compatible bucket): chunks addressed by a keyed hash of their content (so
// identical data is stored once and names reveal nothing), each encrypted with AES-256-GCM under the vault
// key; snapshots are encrypted JSON indexes of files -> chunks. The vault key is random, wrapped with a
// key derived (scrypt) from the account password and kept in the vault's `halley-vault.json`, so any
// device of the account can restore with the password. Object keys: halley-vault.json, chunks/<2>/<id>,
// snapshots/<id>.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID, scrypt as scryptCb } from 'node:crypto';
import { promisify } from 'node:util';
import { DirStore, type ObjectStore } from './vault-stores';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
const CONFIG = 'halley-vault.json';
const KDF = { N: 2 ** 15, r: 8, p: 1 };

export type SnapshotFile = { path: string; size: number; mode: number; mtime: number; chunks: string[] };
export type Snapshot = { id: string; jobId: string; sourceGuid: string; time: number; roots: string[]; dirs: string[]; files: SnapshotFile[] };

/** A write would take the vault past its StorageLimitBytes. */
export class QuotaExceededError extends Error {}

function seal(key: Buffer, plain: Buffer): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
}

function open(key: Buffer, sealed: Buffer): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  d.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([d.update(sealed.subarray(28)), d.final()]);
}

const wrapKey = (password: string, kdf: { N: number; r: number; p: number }, salt: Buffer) =>
  scrypt(password, salt, 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * 1024 * 1024 });

export class Vault {
  /** Bytes the vault may still grow by (StorageLimitBytes minus the size at the start), when limited. */
  private budget: number | null = null;

  private constructor(
    readonly store: ObjectStore,
    private readonly encKey: Buffer,
    private readonly idKey: Buffer,
  ) {}

  /** Wraps this vault's key with `password` instead (update-login-password): the data stays as it is. */
  async rewrap(password: string): Promise<void> {
    const salt = randomBytes(16);
    const key = seal(await wrapKey(password, KDF, salt), Buffer.concat([this.encKey, this.idKey]));
    await this.store.put(CONFIG, Buffer.from(JSON.stringify({ version: 1, kdf: { ...KDF, salt: salt.toString('base64') }, key: key.toString('base64') }, null, 2)));
  }

  /** Reads a chunk back and checks it decrypts and still hashes to its ID (deep verify). */
  async verifyChunk(id: string): Promise<number> {
    const data = await this.getChunk(id);
    if (this.chunkId(data) !== id) throw new Error(`Chunk ${id} does not match its content`);
    return data.length;
  }

  async hasChunk(id: string): Promise<boolean> {
    return this.store.has(Vault.chunkKey(id));
  }

  /** Opens the vault in `store`, creating it (and its key) on first use. */
  static async openOrCreate(store: ObjectStore, password: string): Promise<Vault> {
    let raw = await store.get(CONFIG);
    if (!raw) {
      const master = randomBytes(64);
      const salt = randomBytes(16);
      const config = { version: 1, kdf: { ...KDF, salt: salt.toString('base64') }, key: seal(await wrapKey(password, KDF, salt), master).toString('base64') };
      raw = Buffer.from(JSON.stringify(config, null, 2));
      await store.put(CONFIG, raw);
    }
    const config = JSON.parse(raw.toString('utf8')) as { kdf: { N: number; r: number; p: number; salt: string }; key: string };
    const wrap = await wrapKey(password, config.kdf, Buffer.from(config.kdf.salt, 'base64'));
    let master: Buffer;
    try {
      master = open(wrap, Buffer.from(config.key, 'base64'));
    } catch {
      throw new Error('the vault key could not be unlocked with this password');
    }
    return new Vault(store, master.subarray(0, 32), master.subarray(32, 64));
  }

  /** A vault in a local folder (DESTINATIONTYPE_LOCALCOPY). */
  static openLocal(root: string, password: string): Promise<Vault> {
    return Vault.openOrCreate(new DirStore(root), password);
  }

  /** Limits what the following writes may add (StorageLimitBytes - current size); null: unlimited. */
  limitGrowth(bytes: number | null): void {
    this.budget = bytes;
  }

  chunkId(data: Buffer): string {
    return createHmac('sha256', this.idKey).update(data).digest('hex');
  }

  private static chunkKey(id: string): string {
    return `chunks/${id.slice(0, 2)}/${id}`;
  }

  private async write(key: string, sealed: Buffer): Promise<void> {
    if (this.budget !== null) {
      if (sealed.length > this.budget) throw new QuotaExceededError('The storage vault is over its storage limit (StorageLimitBytes)');
      this.budget -= sealed.length;
    }
    await this.store.put(key, sealed);
  }

  /** Stores a chunk unless the vault has it; returns the bytes written (0 when deduplicated). */
  async putChunk(id: string, data: Buffer): Promise<number> {
    const key = Vault.chunkKey(id);
    if (await this.store.has(key)) return 0;
    const sealed = seal(this.encKey, data);
    await this.write(key, sealed);
    return sealed.length;
  }

  async getChunk(id: string): Promise<Buffer> {
    const sealed = await this.store.get(Vault.chunkKey(id));
    if (!sealed) throw new Error(`Chunk ${id} is missing from the vault`);
    return open(this.encKey, sealed);
  }

  async writeSnapshot(s: Omit<Snapshot, 'id'>): Promise<Snapshot> {
    const snapshot = { ...s, id: `${s.time}-${randomUUID().slice(0, 8)}` };
    await this.write(`snapshots/${snapshot.id}`, seal(this.encKey, Buffer.from(JSON.stringify(snapshot))));
    return snapshot;
  }

  async listSnapshots(sourceGuid?: string): Promise<Snapshot[]> {
    const out: Snapshot[] = [];
    for await (const o of this.store.list('snapshots/')) {
      const sealed = await this.store.get(o.key);
      if (!sealed) continue;
      const s = JSON.parse(open(this.encKey, sealed).toString('utf8')) as Snapshot;
      if (!sourceGuid || s.sourceGuid === sourceGuid) out.push(s);
    }
    return out.sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
  }

  async deleteSnapshot(id: string): Promise<void> {
    await this.store.delete(`snapshots/${id}`);
  }

  /** Removes chunks no snapshot refers to; returns how many. */
  async collectGarbage(): Promise<number> {
    const used = new Set<string>();
    for (const s of await this.listSnapshots()) for (const f of s.files) for (const c of f.chunks) used.add(c);
    const unused: string[] = [];
    for await (const o of this.store.list('chunks/')) if (!used.has(o.key.slice(o.key.lastIndexOf('/') + 1))) unused.push(o.key);
    for (const key of unused) await this.store.delete(key);
    return unused.length;
  }

  /** Bytes the vault occupies (Comet's DestinationSize). */
  async size(): Promise<number> {
    let total = 0;
    for await (const o of this.store.list('')) total += o.size;
    return total;
  }
}
