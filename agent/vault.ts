// A local-path storage vault (Comet DESTINATIONTYPE_LOCALCOPY, `LocalcopyPath`): chunks addressed by a
// keyed hash of their content (so identical data is stored once and names reveal nothing), each
// encrypted with AES-256-GCM under the vault key; snapshots are encrypted JSON indexes of files -> chunks.
// The vault key is random, wrapped with a key derived (scrypt) from the account password and kept in
// the vault's `halley-vault.json`, so any device of the account can restore with the password.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID, scryptSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const CONFIG = 'halley-vault.json';
const KDF = { N: 2 ** 15, r: 8, p: 1 };

export type SnapshotFile = { path: string; size: number; mode: number; mtime: number; chunks: string[] };
export type Snapshot = { id: string; jobId: string; sourceGuid: string; time: number; roots: string[]; dirs: string[]; files: SnapshotFile[] };

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

function dirSize(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += dirSize(p);
    else if (entry.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

export class LocalVault {
  private constructor(
    readonly root: string,
    private readonly encKey: Buffer,
    private readonly idKey: Buffer,
  ) {}

  /** Opens the vault at `root`, creating it (and its key) on first use. */
  static openOrCreate(root: string, password: string): LocalVault {
    fs.mkdirSync(path.join(root, 'chunks'), { recursive: true });
    fs.mkdirSync(path.join(root, 'snapshots'), { recursive: true });
    const configPath = path.join(root, CONFIG);
    if (!fs.existsSync(configPath)) {
      const master = randomBytes(64);
      const salt = randomBytes(16);
      const wrap = scryptSync(password, salt, 32, { ...KDF, maxmem: 256 * 1024 * 1024 });
      const config = { version: 1, kdf: { ...KDF, salt: salt.toString('base64') }, key: seal(wrap, master).toString('base64') };
      fs.writeFileSync(configPath, JSON.stringify(config, null, 2), { flag: 'wx' });
    }
    const config = JSON.parse(fs.readFileSync(configPath, 'utf8')) as { kdf: { N: number; r: number; p: number; salt: string }; key: string };
    const wrap = scryptSync(password, Buffer.from(config.kdf.salt, 'base64'), 32, { N: config.kdf.N, r: config.kdf.r, p: config.kdf.p, maxmem: 256 * 1024 * 1024 });
    let master: Buffer;
    try {
      master = open(wrap, Buffer.from(config.key, 'base64'));
    } catch {
      throw new Error('the vault key could not be unlocked with this password');
    }
    return new LocalVault(root, master.subarray(0, 32), master.subarray(32, 64));
  }

  chunkId(data: Buffer): string {
    return createHmac('sha256', this.idKey).update(data).digest('hex');
  }

  private chunkPath(id: string): string {
    return path.join(this.root, 'chunks', id.slice(0, 2), id);
  }

  /** Stores a chunk unless the vault has it; returns the bytes written (0 when deduplicated). */
  putChunk(id: string, data: Buffer): number {
    const file = this.chunkPath(id);
    if (fs.existsSync(file)) return 0;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const sealed = seal(this.encKey, data);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, sealed);
    fs.renameSync(tmp, file);
    return sealed.length;
  }

  getChunk(id: string): Buffer {
    return open(this.encKey, fs.readFileSync(this.chunkPath(id)));
  }

  writeSnapshot(s: Omit<Snapshot, 'id'>): Snapshot {
    const snapshot = { ...s, id: `${s.time}-${randomUUID().slice(0, 8)}` };
    fs.writeFileSync(path.join(this.root, 'snapshots', snapshot.id), seal(this.encKey, Buffer.from(JSON.stringify(snapshot))));
    return snapshot;
  }

  listSnapshots(sourceGuid?: string): Snapshot[] {
    const out: Snapshot[] = [];
    for (const name of fs.readdirSync(path.join(this.root, 'snapshots'))) {
      const s = JSON.parse(open(this.encKey, fs.readFileSync(path.join(this.root, 'snapshots', name))).toString('utf8')) as Snapshot;
      if (!sourceGuid || s.sourceGuid === sourceGuid) out.push(s);
    }
    return out.sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
  }

  deleteSnapshot(id: string): void {
    fs.rmSync(path.join(this.root, 'snapshots', id), { force: true });
  }

  /** Removes chunks no snapshot refers to; returns how many. */
  collectGarbage(): number {
    const used = new Set<string>();
    for (const s of this.listSnapshots()) for (const f of s.files) for (const c of f.chunks) used.add(c);
    let removed = 0;
    const base = path.join(this.root, 'chunks');
    for (const sub of fs.readdirSync(base)) {
      for (const name of fs.readdirSync(path.join(base, sub))) {
        if (!used.has(name) && !name.endsWith('.tmp')) {
          fs.rmSync(path.join(base, sub, name));
          removed += 1;
        }
      }
    }
    return removed;
  }

  /** Bytes the vault occupies on disk (Comet's DestinationSize). */
  size(): number {
    return dirSize(this.root);
  }
}
