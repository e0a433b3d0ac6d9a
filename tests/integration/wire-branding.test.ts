// Issue 19: branding. admin/meta/branding-config/get|set (a tenant admin with AllowEditBranding brands its
// own organization), resources uploaded the way Comet's SDKs do (multipart part "upload", credentials in
// X-Comet-Admin-* headers) and read back, GET /gen/branding.props and the sign-in page per host name, the
// logo inside client packages; another organization's resources answer exactly like missing ones.
import { createHash } from 'node:crypto';
import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, pageErrors, shot } from '../helpers/browser';
import { makeTenant, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { halleyUrl } from '../helpers/server';
import type { Browser } from 'playwright-core';

let t: TenantFixture;
let other: TenantFixture;
let host: string;
let browser: Browser | undefined;

/** A solid-colour PNG (w x h), so the screenshot shows the uploaded logo plainly. */
function png(w: number, h: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.concat(Array.from({ length: w }, () => Buffer.from(rgb)))]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** The Go SDK's AdminMetaResourceNew: a multipart body, the credentials in headers. */
async function uploadLikeSdk(admin: TenantFixture, bytes: Buffer): Promise<{ http: number; body: any }> {
  const form = new FormData();
  form.append('upload', new Blob([new Uint8Array(bytes)]), 'file.dat');
  const res = await fetch(halleyUrl('/api/v1/admin/meta/resource/new'), {
    method: 'POST',
    body: form,
    headers: { 'X-Comet-Admin-Username': admin.adminName, 'X-Comet-Admin-AuthType': 'Password', 'X-Comet-Admin-Password': admin.admin.creds!.password! },
  });
  return { http: res.status, body: await res.json() };
}

/** A GET with a chosen Host header (fetch cannot set one). */
function getWithHost(path: string, hostName: string): Promise<{ status: number; type: string; body: Buffer }> {
  const url = new URL(halleyUrl(path));
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: url.port, path, method: 'GET', headers: { host: `${hostName}:${url.port}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const LOGO = png(180, 48, [37, 99, 235]);
const LOGO_HASH = createHash('sha256').update(LOGO).digest('hex');

beforeAll(async () => {
  const root = await rootClient();
  t = await makeTenant('brand');
  other = await makeTenant('brand-other');
  host = `${uniq('brand').toLowerCase().replace(/[^a-z0-9-]/g, '-')}.localhost`;
  await root.ok('/api/v1/admin/organization/set', { OrganizationID: t.id, Organization: { Name: t.name, Hosts: [host] } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('branding-config and resources', () => {
  it('needs AllowEditBranding, stores a tenant\'s branding with an uploaded logo, keeps secrets sealed', async () => {
    expect((await t.admin.fails('/api/v1/admin/meta/branding-config/get')).Status).toBe(403);
    const root = await rootClient();
    await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: t.adminName, Permissions: { AllowEditBranding: true } });
    await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: other.adminName, Permissions: { AllowEditBranding: true } });

    const blank = await t.admin.ok('/api/v1/admin/meta/branding-config/get');
    expect(blank.Branding).toMatchObject({ BrandName: '', LogoImage: '', BrandingStyleType: 0 });

    const up = await uploadLikeSdk(t, LOGO);
    expect(up.http).toBe(200);
    expect(up.body).toEqual({ Status: 200, Message: 'OK', ResourceHash: LOGO_HASH });
    const back = await t.admin.raw('/api/v1/admin/meta/resource/get', { method: 'POST', body: new URLSearchParams({ Username: t.adminName, AuthType: 'Password', Password: t.admin.creds!.password!, Hash: LOGO_HASH }) });
    expect(back.http).toBe(200);

    const branding = {
      BrandingStyleType: 3,
      BrandName: 'Acme Backup',
      ProductName: 'Acme Protect',
      TopColor: '#0f766e',
      AccentColor: '#2563eb',
      LogoImage: `resource://${LOGO_HASH}`,
      HelpURL: 'https://help.acme.example/',
      WindowsCodeSignPKCS12Password: 'pfx-secret-1',
    };
    await t.admin.ok('/api/v1/admin/meta/branding-config/set', { BrandingConfig: branding });
    const got = (await t.admin.ok('/api/v1/admin/meta/branding-config/get')).Branding;
    expect(got).toMatchObject({ ...branding, WindowsCodeSignPKCS12Password: '' });
    expect(JSON.stringify(got)).not.toContain('pfx-secret-1');
    // Another organization's branding is its own.
    expect((await other.admin.ok('/api/v1/admin/meta/branding-config/get')).Branding.BrandName).toBe('');
  });

  it('refuses bad values with a specific message, and another organization\'s resource like a missing one', async () => {
    const bad = async (b: Record<string, unknown>) => (await t.admin.fails('/api/v1/admin/meta/branding-config/set', { BrandingConfig: b })).Message;
    expect(await bad({ TopColor: 'red' })).toBe('TopColor must be a colour like #1f2937');
    expect(await bad({ PathEulaRtf: '/etc/passwd' })).toMatch(/^PathEulaRtf must name an uploaded resource/);
    expect(await bad({ HelpURL: 'javascript:alert(1)' })).toMatch(/HelpURL must be an http/);
    expect(await bad({ BrandingStyleType: 42 })).toMatch(/BrandingStyleType/);
    expect(await bad({ LogoImage: `resource://${'0'.repeat(64)}` })).toMatch(/Resource '0{64}' was not found/);
    // The other tenant cannot use or read t's upload.
    expect((await other.admin.fails('/api/v1/admin/meta/branding-config/set', { BrandingConfig: { LogoImage: `resource://${LOGO_HASH}` } })).Message).toMatch(/was not found/);
    const form = (admin: TenantFixture, hash: string) => new URLSearchParams({ Username: admin.adminName, AuthType: 'Password', Password: admin.admin.creds!.password!, Hash: hash });
    const foreign = await other.admin.raw('/api/v1/admin/meta/resource/get', { method: 'POST', body: form(other, LOGO_HASH) });
    const missing = await other.admin.raw('/api/v1/admin/meta/resource/get', { method: 'POST', body: form(other, 'f'.repeat(64)) });
    expect(foreign.http).toBe(404);
    expect(foreign.body.Message.replace(LOGO_HASH, '<h>')).toBe(missing.body.Message.replace('f'.repeat(64), '<h>'));
    // Uploads: no part, an empty one, and bad credentials in the headers.
    expect((await uploadLikeSdk(t, Buffer.alloc(0))).body.Message).toMatch(/multipart\/form-data part 'upload'/);
    const wrong = await fetch(halleyUrl('/api/v1/admin/meta/resource/new'), { method: 'POST', body: new FormData(), headers: { 'X-Comet-Admin-Username': t.adminName, 'X-Comet-Admin-Password': 'wrong' } });
    expect((await wrong.json()).Status).toBe(403);
  });

  it('a disk path organization/set stored (an imported Comet organization) is kept when the branding page saves, never taken when new', async () => {
    const root = await rootClient();
    const org = (await root.ok('/api/v1/admin/organization/list'))[other.id];
    await root.ok('/api/v1/admin/organization/set', { OrganizationID: other.id, Organization: { ...org, Branding: { ...org.Branding, PathIcoFile: 'C:\\Branding\\app.ico' } } });
    const stored = (await other.admin.ok('/api/v1/admin/meta/branding-config/get')).Branding;
    expect(stored.PathIcoFile).toBe('C:\\Branding\\app.ico');
    // Saved back with another change (as the console's branding page does): accepted, the path kept as it was.
    await other.admin.ok('/api/v1/admin/meta/branding-config/set', { BrandingConfig: { ...stored, BrandName: 'Other Backup' } });
    expect((await other.admin.ok('/api/v1/admin/meta/branding-config/get')).Branding).toMatchObject({ BrandName: 'Other Backup', PathIcoFile: 'C:\\Branding\\app.ico' });
    // A path the admin puts there is refused as before.
    expect((await other.admin.fails('/api/v1/admin/meta/branding-config/set', { BrandingConfig: { ...stored, PathIcoFile: '/etc/passwd' } })).Message).toMatch(/^PathIcoFile must name an uploaded resource/);
  });
});

describe('public branding per host name', () => {
  it('branding.props, the logo and the sign-in page follow the host name', async () => {
    const props = JSON.parse((await getWithHost('/gen/branding.props', host)).body.toString());
    expect(props).toMatchObject({ BrandName: 'Acme Backup', ProductName: 'Acme Protect', HasImage: true, ImageEtag: LOGO_HASH, TopColor: '#0f766e' });
    const plain = JSON.parse((await getWithHost('/gen/branding.props', '127.0.0.1')).body.toString());
    expect(plain.BrandName).not.toBe('Acme Backup');
    expect(plain.ImageEtag).not.toBe(LOGO_HASH);

    const logo = await getWithHost('/gen/logo', host);
    expect(logo.status).toBe(200);
    expect(logo.type).toBe('image/png');
    expect(createHash('sha256').update(logo.body).digest('hex')).toBe(LOGO_HASH);
    expect((await getWithHost('/gen/logo', '127.0.0.1')).status).toBe(404);

    browser = await launchBrowser();
    const page = await newPage(browser);
    await page.goto(`http://${host}:${new URL(halleyUrl()).port}/login`);
    const img = page.getByTestId('brand-logo');
    await img.waitFor();
    expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(180);
    expect(await img.getAttribute('alt')).toBe('Acme Backup');
    await shot(page, 'wire-branding-sign-in');
    expect(pageErrors(page)).toEqual([]);
  });

  it('client packages carry the logo', async () => {
    const res = await fetch(halleyUrl('/api/v1/admin/branding/generate-client/linuxgeneric'), {
      method: 'POST',
      body: new URLSearchParams({ Username: t.adminName, AuthType: 'Password', Password: t.admin.creds!.password!, SelfAddress: 'https://backup.acme.example/' }),
    });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    const tar = zlib.gunzipSync(bytes);
    expect(tar.includes(Buffer.from('/branding/logo.png'))).toBe(true);
    expect(tar.includes(LOGO)).toBe(true);
    expect(tar.includes(Buffer.from('"LogoImage": "branding/logo.png"'))).toBe(true);
  });
});
