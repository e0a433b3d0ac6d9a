// Browser journeys: Debian's Chromium driven by playwright-core (no browser download), screenshots in
// test-results/ (look at them), and the console's sign-in steps.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../../scripts/lib/services.mjs';

export const SHOTS = path.join(repoRoot, 'test-results');

export async function launchBrowser(): Promise<Browser> {
  fs.mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A new page in a fresh context (own cookies), failing the test on uncaught page errors. */
export async function newPage(browser: Browser, opts: { locale?: string } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: opts.locale ?? 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  uncaught.set(page, errors);
  return page;
}

const uncaught = new WeakMap<Page, string[]>();

/** Uncaught errors the page's scripts threw so far. */
export function pageErrors(page: Page): string[] {
  return uncaught.get(page) ?? [];
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Password step of the sign-in form; resolves once the browser has left /login (or the second step shows). */
export async function signInPassword(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signIn(page: Page, base: string, username: string, password: string): Promise<void> {
  await signInPassword(page, base, username, password);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/login'));
}
