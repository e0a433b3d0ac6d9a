// A real WebDAV server for the agent's WebDAV vaults: rclone (Debian's `rclone` package, installed by
// scripts/test.mjs) serving a throwaway folder with `rclone serve webdav` on a free loopback port, with
// HTTP Basic credentials. It runs in its own process group, so stop() ends exactly that server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startProcess, type ManagedProcess } from '../../scripts/lib/services.mjs';
import { ownedServer } from './server-process';

/** Waits until the server answers an authenticated PROPFIND of its root. */
async function waitForDav(url: string, auth: string, proc: ManagedProcess, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (proc.exitInfo) throw new Error(`rclone exited during start-up:\n${proc.tail(30)}`);
    try {
      const res = await fetch(url, { method: 'PROPFIND', headers: { authorization: auth, depth: '0' }, signal: AbortSignal.timeout(3000) });
      await res.arrayBuffer();
      if (res.status === 207) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`rclone serve webdav did not answer (${last}):\n${proc.tail(30)}`);
}

export type WebDavServer = { url: string; dir: string; user: string; password: string; stop: () => Promise<void> };

export async function startWebDavServer(user = 'dav-user', password = 'dav-password-42'): Promise<WebDavServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'halley-webdav-'));
  const port = await freePort();
  const proc = startProcess('rclone', ['serve', 'webdav', dir, '--addr', `127.0.0.1:${port}`, '--user', user, '--pass', password, '--config', '/dev/null'], { name: 'rclone-webdav', echo: false });
  const url = `http://127.0.0.1:${port}`;
  const stop = await ownedServer(proc, dir, () => waitForDav(url, `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, proc));
  return { url, dir, user, password, stop };
}
