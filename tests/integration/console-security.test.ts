// The console's edge (issue 12 items 6 and 8): sign-in redirects stay on the console's origin, every
// response carries the security headers, the nonce-based CSP lets the console work in Chromium without a
// single violation, and cookies are Secure when a trusted proxy says the browser came over HTTPS.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/services.mjs';
import { launchBrowser, newPage, pageErrors, shot } from '../helpers/browser';
import { ROOT, rootClient } from '../helpers/fixtures';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';
import { halleyUrl } from '../helpers/server';

/** Signs in through next-auth's credentials endpoint as the browser's form does; returns the cookies and next-auth's answer. */
async function consoleSignIn(base: string, opts: { headers?: Record<string, string>; callbackUrl?: string } = {}) {
  const headers = opts.headers ?? {};
  const csrf = await fetch(`${base}/api/auth/csrf`, { headers });
  const jar = new Map<string, string>();
  const setCookies: string[] = [];
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      setCookies.push(c);
      const [pair] = c.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: new URLSearchParams({ csrfToken, username: ROOT.username, password: ROOT.password, totp: '', webauthn: '', callbackUrl: opts.callbackUrl ?? '/', json: 'true' }),
  });
  keep(res);
  const answer = res.headers.get('content-type')?.includes('json') ? ((await res.json()) as { url?: string }) : {};
  return { cookie: cookie(), setCookies, url: answer.url, status: res.status };
}

const EVIL = '%2F%5Cevil.example%2Fpath'; // "/\evil.example/path", which browsers read as //evil.example/path

describe('sign-in redirects stay on the console origin', () => {
  it("the login page's 307 for a signed-in admin ignores a foreign callbackUrl", async () => {
    await rootClient();
    const { cookie } = await consoleSignIn(halleyUrl());
    expect(cookie).toMatch(/halley\.session=/);
    for (const cb of [EVIL, '%2F%2Fevil.example', 'https%3A%2F%2Fevil.example%2F', '%2F.%2F%2Fevil.example', '%09%2F%2Fevil.example', 'javascript%3Aalert(1)']) {
      const res = await fetch(halleyUrl(`/login?callbackUrl=${cb}`), { headers: { cookie }, redirect: 'manual' });
      expect(res.status, cb).toBe(307);
      expect(res.headers.get('location'), cb).toBe('/');
    }
    const fine = await fetch(halleyUrl('/login?callbackUrl=%2Fusers%3Fq%3Dbob'), { headers: { cookie }, redirect: 'manual' });
    expect(fine.headers.get('location')).toBe('/users?q=bob');
  });

  it("next-auth's own redirect after sign-in is same-origin", async () => {
    await rootClient();
    for (const cb of ['/\\evil.example/path', '//evil.example', 'https://evil.example/x']) {
      const { url } = await consoleSignIn(halleyUrl(), { callbackUrl: cb });
      expect(url, cb).toBe(`${halleyUrl()}/`);
    }
    expect((await consoleSignIn(halleyUrl(), { callbackUrl: '/devices' })).url).toBe(`${halleyUrl()}/devices`);
  });
});

describe('security headers', () => {
  it('console pages carry a per-request nonce CSP that Next puts on its scripts, and the static headers', async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const res = await fetch(halleyUrl('/login'));
      const csp = res.headers.get('content-security-policy') ?? '';
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce, csp).toBeTruthy();
      nonces.add(nonce!);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('strict-transport-security')).toBeNull();
      const html = await res.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(2);
  });

  it('assets, refusals and API answers are nosniff too', async () => {
    const html = await (await fetch(halleyUrl('/login'))).text();
    const asset = /\/_next\/static\/[^"]+\.js/.exec(html)![0];
    const a = await fetch(halleyUrl(asset));
    expect(a.status).toBe(200);
    expect(a.headers.get('x-content-type-options')).toBe('nosniff');
    expect(a.headers.get('x-frame-options')).toBe('DENY');
    const api = await fetch(halleyUrl('/api/v1/admin/list-users'), { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    const refused = await fetch(halleyUrl('/'), { method: 'POST', body: '[]', headers: { origin: 'http://evil.example', 'next-action': 'x' } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('a forwarded X-Forwarded-Proto from an untrusted client changes nothing', async () => {
    await rootClient();
    const res = await fetch(halleyUrl('/login'), { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('strict-transport-security')).toBeNull();
    const { setCookies } = await consoleSignIn(halleyUrl(), { headers: { 'x-forwarded-proto': 'https' } });
    const session = setCookies.find((c) => c.startsWith('halley.session='));
    expect(session).toBeTruthy();
    expect(session).not.toMatch(/;\s*Secure/i);
  });
});

describe('behind a trusted proxy that terminates HTTPS', () => {
  let proxied: HalleyProcess;
  beforeAll(async () => {
    await rootClient();
    proxied = await startHalley({
      name: 'web-behind-proxy',
      logDir: process.env.HALLEY_TEST_SERVICES_DIR ?? path.join(repoRoot, '.test-services'),
      env: { HALLEY_TRUST_X_FORWARDED_FOR: '1' },
    });
  }, 180_000);
  afterAll(async () => {
    await proxied?.stop();
  });

  it('cookies are Secure, HSTS is sent and the CSP upgrades insecure requests', async () => {
    const https = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '192.0.2.10' };
    const page = await fetch(`${proxied.url}/login`, { headers: https });
    expect(page.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    expect(page.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    const { setCookies, cookie } = await consoleSignIn(proxied.url, { headers: https });
    expect(cookie).toMatch(/halley\.session=/);
    expect(setCookies.length).toBeGreaterThan(1);
    for (const c of setCookies) expect(c, c).toMatch(/;\s*Secure/i);
    // Plain HTTP through the same proxy: no Secure flag (the browser would drop such cookies otherwise).
    const plain = await consoleSignIn(proxied.url, { headers: { 'x-forwarded-proto': 'http', 'x-forwarded-for': '192.0.2.10' } });
    expect(plain.setCookies.find((c) => c.startsWith('halley.session='))).not.toMatch(/;\s*Secure/i);
  });

  it("a server action's Origin is compared with the forwarded host, as Next does", async () => {
    const action = { 'content-type': 'text/plain;charset=UTF-8', 'next-action': '7f00000000000000000000000000000000000000aa' };
    const proxiedHost = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'console.example' };
    const ok = await fetch(`${proxied.url}/`, { method: 'POST', body: '[]', headers: { ...action, ...proxiedHost, origin: 'https://console.example' } });
    expect(ok.status).not.toBe(403);
    const bad = await fetch(`${proxied.url}/`, { method: 'POST', body: '[]', headers: { ...action, ...proxiedHost, origin: proxied.url } });
    expect(bad.status).toBe(403);
  });
});

describe('the console in Chromium under the CSP', () => {
  let browser: Browser;
  let page: Page;
  const violations: string[] = [];
  beforeAll(async () => {
    await rootClient();
    browser = await launchBrowser();
    page = await newPage(browser);
    // Collected in the page (the init script runs outside the page's CSP) and from the console.
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    page.on('console', (m) => {
      if (/Content Security Policy|CSP violation/i.test(m.text())) violations.push(m.text());
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('signs in from a /login link with a foreign callbackUrl and lands on the console, not the other host', async () => {
    const base = halleyUrl();
    await page.goto(`${base}/login?callbackUrl=${EVIL}`);
    await page.getByLabel('Username').fill(ROOT.username);
    await page.getByLabel('Password').fill(ROOT.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    expect(new URL(page.url()).origin).toBe(base);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
  });

  it('the dashboard, users and a dialog run without a CSP violation', async () => {
    const base = halleyUrl();
    await page.goto(`${base}/users`);
    await page.getByRole('button', { name: 'Add user' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await shot(page, 'csp-users-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.goto(`${base}/login`);
    // Signed in: the login page sends the admin on to the console.
    await page.waitForURL(`${base}/`);
    expect(violations).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
    // The detector itself works: an image from another origin is a violation (img-src 'self').
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = 'http://192.0.2.1/probe.png';
      document.body.append(img);
    });
    await expect.poll(() => violations.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(violations.join('\n')).toMatch(/img-src/);
  });
});
