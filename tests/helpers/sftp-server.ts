// A real SFTP server for the agent's SFTP vaults: rclone (Debian's `rclone` package, installed by
// scripts/test.mjs) serving a throwaway folder with `rclone serve sftp` on a free loopback port: a password
// user, one authorized client key, and a host key generated here (so a test can write a known_hosts line). It
// runs in its own process group, so stop() ends exactly that server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { utils } from 'ssh2';
import { freePort, startProcess } from '../../scripts/lib/services.mjs';
import { ownedServer } from './server-process';
import { waitForTcpPort } from './wait';

export type SftpServer = { host: string; port: number; dir: string; user: string; password: string; clientKey: string; hostKeyLine: string; stop: () => Promise<void> };

export async function startSftpServer(user = 'sftp-user', password = 'sftp-password-42'): Promise<SftpServer> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'halley-sftp-'));
  const dir = path.join(base, 'root');
  fs.mkdirSync(dir);
  // ECDSA: rclone (Go's ssh) does not read ssh2's OpenSSH encoding of an Ed25519 private key.
  const hostKey = utils.generateKeyPairSync('ecdsa', { bits: 256 });
  const clientKey = utils.generateKeyPairSync('ed25519');
  fs.writeFileSync(path.join(base, 'host_key'), hostKey.private, { mode: 0o600 });
  fs.writeFileSync(path.join(base, 'authorized_keys'), `${clientKey.public}\n`);
  const port = await freePort();
  const proc = startProcess(
    'rclone',
    ['serve', 'sftp', dir, '--addr', `127.0.0.1:${port}`, '--user', user, '--pass', password, '--key', path.join(base, 'host_key'), '--authorized-keys', path.join(base, 'authorized_keys'), '--config', '/dev/null', '--cache-dir', path.join(base, 'cache')],
    { name: 'rclone-sftp', echo: false },
  );
  const stop = await ownedServer(proc, base, () => waitForTcpPort(port, proc, 'rclone serve sftp'));
  return {
    host: '127.0.0.1',
    port,
    dir,
    user,
    password,
    clientKey: clientKey.private,
    hostKeyLine: `[127.0.0.1]:${port} ${hostKey.public}`,
    stop,
  };
}
