// Client packages in tests: the package this server generates (as an admin downloads it), unpacked,
// relabelled as another version (so the server's own build is the newer one) and installed with its
// install.sh under a launcher, the way an operator would (the runtime dependencies are this checkout's).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { tarGz } from '../../lib/client-builds/tar-gz';
import type { TenantFixture } from './fixtures';
import { tempDir } from './live';
import { halleyUrl } from './server';

/** The package of this server's build, as the tenant's admin downloads it (bytes and headers). */
export async function serverPackage(t: TenantFixture): Promise<{ bytes: Buffer; headers: Headers }> {
  const form = new URLSearchParams({ Username: t.adminName, AuthType: 'Password', Password: t.admin.creds!.password ?? '', SelfAddress: halleyUrl() });
  const res = await fetch(new URL('/api/v1/admin/branding/generate-client/linuxgeneric', halleyUrl()), { method: 'POST', body: form });
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(res.status, bytes.subarray(0, 200).toString()).toBe(200);
  return { bytes, headers: res.headers };
}

/** Unpacks a package and returns its top folder. */
export function unpack(bytes: Buffer): string {
  const out = tempDir('agent-pkg');
  fs.writeFileSync(path.join(out, 'pkg.tar.gz'), bytes);
  execFileSync('tar', ['-xzf', 'pkg.tar.gz'], { cwd: out });
  const top = fs.readdirSync(out).find((f) => f.startsWith('halley-agent-'))!;
  return path.join(out, top);
}

/** The unpacked package `dir` relabelled as `version` (config, VERSION, installer), with a new manifest; `edit` may change files first. */
export function repack(dir: string, version: string, edit?: (dir: string) => void): Buffer {
  edit?.(dir);
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'halley-client.json'), 'utf8'));
  const from = config.Version as string;
  fs.writeFileSync(path.join(dir, 'halley-client.json'), JSON.stringify({ ...config, Version: version }, null, 2));
  fs.writeFileSync(path.join(dir, 'VERSION'), `${version}\n`);
  fs.writeFileSync(path.join(dir, 'install.sh'), fs.readFileSync(path.join(dir, 'install.sh'), 'utf8').replace(`VERSION='${from}'`, `VERSION='${version}'`));
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (r !== 'MANIFEST.sha256') files.push(r);
    }
  };
  walk('');
  files.sort();
  const manifest = files.map((f) => `${createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex')}  ${f}\n`).join('');
  fs.writeFileSync(path.join(dir, 'MANIFEST.sha256'), manifest);
  const top = `halley-agent-${version}`;
  return tarGz(
    [...files, 'MANIFEST.sha256'].map((f) => ({ name: `${top}/${f}`, data: fs.readFileSync(path.join(dir, f)), mode: f === 'install.sh' ? 0o755 : 0o644, mtime: Math.floor(Date.now() / 1000) })),
  );
}

export type InstalledAgent = { prefix: string; launcher: ChildProcess; output: () => string; stop: () => Promise<void> };

/**
 * Installs this server's package relabelled as `version` into a fresh prefix (install.sh --no-deps, this
 * checkout's node_modules) and starts its launcher signed in as `user`.
 */
export async function installOlderAgent(t: TenantFixture, user: { username: string; password: string }, version: string, opts: { name: string; env?: Record<string, string> }): Promise<InstalledAgent> {
  const dir = unpack(repack(unpack((await serverPackage(t)).bytes), version));
  const prefix = tempDir('agent-prefix');
  execFileSync('sh', ['install.sh', '--prefix', prefix, '--no-deps', '--no-service', '--name', opts.name], { cwd: dir });
  fs.symlinkSync(path.resolve('node_modules'), path.join(prefix, 'versions', version, 'node_modules'));
  const launcher = spawn('sh', [path.join(prefix, 'halley-agent'), '--username', user.username], {
    env: { ...process.env, HALLEY_AGENT_PASSWORD: user.password, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  launcher.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  launcher.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  const stop = async () => {
    if (launcher.exitCode !== null || launcher.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => launcher.once('exit', () => resolve()));
    launcher.kill('SIGTERM');
    await exited;
  };
  return { prefix, launcher, output: () => output, stop };
}
