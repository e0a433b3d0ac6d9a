// The reference agent's self-update (issue 15 §1): a real agent process, installed with install.sh from a
// package this server generated (rewritten to an older version, so the server's build is the newer one) and
// run under the launcher, is told to update (admin/dispatcher/update-software): it downloads the build with
// its device token, verifies it, swaps `current`, restarts and reconnects advertising the new version. A
// corrupted download changes nothing and the command fails with the reason; a build that does not start
// is rolled back by the launcher and the previous version reconnects.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_VERSION } from '../../lib/client-builds/client-version';
import { tarGz } from '../../lib/client-builds/tar-gz';
import { makeTenant, makeUser, type TenantFixture } from '../helpers/fixtures';
import { tempDir, waitFor } from '../helpers/live';
import { halleyUrl } from '../helpers/server';

const OLD_VERSION = '25.9.5';
const BRANDING = '/api/v1/admin/branding';
let t: TenantFixture;
let user: { username: string; password: string };
let prefix: string;
let launcher: ChildProcess | undefined;
let output = '';
let fakeServer: http.Server | undefined;
let fakeReply: { bytes: Buffer; headers: Record<string, string> } = { bytes: Buffer.alloc(0), headers: {} };

/** The package of this server's build, as an admin downloads it (bytes and headers). */
async function serverPackage(): Promise<{ bytes: Buffer; headers: Headers }> {
  const form = new URLSearchParams({ Username: t.adminName, AuthType: 'Password', Password: t.admin.creds!.password ?? '', SelfAddress: halleyUrl() });
  const res = await fetch(new URL(`${BRANDING}/generate-client/linuxgeneric`, halleyUrl()), { method: 'POST', body: form });
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(res.status, bytes.subarray(0, 200).toString()).toBe(200);
  return { bytes, headers: res.headers };
}

/** Unpacks a package and returns its top folder. */
function unpack(bytes: Buffer): string {
  const out = tempDir('self-update-pkg');
  fs.writeFileSync(path.join(out, 'pkg.tar.gz'), bytes);
  execFileSync('tar', ['-xzf', 'pkg.tar.gz'], { cwd: out });
  const top = fs.readdirSync(out).find((f) => f.startsWith('halley-agent-'))!;
  return path.join(out, top);
}

/** The unpacked package `dir` relabelled as `version` (config, VERSION, installer), with a new manifest; `edit` may change files first. */
function repack(dir: string, version: string, edit?: (dir: string) => void): Buffer {
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

async function liveDevice(): Promise<{ id: string; version: string } | undefined> {
  const map = (await t.admin.ok('/api/v1/admin/dispatcher/list-active')) as Record<string, { Username: string; ReportedVersion: string }>;
  const found = Object.entries(map).find(([, c]) => c.Username === user.username);
  return found ? { id: found[0], version: found[1].ReportedVersion } : undefined;
}

beforeAll(async () => {
  t = await makeTenant('self-update');
  user = await makeUser(t.admin);
  // An older build of the same agent, installed the way an operator would (dependencies provided here).
  const old = repack(unpack((await serverPackage()).bytes), OLD_VERSION);
  const dir = unpack(old);
  prefix = tempDir('self-update-prefix');
  execFileSync('sh', ['install.sh', '--prefix', prefix, '--no-deps', '--no-service', '--name', 'updating box'], { cwd: dir });
  fs.symlinkSync(path.resolve('node_modules'), path.join(prefix, 'versions', OLD_VERSION, 'node_modules'));
  launcher = spawn('sh', [path.join(prefix, 'halley-agent'), '--username', user.username], {
    env: { ...process.env, HALLEY_AGENT_PASSWORD: user.password, HALLEY_AGENT_UPDATE_CONFIRM_SECONDS: '60' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  launcher.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  launcher.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  // A download mirror the tests control (update-software's SelfAddress can name any server).
  fakeServer = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': String(fakeReply.bytes.length), ...fakeReply.headers });
      res.end(fakeReply.bytes);
    });
  });
  await new Promise<void>((resolve) => fakeServer!.listen(0, '127.0.0.1', resolve));
}, 120_000);

afterAll(async () => {
  if (launcher && launcher.exitCode === null) {
    launcher.kill('SIGTERM');
    await waitFor('the launcher to stop', () => launcher!.exitCode !== null || launcher!.signalCode !== null, 15_000);
  }
  fakeServer?.close();
});

describe('agent self-update', () => {
  it('the installed older agent connects advertising its version', async () => {
    const live = await waitFor('the installed agent to connect', async () => (await liveDevice()) ?? undefined, 60_000);
    expect(live.version, output).toBe(OLD_VERSION);
  }, 90_000);

  it('updates itself to the server build: verified download, swapped current, restart, reconnects with the new version', async () => {
    const before = (await liveDevice())!;
    const r = await t.admin.ok('/api/v1/admin/dispatcher/update-software', { TargetID: before.id });
    expect(r.Message).toContain(`Installed version ${CLIENT_VERSION}`);
    const after = await waitFor('the agent to come back updated', async () => {
      const live = await liveDevice();
      return live && live.id !== before.id && live.version === CLIENT_VERSION ? live : undefined;
    }, 60_000);
    expect(after.version).toBe(CLIENT_VERSION);
    expect(fs.readlinkSync(path.join(prefix, 'current'))).toBe(`versions/${CLIENT_VERSION}`);
    // Confirmed once welcomed: nothing pending; the previous version stays for a rollback.
    await waitFor('the update to be confirmed', () => !fs.existsSync(path.join(prefix, 'state', 'update-pending')));
    expect(fs.readdirSync(path.join(prefix, 'versions')).sort()).toEqual([OLD_VERSION, CLIENT_VERSION].sort());
    expect(fs.lstatSync(path.join(prefix, 'versions', CLIENT_VERSION, 'node_modules')).isSymbolicLink()).toBe(true);
    expect(output).toContain(`update to ${CLIENT_VERSION} confirmed`);
  }, 90_000);

  it('refuses a corrupted download and keeps running its version', async () => {
    const pkg = await serverPackage();
    const bytes = Buffer.from(pkg.bytes);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    fakeReply = { bytes, headers: { 'x-halley-client-version': pkg.headers.get('x-halley-client-version')!, 'x-halley-client-sha256': pkg.headers.get('x-halley-client-sha256')! } };
    const before = (await liveDevice())!;
    const address = fakeServer!.address() as AddressInfo;
    const r = await t.admin.fails('/api/v1/admin/dispatcher/update-software', { TargetID: before.id, SelfAddress: `http://127.0.0.1:${address.port}/` });
    expect(r.Message).toMatch(/Update failed, still running .*does not match its SHA-256/);
    expect(fs.readlinkSync(path.join(prefix, 'current'))).toBe(`versions/${CLIENT_VERSION}`);
    expect((await liveDevice())!.id).toBe(before.id);
  }, 60_000);

  it('rolls back a build that does not start: the previous version reconnects', async () => {
    const broken = repack(unpack((await serverPackage()).bytes), '25.9.7', (dir) => fs.writeFileSync(path.join(dir, 'agent', 'index.ts'), "console.error('this build cannot start');\nprocess.exit(3);\n"));
    fakeReply = { bytes: broken, headers: { 'x-halley-client-version': '25.9.7', 'x-halley-client-sha256': createHash('sha256').update(broken).digest('hex') } };
    const before = (await liveDevice())!;
    const address = fakeServer!.address() as AddressInfo;
    const r = await t.admin.ok('/api/v1/admin/dispatcher/update-software', { TargetID: before.id, SelfAddress: `http://127.0.0.1:${address.port}/` });
    expect(r.Message).toContain('Installed version 25.9.7');
    const back = await waitFor('the previous version to reconnect', async () => {
      const live = await liveDevice();
      return live && live.id !== before.id ? live : undefined;
    }, 60_000);
    expect(back.version).toBe(CLIENT_VERSION);
    expect(fs.readlinkSync(path.join(prefix, 'current'))).toBe(`versions/${CLIENT_VERSION}`);
    expect(fs.existsSync(path.join(prefix, 'state', 'update-pending'))).toBe(false);
    expect(output).toContain('this build cannot start');
    await waitFor('the rollback to be reported', () => output.includes('The update to 25.9.7 did not come up (exit code 3): rolled back to'));
  }, 90_000);
});
