// An SFTP folder as a vault's object store (DESTINATIONTYPE_SFTP: SFTPServer "host[:port]", SFTPUsername,
// SFTPRemotePath, SFTPAuthMode 1 password (SFTPPassword) or 2 private key (SFTPPrivateKey, PEM or OpenSSH), 0
// "native": the device's own SSH agent (SSH_AUTH_SOCK) or key (~/.ssh/id_ed25519, id_ecdsa, id_rsa)). With
// SFTPCustomAuth_UseKnownHostsFile the server's host key must be in SFTPCustomAuth_KnownHostsFile (OpenSSH
// known_hosts lines, plain host names). One SSH connection per store, opened on first use and again after it
// drops. A write goes to a temporary file and is renamed over the object when complete, so an interrupted
// upload never leaves a truncated object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import { folderTreeTemporaries, listFolderTree, makeParentFolders, probeFolder, temporaryFor, type ReadFolder } from './folder-tree';
import type { ObjectStore } from './vault-stores';

type Json = Record<string, any>;
type StoredObject = { key: string; size: number };

const NO_SUCH_FILE = 2;
const CONNECT_TIMEOUT_MS = 20_000;
/** An idle connection is ended after this long (a store lives as long as a job or a Test connection). */
const IDLE_MS = 15_000;

/** The host keys (base64 of the key blob) a known_hosts file lists for `host`:`port`. */
function knownKeys(file: string, host: string, port: number): Set<string> {
  const names = new Set([host, `[${host}]:${port}`]);
  const keys = new Set<string>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 3 || parts[0]!.startsWith('#') || parts[0]!.startsWith('|')) continue;
    if (parts[0]!.split(',').some((n) => names.has(n))) keys.add(parts[2]!);
  }
  return keys;
}

function statusCode(err: unknown): number | undefined {
  return (err as { code?: number }).code;
}

export class SftpStore implements ObjectStore {
  private readonly host: string;
  private readonly port: number;
  private readonly root: string;
  private connection: Promise<{ client: Client; sftp: SFTPWrapper }> | null = null;
  private readonly made = new Set<string>();
  private idle: NodeJS.Timeout | null = null;

  constructor(private readonly l: Json) {
    const server = String(l.SFTPServer ?? '').trim();
    const m = /^\[?([^\]]+?)\]?(?::(\d{1,5}))?$/.exec(server);
    if (!m) throw new Error(`The SFTP vault's SFTPServer "${server.slice(0, 200)}" is not host or host:port`);
    this.host = m[1]!;
    this.port = m[2] ? Number(m[2]) : 22;
    this.root = String(l.SFTPRemotePath ?? '').replace(/\/+$/, '') || '.';
  }

  get description() {
    return `SFTP folder ${this.root} on ${this.host}:${this.port}`;
  }

  private auth(): Partial<ConnectConfig> {
    const mode = Number(this.l.SFTPAuthMode ?? 0);
    if (mode === 1) return { password: String(this.l.SFTPPassword ?? '') };
    if (mode === 2) return { privateKey: String(this.l.SFTPPrivateKey ?? '') };
    if (process.env.SSH_AUTH_SOCK) return { agent: process.env.SSH_AUTH_SOCK };
    for (const name of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
      const file = path.join(os.homedir(), '.ssh', name);
      if (fs.existsSync(file)) return { privateKey: fs.readFileSync(file) };
    }
    throw new Error(`${this.description}: SFTPAuthMode 0 uses this device's SSH agent or key (~/.ssh/id_ed25519, id_ecdsa, id_rsa), and it has neither`);
  }

  private hostVerifier(): ConnectConfig['hostVerifier'] {
    if (this.l.SFTPCustomAuth_UseKnownHostsFile !== true) return undefined;
    const file = String(this.l.SFTPCustomAuth_KnownHostsFile ?? '');
    const keys = knownKeys(file, this.host, this.port);
    return (key: Buffer) => keys.has(key.toString('base64'));
  }

  private open(): Promise<{ client: Client; sftp: SFTPWrapper }> {
    if (this.connection) return this.connection;
    const attempt = new Promise<{ client: Client; sftp: SFTPWrapper }>((resolve, reject) => {
      const client = new Client();
      const fail = (err: Error & { level?: string }) => {
        this.connection = null;
        client.end();
        const why = err.level === 'client-authentication' ? 'refused the user name, password or key' : err.message.includes('verification failed') ? 'has a host key that is not in the known hosts file' : err.message;
        reject(new Error(`${this.description} ${why}`));
      };
      client.once('error', fail);
      client.once('ready', () => {
        client.sftp((err, sftp) => {
          if (err) return fail(err);
          client.off('error', fail);
          client.on('error', () => undefined);
          client.once('close', () => {
            this.connection = null;
          });
          resolve({ client, sftp });
        });
      });
      try {
        client.connect({ host: this.host, port: this.port, username: String(this.l.SFTPUsername ?? ''), readyTimeout: CONNECT_TIMEOUT_MS, hostVerifier: this.hostVerifier(), ...this.auth() });
      } catch (err) {
        fail(err as Error);
      }
    });
    this.connection = attempt;
    attempt.catch(() => undefined);
    return attempt;
  }

  /** Runs one SFTP call (the callback style of ssh2, as a promise). */
  private async call<T>(fn: (sftp: SFTPWrapper, cb: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
    const { sftp } = await this.open();
    if (this.idle) clearTimeout(this.idle);
    try {
      return await new Promise<T>((resolve, reject) => fn(sftp, (err, value) => (err ? reject(err) : resolve(value as T))));
    } finally {
      this.idle = setTimeout(() => this.close(), IDLE_MS);
      this.idle.unref();
    }
  }

  private file(key: string) {
    return path.posix.join(this.root, ...key.split('/'));
  }

  private ensureParents(key: string) {
    return makeParentFolders(
      key,
      this.made,
      (dir) => this.call<void>((s, cb) => s.mkdir(this.file(dir), (err) => cb(err))),
      async (dir) => (await this.call<{ isDirectory(): boolean }>((s, cb) => s.stat(this.file(dir), cb))).isDirectory(),
      this.description,
    );
  }

  async get(key: string) {
    try {
      return await this.call<Buffer>((s, cb) => s.readFile(this.file(key), cb));
    } catch (err) {
      if (statusCode(err) === NO_SUCH_FILE) return null;
      throw new Error(`reading ${key} on ${this.description}: ${(err as Error).message}`);
    }
  }

  async put(key: string, data: Buffer) {
    await this.ensureParents(key);
    const target = this.file(key);
    const temp = temporaryFor(target);
    try {
      await this.call<void>((s, cb) => s.writeFile(temp, data, (err) => cb(err)));
    } catch (err) {
      if (statusCode(err) !== NO_SUCH_FILE) throw new Error(`writing ${key} on ${this.description}: ${(err as Error).message}`);
      // The folder went away since it was made (a cleared vault): make it again.
      this.made.clear();
      await this.ensureParents(key);
      await this.call<void>((s, cb) => s.writeFile(temp, data, (e) => cb(e)));
    }
    // OpenSSH's posix-rename replaces the object; SFTP's own rename refuses an existing target.
    const { sftp } = await this.open();
    const posix = typeof sftp.ext_openssh_rename === 'function';
    try {
      if (posix) await this.call<void>((s, cb) => s.ext_openssh_rename(temp, target, (err) => cb(err)));
      else throw new Error('no posix-rename');
    } catch {
      try {
        await this.call<void>((s, cb) => s.rename(temp, target, (err) => cb(err)));
      } catch {
        await this.call<void>((s, cb) => s.unlink(target, (err) => cb(err))).catch(() => undefined);
        await this.call<void>((s, cb) => s.rename(temp, target, (err) => cb(err))).catch(async (err) => {
          await this.call<void>((s, cb) => s.unlink(temp, (e) => cb(e))).catch(() => undefined);
          throw new Error(`writing ${key} on ${this.description}: ${(err as Error).message}`);
        });
      }
    }
  }

  async has(key: string) {
    try {
      await this.call((s, cb) => s.stat(this.file(key), cb));
      return true;
    } catch (err) {
      if (statusCode(err) === NO_SUCH_FILE) return false;
      throw new Error(`checking ${key} on ${this.description}: ${(err as Error).message}`);
    }
  }

  async delete(key: string) {
    try {
      await this.call<void>((s, cb) => s.unlink(this.file(key), (err) => cb(err)));
    } catch (err) {
      if (statusCode(err) !== NO_SUCH_FILE) throw new Error(`deleting ${key} on ${this.description}: ${(err as Error).message}`);
    }
  }

  /** The entries of one folder of the vault (`dir` '' for the vault's own), or null when it is not there. */
  private readFolder: ReadFolder = async (dir) => {
    let entries: Array<{ filename: string; attrs: { size: number; isDirectory(): boolean } }>;
    try {
      entries = await this.call((s, cb) => s.readdir(dir ? this.file(dir) : this.root, cb as never));
    } catch (err) {
      if (statusCode(err) === NO_SUCH_FILE) return null;
      throw new Error(`listing ${dir || 'the folder'} on ${this.description}: ${(err as Error).message}`);
    }
    return entries.filter((e) => e.filename !== '.' && e.filename !== '..').map((e) => ({ name: e.filename, folder: e.attrs.isDirectory(), size: e.attrs.size }));
  };

  list(prefix: string): AsyncIterable<StoredObject> {
    return listFolderTree(this.readFolder, prefix);
  }

  temporaries(): AsyncIterable<string> {
    return folderTreeTemporaries(this.readFolder);
  }

  async probe() {
    await probeFolder(this, async () => {
      try {
        return (await this.call<{ isDirectory(): boolean }>((s, cb) => s.stat(this.root, cb))).isDirectory();
      } catch (err) {
        if (statusCode(err) === NO_SUCH_FILE) return null;
        throw err;
      }
    });
  }

  /** Ends the SSH connection (the store opens it again when used). */
  close() {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    void this.connection?.then(({ client }) => client.end()).catch(() => undefined);
    this.connection = null;
  }
}
