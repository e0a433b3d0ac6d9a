// An FTP folder as a vault's object store (DESTINATIONTYPE_FTP: FTPServer host, FTPPort (0: 21, or 990 for
// implicit TLS), FTPUsername, FTPPassword, FTPBaseUseHomeDirectory (the login folder) or FTPCustomBaseDirectory
// (absolute, or relative to the login folder), FTPSMode 0 plain, 1 implicit TLS, 2 explicit TLS (AUTH TLS), and
// FTPAcceptInvalidSSL to accept a certificate this device does not trust). One control connection per store
// (FTP runs one command at a time, so calls queue on it), opened on first use and again after it drops; it is
// closed after a while idle. A write goes to a temporary file renamed over the object when complete, so an
// interrupted upload never leaves a truncated object.
import { isIP } from 'node:net';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { Client, FTPError } from 'basic-ftp';
import { FtpsModeType } from '../lib/comet/constants';
import { folderTreeTemporaries, listFolderTree, makeParentFolders, probeFolder, temporaryFor, type ReadFolder } from './folder-tree';
import type { ObjectStore } from './vault-stores';

type Json = Record<string, any>;
type StoredObject = { key: string; size: number };

const TIMEOUT_MS = 30_000;
/** An idle connection is ended after this long (a store lives as long as a job or a Test connection). */
const IDLE_MS = 15_000;
/** FTP's "file unavailable" answers: not found (or not allowed) for RETR, SIZE, DELE, CWD and MKD. */
const UNAVAILABLE = new Set([550, 553]);

function replyCode(err: unknown): number | undefined {
  return err instanceof FTPError ? err.code : undefined;
}

export class FtpStore implements ObjectStore {
  private readonly host: string;
  private readonly port: number;
  private readonly secure: boolean | 'implicit';
  private client: Client | null = null;
  /** The absolute base folder, known once connected. */
  private root = '';
  private queue: Promise<unknown> = Promise.resolve();
  private readonly made = new Set<string>();
  private idle: NodeJS.Timeout | null = null;

  constructor(private readonly l: Json) {
    this.host = String(l.FTPServer ?? '').trim();
    const mode = Number(l.FTPSMode ?? FtpsModeType.FTPS_MODE_PLAINTEXT);
    this.secure = mode === FtpsModeType.FTPS_MODE_IMPLICIT ? 'implicit' : mode === FtpsModeType.FTPS_MODE_EXPLICIT;
    const port = Number(l.FTPPort ?? 0);
    this.port = port > 0 ? port : this.secure === 'implicit' ? 990 : 21;
  }

  get description() {
    const folder = this.l.FTPBaseUseHomeDirectory === true || !this.l.FTPCustomBaseDirectory ? 'the login folder' : `folder ${String(this.l.FTPCustomBaseDirectory)}`;
    return `FTP ${folder} on ${this.host}:${this.port}`;
  }

  private async connect(): Promise<Client> {
    const client = new Client(TIMEOUT_MS);
    try {
      await client.access({
        host: this.host,
        port: this.port,
        user: String(this.l.FTPUsername ?? '') || 'anonymous',
        password: String(this.l.FTPPassword ?? ''),
        secure: this.secure,
        secureOptions: { rejectUnauthorized: this.l.FTPAcceptInvalidSSL !== true, servername: isIP(this.host) ? undefined : this.host },
      });
    } catch (err) {
      client.close();
      const code = replyCode(err);
      if (code === 530) throw new Error(`${this.description} refused the user name or password`);
      const message = (err as Error).message;
      if (/certificate|self.signed|unable to verify/i.test(message)) throw new Error(`${this.description} has a TLS certificate this device does not trust (${message})`);
      if (/wrong version number|packet length too long/i.test(message)) throw new Error(`${this.description} does not answer TLS on this port (check the encryption setting, FTPSMode, and FTPPort)`);
      throw new Error(`${this.description}: ${message}`);
    }
    const home = await client.pwd();
    const custom = this.l.FTPBaseUseHomeDirectory === true ? '' : String(this.l.FTPCustomBaseDirectory ?? '').trim();
    this.root = path.posix.resolve(home, custom || '.');
    return client;
  }

  /** Runs `fn` on the connection, after the calls queued before it; connects (again) when needed. */
  private call<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    const run = async () => {
      if (this.idle) clearTimeout(this.idle);
      try {
        if (!this.client || this.client.closed) this.client = await this.connect();
        return await fn(this.client);
      } catch (err) {
        // A dropped connection (no FTP reply code) is opened again by the next call.
        if (replyCode(err) === undefined) {
          this.client?.close();
          this.client = null;
        }
        throw err;
      } finally {
        this.idle = setTimeout(() => this.close(), IDLE_MS);
        this.idle.unref();
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private file(key: string) {
    return path.posix.join(this.root, ...key.split('/'));
  }

  private ensureParents(key: string) {
    return makeParentFolders(
      key,
      this.made,
      (dir) => this.call((c) => c.send(`MKD ${this.file(dir)}`)),
      (dir) => this.call((c) => c.cd(this.file(dir))).then(() => true),
      this.description,
    );
  }

  async get(key: string) {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    try {
      await this.call((c) => c.downloadTo(sink, this.file(key)));
      return Buffer.concat(chunks);
    } catch (err) {
      // Servers answer a missing file with 550 or another 5xx (ftp-srv: 551): ask whether it is there.
      const code = replyCode(err) ?? 0;
      if (UNAVAILABLE.has(code) || (code >= 500 && !(await this.has(key)))) return null;
      throw new Error(`reading ${key} on ${this.description}: ${(err as Error).message}`);
    }
  }

  async put(key: string, data: Buffer) {
    await this.ensureParents(key);
    // Paths are made inside each call: the base folder is only known once connected.
    const temp = temporaryFor(key);
    const upload = () => this.call((c) => c.uploadFrom(Readable.from([data]), this.file(temp)));
    try {
      await upload();
    } catch (err) {
      if (!UNAVAILABLE.has(replyCode(err) ?? 0)) throw new Error(`writing ${key} on ${this.description}: ${(err as Error).message}`);
      // The folder went away since it was made (a cleared vault): make it again.
      this.made.clear();
      await this.ensureParents(key);
      await upload();
    }
    try {
      await this.call((c) => c.rename(this.file(temp), this.file(key)));
    } catch {
      // Servers that refuse to rename over an existing file: remove it, then rename.
      await this.call((c) => c.remove(this.file(key), true)).catch(() => undefined);
      await this.call((c) => c.rename(this.file(temp), this.file(key))).catch(async (err) => {
        await this.call((c) => c.remove(this.file(temp), true)).catch(() => undefined);
        throw new Error(`writing ${key} on ${this.description}: ${(err as Error).message}`);
      });
    }
  }

  async has(key: string) {
    try {
      await this.call((c) => c.size(this.file(key)));
      return true;
    } catch (err) {
      if (UNAVAILABLE.has(replyCode(err) ?? 0)) return false;
      throw new Error(`checking ${key} on ${this.description}: ${(err as Error).message}`);
    }
  }

  async delete(key: string) {
    try {
      await this.call((c) => c.remove(this.file(key)));
    } catch (err) {
      if (!UNAVAILABLE.has(replyCode(err) ?? 0)) throw new Error(`deleting ${key} on ${this.description}: ${(err as Error).message}`);
    }
  }

  /** One folder of the vault (its key; '' the vault's own), or null when it is not there. */
  private readonly readFolder: ReadFolder = async (dir) => {
    try {
      const entries = await this.call((c) => c.list(dir ? this.file(dir) : this.root));
      return entries.filter((e) => e.name !== '.' && e.name !== '..' && (e.isDirectory || e.isFile)).map((e) => ({ name: e.name, folder: e.isDirectory, size: e.size }));
    } catch (err) {
      if (UNAVAILABLE.has(replyCode(err) ?? 0)) return null;
      throw new Error(`listing ${dir || 'the folder'} on ${this.description}: ${(err as Error).message}`);
    }
  };

  list(prefix: string): AsyncIterable<StoredObject> {
    return listFolderTree(this.readFolder, prefix);
  }

  temporaries(): AsyncIterable<string> {
    return folderTreeTemporaries(this.readFolder);
  }

  async probe() {
    await probeFolder(this, () =>
      this.call((c) => c.cd(this.root)).then(
        () => true,
        (err) => {
          if (UNAVAILABLE.has(replyCode(err) ?? 0)) return null;
          throw err;
        },
      ),
    );
  }

  /** Ends the control connection (the store opens it again when used). */
  close() {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    this.client?.close();
    this.client = null;
  }
}
