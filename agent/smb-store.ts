// A folder on an SMB share as a vault's object store (DESTINATIONTYPE_SMB: DestinationLocation.SMB with
// SMBServer, "host" or "host:port" (port 445 unless given; "[v6-address]:port" for IPv6); SMBShare, the share's
// name; SMBDirectory, the folder inside the share ('' for its root, "/" or "\" between names); SMBUsername,
// "user" or "DOMAIN\user"; SMBPassword). Objects are files under the folder, keys their relative paths. The
// client is @tryjsky/v9u-smb2 (SMB 2.0.2/2.1 with NTLMv2, the Xen Orchestra client's line with a pure-JS MD4, which
// Node's OpenSSL 3 no longer has). One SMB connection per store, opened on first use and again after it drops
// or idles. A write goes to a temporary file and is renamed over the object when complete, so an interrupted
// upload never leaves a truncated object. The client neither signs nor encrypts: a server that requires SMB
// signing or encryption (recent Windows by default) refuses it.
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import SMB2 from '@tryjsky/v9u-smb2';
import { folderTreeTemporaries, listFolderTree, probeFolder, temporaryFor, type ReadFolder } from './folder-tree';
import type { ObjectStore } from './vault-stores';

type Json = Record<string, any>;
type StoredObject = { key: string; size: number };
type SmbError = Error & { code?: string };
/** A client and its calls still waiting for an answer (failed at once when its socket closes). */
type Connection = { client: SMB2; socket: Socket; waiting: Set<(err: Error) => void> };

const FILE_OPEN = 1;
/** FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE: a reader elsewhere does not stop the delete. */
const FILE_SHARE_ALL = 7;
const NOT_FOUND = new Set(['STATUS_OBJECT_NAME_NOT_FOUND', 'STATUS_OBJECT_PATH_NOT_FOUND', 'STATUS_NO_SUCH_FILE']);
/** One SMB call that has no answer after this long ends the connection (the client has no time-out of its own). */
const CALL_TIMEOUT_MS = 60_000;
/** Connecting (TCP, negotiate, authenticate, tree connect) that takes longer than this fails. */
const CONNECT_TIMEOUT_MS = 20_000;
/** An idle connection is ended after this long (a store lives as long as a job or a Test connection). */
const IDLE_MS = 15_000;

// Two corrections to the client, made once on its own (exactly pinned) modules, because it has no options for them:
// - an SMB2 server answers a slow request (a large write, say) first with an interim STATUS_PENDING response and
//   later with the real one under the same message id; the client took the interim one as the answer (an error)
//   and left the file open. Here an interim response is skipped and the request waits for the real one.
// - the client never sends the domain in its NTLM authenticate message; Windows needs it for a domain account
//   ("DOMAIN\user"), and NTLMv2 mixes it into the proof.
let request: ((message: string, params: Json, client: SMB2, cb: (err: SmbError | null, value?: Json) => void) => void) | null = null;
function patchClient() {
  if (request) return;
  const libRequire = createRequire(createRequire(import.meta.url).resolve('@tryjsky/v9u-smb2'));
  const STATUS_PENDING = 0x103;
  for (const name of ['close', 'create', 'create_folder', 'negotiate', 'open', 'open_folder', 'query_directory', 'read', 'session_setup_step1', 'session_setup_step2', 'set_info', 'tree_connect', 'write']) {
    const message = libRequire(`./messages/${name}`);
    const parse = message.parse;
    message.parse = function (connection: Json, cb: unknown, error: unknown) {
      const finish = parse.call(this, connection, cb, error);
      const handler = (response: Json) => {
        const headers = response.getHeaders();
        if ((headers.Status as Buffer).readUInt32LE(0) !== STATUS_PENDING) return finish(response);
        // The client forgets this id's callback right after this returns; the real answer may already be
        // waiting in its buffer (same data chunk), so look there first, then wait for it.
        const id = (headers.MessageId as Buffer).toString('hex');
        queueMicrotask(() => {
          const answer = connection.responses[id];
          if (answer) {
            delete connection.responses[id];
            handler(answer);
          } else connection.responsesCB[id] = handler;
        });
      };
      return handler;
    };
  }
  const ntlm = createRequire(libRequire.resolve('./messages/session_setup_step2'))('@tryjsky/ntlm2');
  const SMB2Message = libRequire('./tools/smb2-message');
  libRequire('./messages/session_setup_step2').generate = (connection: Json) =>
    new SMB2Message({
      headers: { Command: 'SESSION_SETUP', SessionId: connection.SessionId, ProcessId: connection.ProcessId },
      request: { Buffer: ntlm.encodeType3(connection.nonce, connection.username, connection.password, '', connection.domain ?? '') },
    });
  request = libRequire('./tools/smb2-forge').request;
}

/** A failure to connect: it names the server and share already, so callers pass it on as it is. */
class SmbConnectError extends Error {}

export class SmbStore implements ObjectStore {
  private readonly host: string;
  private readonly port: number;
  private readonly share: string;
  /** The folder inside the share, with backslashes ('' for the share's root). */
  private readonly root: string;
  private connection: Promise<Connection> | null = null;
  private readonly made = new Set<string>();
  private idle: NodeJS.Timeout | null = null;

  /** `l` is the vault's DestinationLocation.SMB. */
  constructor(private readonly l: Json) {
    const server = String(l.SMBServer ?? '').trim().replace(/^\\\\/, '');
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:\\/[\]]+))(?::(\d{1,5}))?$/.exec(server);
    if (!m || (m[3] && (Number(m[3]) < 1 || Number(m[3]) > 65535))) throw new Error(`The SMB vault's SMB.SMBServer "${server.slice(0, 200)}" is not host or host:port`);
    this.host = m[1] ?? m[2]!;
    this.port = m[3] ? Number(m[3]) : 445;
    this.share = String(l.SMBShare ?? '').trim().replace(/^[\\/]+|[\\/]+$/g, '');
    if (!this.share || /[\\/]/.test(this.share)) throw new Error(`The SMB vault's SMB.SMBShare "${this.share.slice(0, 200)}" is not a share name`);
    this.root = String(l.SMBDirectory ?? '').split(/[\\/]+/).filter((s) => s !== '' && s !== '.').join('\\');
  }

  get description() {
    const at = `\\\\${this.host.includes(':') ? `[${this.host}]` : this.host}${this.port === 445 ? '' : `:${this.port}`}\\${this.share}`;
    return this.root ? `SMB folder ${this.root} on ${at}` : `SMB share ${at}`;
  }

  private open(): Promise<Connection> {
    if (this.connection) return this.connection;
    patchClient();
    const user = String(this.l.SMBUsername ?? '');
    const slash = user.indexOf('\\');
    const client = new SMB2({
      share: `\\\\${this.host}\\${this.share}`,
      port: this.port,
      domain: slash >= 0 ? user.slice(0, slash) : '',
      username: slash >= 0 ? user.slice(slash + 1) : user,
      password: String(this.l.SMBPassword ?? ''),
      autoCloseTimeout: 0,
    });
    const connection: Connection = { client, socket: (client as unknown as { socket: Socket }).socket, waiting: new Set() };
    connection.socket.once('close', () => {
      if (this.connection === attempt) this.connection = null;
      for (const fail of [...connection.waiting]) fail(new Error('the connection closed'));
    });
    // The first call connects (negotiate, authenticate, tree connect); the client must not run two of those at once.
    const attempt = this.timed(connection, client.exists(''), 'connecting', CONNECT_TIMEOUT_MS).then(
      () => connection,
      (err: SmbError) => {
        if (this.connection === attempt) this.connection = null;
        connection.socket.destroy();
        throw new SmbConnectError(`${this.description} ${this.explain(err)}`);
      },
    );
    this.connection = attempt;
    attempt.catch(() => undefined);
    return attempt;
  }

  /** A connection-level failure in words: who refused what. */
  private explain(err: SmbError): string {
    if (err.code === 'STATUS_LOGON_FAILURE' || err.code === 'STATUS_ACCOUNT_DISABLED' || err.code === 'STATUS_PASSWORD_EXPIRED' || err.code === 'STATUS_ACCOUNT_RESTRICTION') return `refused the user name or password (${err.code})`;
    if (err.code === 'STATUS_BAD_NETWORK_NAME') return `does not exist: the server has no share named ${this.share}`;
    if (err.code === 'STATUS_ACCESS_DENIED') return 'denied this user access (STATUS_ACCESS_DENIED)';
    return `could not be reached: ${err.message}`;
  }

  /** `promise`, or an error after `ms` or when the connection closes first. */
  private timed<T>(connection: Connection, promise: Promise<T>, what: string, ms = CALL_TIMEOUT_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const fail = (err: Error) => {
        clearTimeout(timer);
        connection.waiting.delete(fail);
        reject(err);
      };
      const timer = setTimeout(() => {
        fail(new Error(`${what}: no answer in ${ms / 1000} s`));
        connection.socket.destroy();
      }, ms);
      connection.waiting.add(fail);
      promise.then(
        (value) => {
          clearTimeout(timer);
          connection.waiting.delete(fail);
          resolve(value);
        },
        (err) => fail(err),
      );
    });
  }

  /** Runs one SMB call on the connection. */
  private async call<T>(what: string, fn: (client: SMB2) => Promise<T>): Promise<T> {
    const connection = await this.open();
    if (this.idle) clearTimeout(this.idle);
    try {
      return await this.timed(connection, fn(connection.client), what);
    } finally {
      // Idle only when no other call is still waiting (a large write may outlast IDLE_MS).
      if (connection.waiting.size === 0) {
        if (this.idle) clearTimeout(this.idle);
        this.idle = setTimeout(() => this.close(), IDLE_MS);
        this.idle.unref();
      }
    }
  }

  /** `err` from doing `what`, in words that name this store (a connection failure says so already). */
  private failure(what: string, err: unknown): Error {
    return err instanceof SmbConnectError ? err : new Error(`${what} on ${this.description}: ${(err as Error).message}`);
  }

  private file(key: string) {
    return [this.root, ...key.split('/')].filter((s) => s !== '').join('\\');
  }

  private async ensureParents(key: string) {
    const parts = key.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (this.made.has(dir)) continue;
      await this.call(`making the folder ${dir}`, (c) => c.mkdir(this.file(dir))).catch(async (err: SmbError) => {
        if (err.code !== 'STATUS_OBJECT_NAME_COLLISION') throw this.failure(`making the folder ${dir}`, err);
        const st = await this.call(`checking ${dir}`, (c) => c.stat(this.file(dir))).catch(() => null);
        if (!st?.isDirectory()) throw new Error(`making the folder ${dir} on ${this.description}: a file of that name is in the way`);
      });
      this.made.add(dir);
    }
  }

  async get(key: string) {
    try {
      return await this.call(`reading ${key}`, (c) => c.readFile(this.file(key)));
    } catch (err) {
      if (NOT_FOUND.has((err as SmbError).code ?? '')) return null;
      throw this.failure(`reading ${key}`, err);
    }
  }

  async put(key: string, data: Buffer) {
    await this.ensureParents(key);
    const target = this.file(key);
    const temp = temporaryFor(target);
    try {
      await this.call(`writing ${key}`, (c) => c.writeFile(temp, data));
    } catch (err) {
      if (!NOT_FOUND.has((err as SmbError).code ?? '')) throw this.failure(`writing ${key}`, err);
      // The folder went away since it was made (a cleared vault): make it again.
      this.made.clear();
      await this.ensureParents(key);
      await this.call(`writing ${key}`, (c) => c.writeFile(temp, data));
    }
    try {
      await this.call(`writing ${key}`, (c) => c.rename(temp, target, { replace: true }));
    } catch (err) {
      await this.call(`removing ${temp}`, (c) => this.remove(c, temp)).catch(() => undefined);
      throw this.failure(`writing ${key}`, err);
    }
  }

  async has(key: string) {
    try {
      await this.call(`checking ${key}`, (c) => c.stat(this.file(key)));
      return true;
    } catch (err) {
      if (NOT_FOUND.has((err as SmbError).code ?? '')) return false;
      throw this.failure(`checking ${key}`, err);
    }
  }

  /**
   * Deletes a file: open it as it is, mark it for deletion, close it. (The client's unlink opens with
   * overwrite-if, which truncates first, creates a missing file, and is refused for a hidden one, as Samba
   * makes every dot-file.)
   */
  private remove(client: SMB2, file: string): Promise<void> {
    const call = (message: string, params: Json) => new Promise<Json | undefined>((resolve, reject) => request!(message, params, client, (err, value) => (err ? reject(err) : resolve(value))));
    return (async () => {
      const handle = (await call('create', { path: file, createDisposition: FILE_OPEN, shareAccess: FILE_SHARE_ALL }))!;
      try {
        await call('set_info', { FileId: handle.FileId, FileInfoClass: 'FileDispositionInformation', Buffer: Buffer.from([1]) });
      } finally {
        await call('close', handle).catch(() => undefined);
      }
    })();
  }

  async delete(key: string) {
    try {
      await this.call(`deleting ${key}`, (c) => this.remove(c, this.file(key)));
    } catch (err) {
      if (!NOT_FOUND.has((err as SmbError).code ?? '')) throw this.failure(`deleting ${key}`, err);
    }
  }

  /** The entries of one folder of the vault (`dir` '' for the vault's own), or null when it is not there. */
  private readFolder: ReadFolder = async (dir) => {
    try {
      const entries = (await this.call(`listing ${dir || 'the folder'}`, (c) => c.readdir(this.file(dir), { stats: true }))) as unknown as Array<{ name: string; size: number; isDirectory(): boolean }>;
      return entries.map((e) => ({ name: e.name, folder: e.isDirectory(), size: e.size }));
    } catch (err) {
      if (NOT_FOUND.has((err as SmbError).code ?? '')) return null;
      throw this.failure(`listing ${dir || 'the folder'}`, err);
    }
  };

  list(prefix: string): AsyncIterable<StoredObject> {
    return listFolderTree(this.readFolder, prefix);
  }

  temporaries(): AsyncIterable<string> {
    return folderTreeTemporaries(this.readFolder);
  }

  async probe() {
    await this.open();
    await probeFolder(this, async () => {
      if (!this.root) return true; // the share itself, there since the connection is
      try {
        return (await this.call('opening the folder', (c) => c.stat(this.root))).isDirectory();
      } catch (err) {
        if (NOT_FOUND.has((err as SmbError).code ?? '')) return null;
        throw err;
      }
    });
  }

  /** Ends the SMB connection (the store opens it again when used). */
  close() {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    void this.connection?.then((c) => c.client.disconnect()).catch(() => undefined);
    this.connection = null;
  }
}
