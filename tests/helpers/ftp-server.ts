// A real FTP server for the agent's FTP vaults: ftp-srv (an FTP server in Node, a dev dependency) serving a
// throwaway folder on a free loopback port, control and passive data connections on 127.0.0.1, one user with a
// password, and explicit TLS (AUTH TLS) with a self-signed certificate made here by Debian's openssl, so a
// test can try FTPS both with a device that accepts it and one that does not.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FtpSrv } from 'ftp-srv';
import { freePort } from '../../scripts/lib/services.mjs';

export type FtpServer = { host: string; port: number; dir: string; user: string; password: string; stop: () => Promise<void> };

/** ftp-srv logs through a bunyan-shaped logger: this one keeps quiet. */
const quiet = { child: () => quiet, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function selfSignedCertificate(dir: string): { key: Buffer; cert: Buffer } {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}

export async function startFtpServer(user = 'ftp-user', password = 'ftp-password-42'): Promise<FtpServer> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'halley-ftp-'));
  const dir = path.join(base, 'home');
  fs.mkdirSync(dir);
  const port = await freePort();
  const server = new FtpSrv({
    url: `ftp://127.0.0.1:${port}`,
    pasv_url: '127.0.0.1',
    pasv_min: 40_000,
    pasv_max: 48_000,
    anonymous: false,
    tls: selfSignedCertificate(base),
    greeting: 'Halley test FTP server',
    log: quiet,
  });
  server.on('login', ({ username, password: given }, resolve, reject) => {
    if (username === user && given === password) resolve({ root: dir });
    else reject(new Error('Login incorrect'));
  });
  server.on('client-error', () => undefined);
  await server.listen();
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    dir,
    user,
    password,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.close();
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}
