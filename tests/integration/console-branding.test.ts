// Issue 20: the console shell in the organization's branding. admin/halley/branding/console (every admin, no
// permission: display fields only, each falling back to the server's, then Halley's) and .../console-logo; in the
// browser, Settings → Branding changes the shell's name, colours and title at once, the colours stay accessible
// (axe), and another tenant's admin keeps seeing the server's branding. Screenshots: test-results/console-branding-*.png.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/services.mjs';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { encodeForm } from '../helpers/comet-client';
import { makeTenant, rootClient, type TenantFixture } from '../helpers/fixtures';
import { halleyUrl } from '../helpers/server';

const AXE = fs.readFileSync(path.join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

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

const LOGO = png(96, 32, [190, 24, 93]);
const LOGO_HASH = createHash('sha256').update(LOGO).digest('hex');
const SERVER = { BrandName: 'Orbital Server', ProductName: 'Orbital Console', TopColor: '#1e293b', AccentColor: '#0e7490' };

let own: TenantFixture;
let plain: TenantFixture;
let serverBefore: Record<string, unknown>;
let browser: Browser | undefined;

async function logo(admin: TenantFixture): Promise<{ http: number; type: string; bytes: Buffer }> {
  const res = await fetch(halleyUrl('/api/v1/admin/halley/branding/console-logo'), { method: 'POST', body: encodeForm(admin.admin.creds, {}) });
  return { http: res.status, type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
}

type Violation = { id: string; impact: string; help: string; nodes: Array<{ target: string[]; failureSummary?: string }> };
async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

beforeAll(async () => {
  const root = await rootClient();
  serverBefore = (await root.ok('/api/v1/admin/meta/branding-config/get')).Branding;
  // The server's branding is every organization's fallback; restored in afterAll (files share the server).
  await root.ok('/api/v1/admin/meta/branding-config/set', { BrandingConfig: { ...serverBefore, ...SERVER, LogoImage: '' } });
  own = await makeTenant('shell-brand');
  plain = await makeTenant('shell-plain');
  await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: own.adminName, Permissions: { AllowEditBranding: true } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  const root = await rootClient();
  await root.ok('/api/v1/admin/meta/branding-config/set', { BrandingConfig: serverBefore });
});

describe('admin/halley/branding/console', () => {
  it('answers every admin its organization\'s display branding, falling back to the server\'s, with no secrets', async () => {
    const root = await rootClient();
    // An admin without AllowEditBranding still reads it (the shell needs it); its organization has none: the server's.
    expect(await plain.admin.ok('/api/v1/admin/halley/branding/console')).toEqual({ Status: 200, Message: 'OK', ...SERVER, LogoHash: '' });
    expect(await root.ok('/api/v1/admin/halley/branding/console')).toMatchObject({ ...SERVER, LogoHash: '' });

    const form = new FormData();
    form.append('upload', new Blob([new Uint8Array(LOGO)]), 'logo.png');
    const up = await fetch(halleyUrl('/api/v1/admin/meta/resource/new'), {
      method: 'POST',
      body: form,
      headers: { 'X-Comet-Admin-Username': own.adminName, 'X-Comet-Admin-AuthType': 'Password', 'X-Comet-Admin-Password': own.admin.creds!.password! },
    });
    expect((await up.json()).ResourceHash).toBe(LOGO_HASH);
    // Only a BrandName (no ProductName): the organization's own name wins over the server's product name; the
    // colours it left empty come from the server.
    await own.admin.ok('/api/v1/admin/meta/branding-config/set', {
      BrandingConfig: { BrandName: 'Acme Backup', AccentColor: '#be185d', LogoImage: `resource://${LOGO_HASH}`, BrandingStyleType: 3, WindowsCodeSignPKCS12Password: 'pfx-secret-7' },
    });
    const mine = await own.admin.ok('/api/v1/admin/halley/branding/console');
    expect(mine).toEqual({ Status: 200, Message: 'OK', BrandName: 'Acme Backup', ProductName: 'Acme Backup', TopColor: SERVER.TopColor, AccentColor: '#be185d', LogoHash: LOGO_HASH });
    expect(JSON.stringify(mine)).not.toContain('pfx-secret-7');
    // The other organization still sees the server's; the top level is not changed by a tenant's branding.
    expect((await plain.admin.ok('/api/v1/admin/halley/branding/console')).ProductName).toBe(SERVER.ProductName);
    expect((await root.ok('/api/v1/admin/halley/branding/console')).ProductName).toBe(SERVER.ProductName);
  });

  it('serves the logo to its own organization\'s admins only; no logo answers like a missing resource', async () => {
    const got = await logo(own);
    expect(got.http).toBe(200);
    expect(got.type).toBe('image/png');
    expect(got.bytes.equals(LOGO)).toBe(true);
    const none = await logo(plain);
    expect(none.http).toBe(404);
    expect(JSON.parse(none.bytes.toString()).Status).toBe(404);
    // Bad credentials: refused like every admin endpoint.
    const bad = await fetch(halleyUrl('/api/v1/admin/halley/branding/console'), { method: 'POST', body: encodeForm({ username: own.adminName, password: 'Wrong-Horse-42' }, {}) });
    expect((await bad.json()).Status).toBe(403);
  });
});

describe('the console shell', () => {
  it('shows the branding edited in Settings → Branding at once, accessibly; another tenant keeps the server\'s', async () => {
    browser = await launchBrowser();
    const page = await newPage(browser);
    await signIn(page, halleyUrl(), own.adminName, own.admin.creds!.password!);
    await page.goto(halleyUrl('/settings/branding'));
    await expect.poll(() => page.getByTestId('shell-brand').innerText()).toBe('Acme Backup');
    expect(await page.getByTestId('shell-brand').locator('img').count()).toBe(1);
    expect(await page.title()).toMatch(/ · Acme Backup$/);

    // A light accent and a light header band: the shell must stay readable.
    await page.locator('input[name="productName"]').fill('Zephyr Desk');
    await page.locator('input[name="TopColor"]').fill('#fde68a');
    await page.locator('input[name="AccentColor"]').fill('#facc15');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByTestId('shell-brand').innerText()).toBe('Zephyr Desk');
    await expect.poll(() => page.title()).toMatch(/ · Zephyr Desk$/);
    const band = await page.getByTestId('shell-brand').evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]);
    expect(band).toEqual(['rgb(253, 230, 138)', 'rgb(17, 24, 39)']);
    const primary = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--primary').trim());
    expect(primary).toMatch(/^#[0-9a-f]{6}$/);
    expect(primary).not.toBe('#facc15'); // darkened until text in it reads on white
    await page.goto(halleyUrl('/users'));
    await expect.poll(() => page.getByTestId('shell-brand').innerText()).toBe('Zephyr Desk');
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'console-branding-tenant');
    expect(pageErrors(page)).toEqual([]);

    const other = await newPage(browser);
    await signIn(other, halleyUrl(), plain.adminName, plain.admin.creds!.password!);
    await other.goto(halleyUrl('/users'));
    await expect.poll(() => other.getByTestId('shell-brand').innerText()).toBe(SERVER.ProductName);
    expect(await other.title()).toMatch(/ · Orbital Console$/);
    await shot(other, 'console-branding-other-tenant');
  }, 180_000);
});
