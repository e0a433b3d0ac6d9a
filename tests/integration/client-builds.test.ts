// Client builds and install tokens (issue 15 §1): admin/branding/available-platforms, the generate-client/*
// downloads (a tar.gz of the reference agent unpacked here with `tar`, its embedded server URL, branding,
// version, manifest and installer), the platforms Halley cannot build (non-2xx), public downloads,
// branding by Host, and admin/create-install-token with the agent's one-time unattended sign-in.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentDevice } from '../../agent/device';
import { endpoints } from '../../lib/api/endpoints';
import { CLIENT_VERSION } from '../../lib/client-builds/client-version';
import { CometClient } from '../helpers/comet-client';
import { client, makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { liveConnectionId, tempDir, waitFor } from '../helpers/live';
import { halleyUrl } from '../helpers/server';

const BRANDING = '/api/v1/admin/branding';
let root: CometClient;
let t: TenantFixture;
let other: TenantFixture;
const agents: AgentDevice[] = [];

beforeAll(async () => {
  root = await rootClient();
  t = await makeTenant('builds');
  other = await makeTenant('builds-other');
  await root.ok('/api/v1/admin/organization/set', {
    OrganizationID: t.id,
    Organization: { Name: t.name, Hosts: [], Branding: { BrandName: 'Acme Backup', ProductName: 'Acme Agent', CompanyName: 'Acme Ltd', WindowsCodeSignPKCS12Password: 'never-shipped' } },
  });
});

afterAll(() => {
  for (const a of agents) a.stop();
});

/** Downloads a package and unpacks it with tar; returns the unpacked top folder. */
async function download(c: CometClient, pathName: string, params: Record<string, unknown> = {}): Promise<{ dir: string; headers: Headers; config: any }> {
  const form = new URLSearchParams();
  if (c.creds) {
    form.set('Username', c.creds.username);
    form.set('AuthType', 'Password');
    form.set('Password', c.creds.password ?? '');
  }
  for (const [k, v] of Object.entries(params)) form.set(k, String(v));
  const res = await fetch(new URL(pathName, c.baseUrl), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(res.status, bytes.subarray(0, 200).toString()).toBe(200);
  const out = tempDir('client-pkg');
  fs.writeFileSync(path.join(out, 'pkg.tar.gz'), bytes);
  execFileSync('tar', ['-xzf', 'pkg.tar.gz'], { cwd: out });
  const dir = path.join(out, `halley-agent-${CLIENT_VERSION}`);
  return { dir, headers: res.headers, config: JSON.parse(fs.readFileSync(path.join(dir, 'halley-client.json'), 'utf8')) };
}

describe('client builds', () => {
  it('lists the Linux generic package as the one platform this server builds', async () => {
    expect(await root.ok(`${BRANDING}/available-platforms`)).toEqual({ '9': { Category: 'Linux', Description: expect.stringContaining('Linux'), Recommended: true } });
    expect(await t.admin.ok(`${BRANDING}/available-platforms`)).toEqual(await root.ok(`${BRANDING}/available-platforms`));
  });

  it("builds the tenant admin's package: agent sources, server URL, the tenant's branding, version, manifest and a working installer", async () => {
    const { dir, headers, config } = await download(t.admin, `${BRANDING}/generate-client/linuxgeneric`, { SelfAddress: 'https://backup.acme.example:8443/' });
    expect(headers.get('content-type')).toBe('application/gzip');
    expect(headers.get('content-disposition')).toBe(`attachment; filename="halley-agent-${CLIENT_VERSION}-linuxgeneric.tar.gz"`);
    expect(config).toEqual({ Version: CLIENT_VERSION, Platform: 'linuxgeneric', ServerURL: 'https://backup.acme.example:8443/', Branding: { BrandName: 'Acme Backup', ProductName: 'Acme Agent', CompanyName: 'Acme Ltd' } });
    expect(fs.readFileSync(path.join(dir, 'VERSION'), 'utf8').trim()).toBe(CLIENT_VERSION);
    for (const f of ['agent/index.ts', 'agent/device.ts', 'lib/live/protocol.ts', 'lib/comet/constants.ts', 'lib/client-builds/client-version.ts', 'package.json', 'install.sh']) expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies).toHaveProperty('ws');
    // Every file is in the manifest and matches it; no secret of the branding is in the package.
    execFileSync('sha256sum', ['-c', '--quiet', 'MANIFEST.sha256'], { cwd: dir });
    const all = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile());
    expect(all.filter((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes('never-shipped'))).toEqual([]);
  });

  it('installs with the installer: versioned folder, current link, a launcher with the URL and the install token', async () => {
    const { dir } = await download(t.admin, `${BRANDING}/generate-client/by-platform`, { Platform: 9, SelfAddress: 'http://10.0.0.5:8060/' });
    const prefix = tempDir('client-install');
    const out = execFileSync('sh', ['install.sh', '--prefix', prefix, '--no-deps', '--no-service', '--install-token', 'tok-123', '--name', 'my box'], { cwd: dir }).toString();
    expect(out).toContain(`Installed ${CLIENT_VERSION} in ${prefix}`);
    expect(fs.readlinkSync(path.join(prefix, 'current'))).toBe(`versions/${CLIENT_VERSION}`);
    const launcher = fs.readFileSync(path.join(prefix, 'halley-agent'), 'utf8');
    expect(launcher).toContain("SERVER_URL='http://10.0.0.5:8060/'");
    expect(fs.readFileSync(path.join(prefix, 'state', 'install-token'), 'utf8').trim()).toBe('tok-123');
    expect(fs.statSync(path.join(prefix, 'state', 'install-token')).mode & 0o077).toBe(0);
    execFileSync('sh', ['-n', path.join(prefix, 'halley-agent')]);
    // A damaged package is refused before anything is installed.
    fs.appendFileSync(path.join(dir, 'agent', 'device.ts'), '\n// tampered\n');
    const prefix2 = tempDir('client-install-bad');
    expect(() => execFileSync('sh', ['install.sh', '--prefix', prefix2, '--no-deps', '--no-service'], { cwd: dir, stdio: 'pipe' })).toThrow(/damaged/);
    expect(fs.existsSync(path.join(prefix2, 'current'))).toBe(false);
  });

  it('answers every platform it cannot build, unknown platforms and bad addresses with an error and a non-2xx status', async () => {
    const files = endpoints.filter((e) => e.path.startsWith(`${BRANDING}/generate-client/`) && e.responseFormat === 'file' && !/linuxgeneric|by-platform/.test(e.path));
    expect(files.length).toBe(11);
    for (const e of files) {
      const r = await t.admin.call(e.path, {});
      expect(r.http, e.path).toBe(400);
      expect(r.body).toEqual({ Status: 400, Message: expect.stringContaining('cannot build') });
    }
    for (const platform of [1, 12, 99, -1]) {
      const r = await root.call(`${BRANDING}/generate-client/by-platform`, { Platform: platform });
      expect(r.http).toBe(400);
      expect(r.body.Status).toBe(400);
    }
    for (const bad of ['ftp://x.example/', 'not a url', 'http://user:pw@x.example/']) {
      const r = await root.call(`${BRANDING}/generate-client/linuxgeneric`, { SelfAddress: bad });
      expect(r.http, bad).toBe(400);
    }
    // The test call answers like any JSON endpoint.
    expect(await root.ok(`${BRANDING}/generate-client/test`, { Platform: 9 })).toEqual({ Status: 200, Message: 'OK' });
    const refused = await root.call(`${BRANDING}/generate-client/test`, { Platform: 1 });
    expect([refused.http, refused.body.Status]).toEqual([200, 400]);
  });

  it('refuses callers without or with wrong credentials unless public downloads are allowed; brands by Host', async () => {
    const anonymous = client(null);
    for (const c of [anonymous, client({ username: t.adminName, password: 'wrong' })]) {
      const r = await c.call(`${BRANDING}/generate-client/linuxgeneric`, {});
      expect([r.http, r.body.Status]).toEqual([403, 403]);
      expect((await c.call(`${BRANDING}/available-platforms`)).body.Status).toBe(403);
    }
    // An end user is not an administrator.
    const user = await makeUser(t.admin);
    expect((await client(user).call(`${BRANDING}/generate-client/linuxgeneric`, {})).http).toBe(403);

    const viaLocalhost = halleyUrl().replace('127.0.0.1', 'localhost');
    await root.ok('/api/v1/admin/organization/set', { OrganizationID: other.id, Organization: { Name: other.name, Hosts: ['localhost'], Branding: { BrandName: 'Other Brand' } } });
    await root.ok('/api/v1/admin/meta/build-config/set', { SoftwareBuildRoleConfig: { RoleEnabled: true, AllowUnauthenticatedDownloads: true } });
    try {
      const anon = new CometClient(`${viaLocalhost}/`, null);
      const { config } = await download(anon, `${BRANDING}/generate-client/linuxgeneric`);
      expect(config.ServerURL).toBe(`${viaLocalhost}/`);
      expect(config.Branding).toEqual({ BrandName: 'Other Brand' });
      expect(await anon.ok(`${BRANDING}/available-platforms`)).toHaveProperty('9');
      // A top-level admin on that host gets the same; a tenant admin always gets its own organization's branding.
      expect((await download(new CometClient(`${viaLocalhost}/`, root.creds), `${BRANDING}/generate-client/linuxgeneric`)).config.Branding).toEqual({ BrandName: 'Other Brand' });
      expect((await download(new CometClient(`${viaLocalhost}/`, t.admin.creds), `${BRANDING}/generate-client/linuxgeneric`)).config.Branding.BrandName).toBe('Acme Backup');
      // Credentials, when given, must still be right.
      expect((await new CometClient(`${viaLocalhost}/`, { username: t.adminName, password: 'wrong' }).call(`${BRANDING}/generate-client/linuxgeneric`)).http).toBe(403);
    } finally {
      await root.ok('/api/v1/admin/meta/build-config/set', { SoftwareBuildRoleConfig: { RoleEnabled: true, AllowUnauthenticatedDownloads: false } });
      await root.ok('/api/v1/admin/organization/set', { OrganizationID: other.id, Organization: { Name: other.name, Hosts: [] } });
    }
    expect((await anonymous.call(`${BRANDING}/generate-client/linuxgeneric`)).http).toBe(403);
  });
});

describe('install tokens', () => {
  it('issues a one-time token for an account of the admin, after checking its password', async () => {
    const user = await makeUser(t.admin);
    const r = await t.admin.ok('/api/v1/admin/create-install-token', { TargetUser: user.username, TargetPassword: user.password, Server: 'https://backup.acme.example/' });
    expect(r).toMatchObject({ Status: 200, Message: 'OK', InstallToken: { Username: user.username, Server: 'https://backup.acme.example/', Used: false } });
    expect(r.InstallToken.Token).toMatch(/^[\w-]{43}$/);
    expect(r.InstallToken.ExpireTime - r.InstallToken.CreateTime).toBe(7 * 24 * 3600);
    const wrong = await t.admin.fails('/api/v1/admin/create-install-token', { TargetUser: user.username, TargetPassword: 'not-it' });
    expect(wrong.Status).toBe(400);
    // Another tenant's account looks exactly like a missing one.
    const foreign = await other.admin.fails('/api/v1/admin/create-install-token', { TargetUser: user.username, TargetPassword: user.password });
    const missing = await other.admin.fails('/api/v1/admin/create-install-token', { TargetUser: 'zz-no-such-user', TargetPassword: user.password });
    expect(foreign.Status).toBe(400);
    expect(foreign.Message.replace(user.username, '<u>')).toBe(missing.Message.replace('zz-no-such-user', '<u>'));
    expect((await client(null).fails('/api/v1/admin/create-install-token', { TargetUser: user.username, TargetPassword: user.password })).Status).toBe(403);
    expect((await t.admin.fails('/api/v1/admin/create-install-token', { TargetUser: user.username })).Status).toBe(400);
  });

  it('signs a device in once, unattended, then the device uses its own token; a second use is refused', async () => {
    const user = await makeUser(t.admin);
    const { InstallToken } = await t.admin.ok('/api/v1/admin/create-install-token', { TargetUser: user.username, TargetPassword: user.password });
    const start = () => {
      let stopped = '';
      const device = new AgentDevice({ url: halleyUrl(), username: '', installToken: InstallToken.Token, stateDir: tempDir('agent-token'), friendlyName: uniq('installed'), backoff: { baseMs: 200, maxMs: 2000 } });
      device.client.opts.onStopped = (reason) => (stopped = reason);
      device.start();
      agents.push(device);
      return { device, stopped: () => stopped };
    };
    const first = start();
    await liveConnectionId(t.admin, first.device.state.deviceId);
    expect(first.device.state.username).toBe(user.username);
    expect(first.device.state.token).toMatch(/^v1\./);
    const profile = await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: user.username });
    expect(Object.keys(profile.Devices)).toEqual([first.device.state.deviceId]);
    // The other tenant sees nothing of it.
    expect(Object.values(await other.admin.ok('/api/v1/admin/dispatcher/list-active')).length).toBe(0);

    const second = start();
    expect(await waitFor('the second device to be refused', async () => second.stopped() || undefined)).toBe('refused: Invalid install token');
    // The first device reconnects with its device token, not the spent install token.
    expect(first.device.client.auth.kind).toBe('token');
  });
});
