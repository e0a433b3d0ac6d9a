// A real SMB server for the agent's SMB vaults: Debian's Samba (`samba` package, installed by scripts/test.mjs)
// run as `smbd --foreground --no-process-group` with a private smb.conf: every state, lock, cache, pid, private
// and log directory under a temporary folder this helper owns, listening only on 127.0.0.1 at a free port,
// no NetBIOS, one share `vault` on a throwaway folder. Its security settings are Debian's defaults (NTLMv2
// only, SMB2_02 at least). smbd maps an SMB user to a unix user, so the user is the one running the tests
// (root in CI), with an SMB password set in the private passdb. Without its own process group, smbd's
// per-connection children stay in the group startProcess made, so stop() ends all of them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { freePort, startProcess } from '../../scripts/lib/services.mjs';
import { ownedServer } from './server-process';
import { waitForTcpPort } from './wait';

export type SmbServer = { host: string; port: number; share: string; dir: string; user: string; password: string; stop: () => Promise<void> };

export async function startSmbServer(password = 'smb-password-42'): Promise<SmbServer> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'halley-smb-'));
  const dir = path.join(base, 'share');
  for (const d of ['share', 'lock', 'state', 'cache', 'pid', 'private', 'ncalrpc', 'log']) fs.mkdirSync(path.join(base, d));
  const user = os.userInfo().username;
  const port = await freePort();
  const conf = path.join(base, 'smb.conf');
  fs.writeFileSync(
    conf,
    [
      '[global]',
      'server role = standalone server',
      'workgroup = HALLEYTEST',
      'interfaces = 127.0.0.1',
      'bind interfaces only = yes',
      `smb ports = ${port}`,
      'disable netbios = yes',
      `lock directory = ${base}/lock`,
      `state directory = ${base}/state`,
      `cache directory = ${base}/cache`,
      `pid directory = ${base}/pid`,
      `private dir = ${base}/private`,
      `ncalrpc dir = ${base}/ncalrpc`,
      `log file = ${base}/log/smbd.log`,
      `passdb backend = tdbsam:${base}/private/passdb.tdb`,
      'load printers = no',
      'printing = bsd',
      'printcap name = /dev/null',
      'disable spoolss = yes',
      '',
      '[vault]',
      `path = ${dir}`,
      'read only = no',
      '',
    ].join('\n'),
  );
  try {
    execFileSync('smbpasswd', ['-c', conf, '-a', '-s', user], { input: `${password}\n${password}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
  } catch (err) {
    fs.rmSync(base, { recursive: true, force: true });
    throw new Error(`smbpasswd could not add ${user}: ${(err as { stderr?: Buffer }).stderr?.toString() ?? (err as Error).message}`);
  }
  const proc = startProcess('smbd', ['--foreground', '--no-process-group', '--debug-stdout', '-s', conf], { name: 'smbd', echo: false });
  const stop = await ownedServer(proc, base, () => waitForTcpPort(port, proc, 'smbd'));
  return { host: '127.0.0.1', port, share: 'vault', dir, user, password, stop };
}
