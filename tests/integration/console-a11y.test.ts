// Console input, feedback, layout and accessibility (issue 20): axe-core over every console page (the list comes
// from app/(console)/**/page.tsx, so a new page is swept without editing this file), password errors next to the
// field in German, and the phone-width navigation drawer. Screenshots in test-results/console-a11y-*.png.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import de from '../../messages/de.json';
import { repoRoot } from '../../scripts/lib/services.mjs';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { ROOT, makeTenant, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { jobDetail, nowSeconds, seedJobs } from '../helpers/jobs';
import { sampleProfile } from '../helpers/sample-profile';
import { halleyUrl } from '../helpers/server';

const CONSOLE = path.join(repoRoot, 'app', '(console)');
const AXE = fs.readFileSync(path.join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** Every console route, as `/users/[username]`-style patterns, from the page files. */
function consoleRoutes(dir = CONSOLE, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...consoleRoutes(path.join(dir, entry.name), `${prefix}/${entry.name}`));
    else if (entry.name === 'page.tsx') out.push(prefix || '/');
  }
  return out.sort();
}

type Violation = { id: string; impact: string; help: string; nodes: Array<{ target: string[]; failureSummary?: string }> };

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.x A and AA rules). */
async function axeViolations(page: Page): Promise<Violation[]> {
  // page.evaluate runs through the DevTools protocol, so the console's nonce CSP does not block it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

let browser: Browser;
let tenant: TenantFixture;
const username = uniq('a11y-user');
let values: Record<string, string>;

beforeAll(async () => {
  browser = await launchBrowser();
  const root = await rootClient();
  tenant = await makeTenant('a11y');
  await tenant.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: username, ProfileData: sampleProfile(username) });
  const now = nowSeconds();
  const job = jobDetail(username, { Status: 7002, StartTime: now - 3600, EndTime: now - 3000 });
  await seedJobs([job, jobDetail(username, { StartTime: now - 90_000, EndTime: now - 89_000 })]);
  const policy = (await root.ok('/api/v1/admin/policies/new', { Policy: { Description: uniq('a11y-policy') } })).PolicyID as string;
  const group = (await root.ok('/api/v1/admin/user-groups/new', { Name: uniq('a11y-group') })).UserGroupID as string;
  // One server-level email report, so its preview page has something to render.
  const options = await root.ok('/api/v1/admin/meta/email-options/get');
  await root.ok('/api/v1/admin/meta/email-options/set', {
    EmailOptions: {
      ...options,
      EmailReportingOptions: [{ EmailReportConfig: { ReportType: 1, SummaryFrequency: [], Filter: { ClauseType: 'and', ClauseChildren: [] } }, LanguageCode: 'en_US', LocalTimezone: 'UTC', Recipients: ['ops@example.com'] }],
    },
  });
  values = { '[username]': encodeURIComponent(username), '[id]': '', jobs: job.GUID, policies: policy, groups: group, tenants: tenant.id };
});

afterAll(async () => {
  await browser?.close();
});

/** A concrete URL for a route pattern; fails on a dynamic segment this test does not know yet. */
function urlFor(route: string, vals: Record<string, string> = values): string {
  return route
    .split('/')
    .map((part, i, parts) => {
      if (part === '[username]') return vals['[username]'];
      if (part === '[id]') {
        const v = vals[parts[i - 1]];
        if (!v) throw new Error(`console-a11y: no value for ${route}; seed one in beforeAll`);
        return v;
      }
      if (part.startsWith('[')) throw new Error(`console-a11y: unknown dynamic segment ${part} in ${route}; seed one in beforeAll`);
      return part;
    })
    .join('/')
    .replace('/settings/email/preview', '/settings/email/preview?report=0');
}

// The two page walks run at once, each in its own browser context (page loads and axe runs overlap on two cores);
// each uses its own test's `expect`.
describe.concurrent('accessibility of every page', () => {
  it('axe-core finds no serious or critical violation on any console page', async ({ expect }) => {
    const page = await newPage(browser);
    await signIn(page, halleyUrl(), ROOT.username, ROOT.password);
    const routes = consoleRoutes();
    expect(routes.length).toBeGreaterThan(20);
    // Every tab of a user page and of a job page too (one route each, the tab in the query).
    const urls = routes.map((r) => urlFor(r));
    for (const tab of ['profile', 'devices', 'vaults', 'items', 'schedules', 'reports']) urls.push(`/users/${values['[username]']}?tab=${tab}`);
    for (const tab of ['details', 'log']) urls.push(`/jobs/${values.jobs}?tab=${tab}`);
    const found: string[] = [];
    for (const url of urls) {
      const res = await page.goto(halleyUrl(url), { waitUntil: 'load' });
      if (res?.status() !== 200) found.push(`${url}: HTTP ${res?.status()}`);
      await page.locator('main').waitFor();
      for (const v of await axeViolations(page)) {
        found.push(`${url}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join(' | ')}`);
      }
    }
    fs.writeFileSync(path.join(repoRoot, 'test-results', 'console-a11y-axe.txt'), found.join('\n'));
    await page.goto(halleyUrl('/users'));
    await shot(page, 'console-a11y-users');
    expect(found).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
  }, 600_000);

  it("axe-core finds none on the pages a tenant admin sees, nor in its open dialogs (add user, a vault editor)", async ({ expect }) => {
    const page = await newPage(browser);
    await signIn(page, halleyUrl(), tenant.adminName, (tenant.admin.creds as { password: string }).password);
    const tenantValues = { ...values, policies: (await tenant.admin.ok('/api/v1/admin/policies/new', { Policy: { Description: uniq('a11y-t-policy') } })).PolicyID as string, groups: (await tenant.admin.ok('/api/v1/admin/user-groups/new', { Name: uniq('a11y-t-group') })).UserGroupID as string };
    const urls = consoleRoutes().map((r) => urlFor(r, tenantValues));
    for (const tab of ['profile', 'devices', 'vaults', 'items', 'schedules', 'reports']) urls.push(`/users/${values['[username]']}?tab=${tab}`);
    const found: string[] = [];
    let seen = 0;
    for (const url of urls) {
      const res = await page.goto(halleyUrl(url), { waitUntil: 'load' });
      // The top level's pages (tenants, campaigns, server settings) answer a tenant admin 404.
      if (res?.status() === 404 && !url.startsWith('/settings/email/preview')) continue;
      seen++;
      await page.locator('main').first().waitFor();
      for (const v of await axeViolations(page)) found.push(`${url}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join(' | ')}`);
    }
    expect(seen).toBeGreaterThan(20);
    // Open dialogs: the add-user FormDialog and the vault editor.
    await page.goto(halleyUrl('/users?new=1'));
    await page.getByRole('dialog').waitFor();
    for (const v of await axeViolations(page)) found.push(`add-user dialog: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
    await page.goto(halleyUrl(`/users/${values['[username]']}?tab=vaults`));
    await page.locator('[data-entry="vault-s3"]').getByRole('button').first().click();
    await page.getByTestId('vault-editor').waitFor();
    for (const v of await axeViolations(page)) found.push(`vault editor: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
    await shot(page, 'console-a11y-tenant-vault-editor');
    expect(found).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
  }, 600_000);
});

describe('keyboard', () => {
  it('every sidebar link and the user menu are reachable by keyboard with a visible focus ring', async () => {
    const page = await newPage(browser);
    await signIn(page, halleyUrl(), ROOT.username, ROOT.password);
    await page.goto(halleyUrl('/'));
    const seen = new Set<string>();
    let outline = '';
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el) return null;
        const style = getComputedStyle(el);
        return { href: el.getAttribute('href'), testid: el.getAttribute('data-testid'), outline: `${style.outlineStyle} ${style.outlineWidth}`, shadow: style.boxShadow };
      });
      if (focused?.href) seen.add(focused.href);
      if (focused?.testid === 'user-menu') seen.add('user-menu');
      if (focused?.href === '/users') outline = focused.outline;
    }
    for (const href of ['/', '/users', '/devices', '/jobs', '/policies', '/tenants', '/settings', '/account', 'user-menu']) expect(seen, href).toContain(href);
    expect(outline).toMatch(/^solid [1-9]/);
  });
});

describe('validation errors in German, next to the field', () => {
  it('a too short password in the add-user dialog and an out-of-range policy on Settings → Security', async () => {
    const page = await newPage(browser);
    await signIn(page, halleyUrl(), ROOT.username, ROOT.password);
    // The language switcher's cookie (the sign-in page stays English so the shared sign-in helper finds its labels).
    await page.context().addCookies([{ name: 'halley-locale', value: 'de', url: halleyUrl() }]);
    await page.goto(halleyUrl('/users'));
    await page.getByRole('button', { name: de.users.add.button }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(de.users.add.username).fill(uniq('kurz'));
    const password = dialog.getByLabel(de.users.add.password, { exact: true });
    await password.waitFor();
    await password.fill('kurz');
    await dialog.getByRole('button', { name: de.users.add.submit }).click();
    const fieldError = dialog.locator('#field-error-password');
    await expect.poll(() => fieldError.textContent()).toBe('Das Passwort muss mindestens 8 Zeichen lang sein');
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    expect(await password.getAttribute('aria-describedby')).toBe('field-error-password');
    expect(await dialog.textContent()).not.toMatch(/TargetPassword|TargetUser/);
    await shot(page, 'console-a11y-de-password');
    // The next edit clears the message.
    await password.fill('kurz1');
    await expect.poll(() => fieldError.count()).toBe(0);
    expect(await password.getAttribute('aria-invalid')).toBeNull();
    await page.keyboard.press('Escape');

    page.on('dialog', (d) => void d.accept());
    await page.goto(halleyUrl('/settings'));
    const form = page.getByTestId('password-policy');
    await form.getByLabel(de.security.passwordPolicy.minLength).fill('0');
    await form.getByRole('button', { name: de.common.save }).click();
    await expect.poll(() => form.locator('#field-error-minLength').textContent()).toBe('Die Mindestlänge für Passwörter muss eine ganze Zahl von 1 bis 128 sein');
    await shot(page, 'console-a11y-de-policy');
    await form.getByLabel(de.security.passwordPolicy.minLength).fill('10');
    await form.getByRole('button', { name: de.common.save }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toBe(de.common.saved);
    expect(await (await rootClient()).ok('/api/v1/admin/meta/password-policy/get')).toEqual({ MinLength: 10, RejectCommon: true });
    await (await rootClient()).ok('/api/v1/admin/meta/password-policy/set', { MinLength: 8, RejectCommon: true });
    expect(pageErrors(page)).toEqual([]);
  }, 120_000);
});

describe('phone width', () => {
  it('below 768 px the sidebar is a drawer opened from the top bar', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
    const page = await context.newPage();
    await signIn(page, halleyUrl(), ROOT.username, ROOT.password);
    await page.goto(halleyUrl('/'));
    const mainNav = page.getByRole('navigation', { name: 'Main navigation' });
    await expect.poll(() => mainNav.count()).toBe(0);
    expect(await page.getByTestId('mobile-nav').isVisible()).toBe(true);
    // Nothing wider than the phone: no horizontal scrolling of the whole page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByTestId('mobile-nav').click();
    await mainNav.waitFor();
    await shot(page, 'console-a11y-phone-drawer');
    await mainNav.getByRole('link', { name: 'Users' }).click();
    await page.waitForURL((u) => u.pathname === '/users');
    await expect.poll(() => mainNav.count()).toBe(0);
    await shot(page, 'console-a11y-phone-users');
    await context.close();
  });
});
