// Issue 20, the console's last words: the vault, protected item and schedule editors opened in German and Hebrew
// (no key fallbacks, no API vocabulary, nothing wider than the dialog, right to left in Hebrew); a German walk over
// EVERY console page (from app/(console)/**/page.tsx, plus each tab of a user page, a job page and a device list)
// looking for raw enum names and untranslated keys, the same walk by a reseller's tenant admin (the top level's pages
// answer it 404 and are not linked), and in Hebrew (right to left, sizes and ranges not flipped by the bidi algorithm, nothing
// wider than the window); the unsaved-changes warning on the shared quota and storage template dialogs.
// Screenshots: test-results/sweep-*.png (sweep-he-<page>.png for each page of the Hebrew walk).
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import de from '@/messages/de.json';
import en from '@/messages/en.json';
import { DESTINATIONTYPE, ENGINE_BUILTIN, RetentionRangeType } from '@/lib/comet/constants';
import { LOCALE_COOKIE } from '@/lib/i18n/locales';
import { repoRoot } from '../../scripts/lib/services.mjs';
import { launchBrowser, newPage, pageErrors, SHOTS, shot, signIn } from '../helpers/browser';
import { ROOT, makeTenant, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { jobDetail, nowSeconds, seedJobs } from '../helpers/jobs';
import { sampleProfile } from '../helpers/sample-profile';
import { halleyUrl } from '../helpers/server';

const CONSOLE = path.join(repoRoot, 'app', '(console)');

/** Every message key path ("jobs.fields.status"): one on screen means a translation fell back to its key. */
const KEY_PATHS: string[] = [];
(function walk(node: unknown, prefix: string) {
  if (typeof node === 'string') KEY_PATHS.push(prefix);
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
})(en, '');

/** Comet's constant names, search operators, raw field paths and engine ids: API vocabulary, never UI text. */
const API_VOCABULARY =
  /\b(DESTINATIONTYPE|ENGINE_BUILTIN|JOB_STATUS|JOB_CLASSIFICATION|SEARCHOPERATOR|SEVT|SCHEDULE_FREQUENCY|RETENTIONRANGE|RETENTIONMODE|BRANDINGSTYLETYPE|PSA_TYPE|STOREDOBJECTTYPE|OS_|MSSQL_METHOD|UNIX_FEATURE|SETTING)_[A-Z0-9_]+|BackupJobDetail\.|Halley\.[A-Z]|\bengine1\/[a-z]|\b(str|int|bool)_(eq|neq|contains|is|gt|lt)\b/;

/**
 * Comet's constant names with their prefix cut off ("SYSTEMSTATE", "MOST_RECENT_X_JOBS"), as a picker that falls back
 * to the name shows them. Short ones that are also real words or product names (S3, SFTP, SMB, FILE) are left out.
 */
const BARE_NAMES = new RegExp(
  `\\b(${[
    ...Object.keys(ENGINE_BUILTIN).map((k) => k.replace('ENGINE_BUILTIN_', '')),
    ...Object.keys(DESTINATIONTYPE).map((k) => k.replace('DESTINATIONTYPE_', '')),
    ...Object.keys(RetentionRangeType).map((k) => k.replace('RETENTIONRANGE_', '')),
  ]
    .filter((n) => /^[A-Z][A-Z0-9_]{6,}$/.test(n))
    .join('|')})\\b`,
);

let browser: Browser;
let username: string;
let jobId: string;
let tenant: TenantFixture;
let values: Record<string, string>;
// The reseller's own: a user with jobs, a policy and a group made by its admin.
let tenantUser: string;
let tenantJobId: string;
let tenantValues: Record<string, string>;

beforeAll(async () => {
  browser = await launchBrowser();
  const root = await rootClient();
  username = uniq('sweep');
  tenant = await makeTenant('sweep');
  await root.ok('/api/v1/admin/add-user-from-profile', { TargetUser: username, ProfileData: sampleProfile(username) });
  const now = nowSeconds();
  const failed = jobDetail(username, { Status: 7002, StartTime: now - 86400, EndTime: now - 86400 + 300, UploadSize: 5_000_000 });
  jobId = failed.GUID;
  await seedJobs([failed, jobDetail(username, { StartTime: now - 2 * 86400, EndTime: now - 2 * 86400 + 60 })]);
  const policy = (await root.ok('/api/v1/admin/policies/new', { Policy: { Description: uniq('sweep-policy') } })).PolicyID as string;
  const group = (await root.ok('/api/v1/admin/user-groups/new', { Name: uniq('sweep-group') })).UserGroupID as string;
  values = { jobs: jobId, policies: policy, groups: group, tenants: tenant.id };
  tenantUser = uniq('sweep-t');
  await tenant.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: tenantUser, ProfileData: sampleProfile(tenantUser) });
  const tenantFailed = jobDetail(tenantUser, { Status: 7002, StartTime: now - 3600, EndTime: now - 3000, UploadSize: 1_000_000 });
  tenantJobId = tenantFailed.GUID;
  await seedJobs([tenantFailed, jobDetail(tenantUser, { StartTime: now - 90_000, EndTime: now - 89_000 })]);
  tenantValues = {
    jobs: tenantJobId,
    policies: (await tenant.admin.ok('/api/v1/admin/policies/new', { Policy: { Description: uniq('sweep-t-policy') } })).PolicyID as string,
    groups: (await tenant.admin.ok('/api/v1/admin/user-groups/new', { Name: uniq('sweep-t-group') })).UserGroupID as string,
    // Its own organization's page is the top level's (tenants are managed from there): it must answer 404.
    tenants: tenant.id,
  };
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

async function pageIn(locale: 'en' | 'de' | 'he', who: { username: string; password: string } = ROOT): Promise<{ page: Page; missing: string[] }> {
  const page = await newPage(browser);
  const missing: string[] = [];
  page.on('console', (m) => {
    if (/MISSING_MESSAGE|INSUFFICIENT_PATH|Could not resolve/.test(m.text())) missing.push(m.text().slice(0, 200));
  });
  await signIn(page, halleyUrl(), who.username, who.password);
  if (locale !== 'en') await page.context().addCookies([{ name: LOCALE_COOKIE, value: locale, url: halleyUrl('/') }]);
  return { page, missing };
}

/** Problems in a piece of the page's text: message keys and API vocabulary. */
function textProblems(text: string): string[] {
  const found: string[] = [];
  const keys = KEY_PATHS.filter((k) => k.includes('.') && text.includes(k));
  if (keys.length) found.push(`message keys on screen: ${keys.slice(0, 5).join(', ')}`);
  const vocab = API_VOCABULARY.exec(text);
  if (vocab) found.push(`API vocabulary on screen: …${text.slice(Math.max(0, vocab.index - 40), vocab.index + 40).replace(/\s+/g, ' ')}…`);
  const bare = BARE_NAMES.exec(text);
  if (bare) found.push(`a constant's name on screen: …${text.slice(Math.max(0, bare.index - 40), bare.index + 40).replace(/\s+/g, ' ')}…`);
  return found;
}

describe('backup configuration editors in German and Hebrew', () => {
  for (const locale of ['de', 'he'] as const) {
    it(`opens the vault, protected item and schedule editors in ${locale}`, async () => {
      const { page, missing } = await pageIn(locale);
      const problems: Record<string, string[]> = {};
      const editors: Array<[tab: string, entry: string, testId: string]> = [
        ['vaults', 'vault-s3', 'vault-editor'],
        ['vaults', 'vault-sftp', 'vault-editor'],
        ['items', 'item-files', 'item-editor'],
        ['items', 'item-sql', 'item-editor'],
        ['schedules', 'rule-nightly', 'rule-editor'],
      ];
      for (const [tab, entry, testId] of editors) {
        await page.goto(halleyUrl(`/users/${encodeURIComponent(username)}?tab=${tab}`));
        await page.waitForLoadState('networkidle');
        await page.locator(`[data-entry="${entry}"]`).getByRole('button').first().click();
        const dialog = page.getByRole('dialog');
        await dialog.getByTestId(testId).waitFor();
        const found = textProblems(await dialog.innerText());
        // Nothing in the dialog is wider than the dialog (labels wrap, selects fit).
        const overflow = await dialog.evaluate((el) => {
          const box = el.getBoundingClientRect();
          return [...el.querySelectorAll('*')]
            .filter((c) => {
              const r = c.getBoundingClientRect();
              return r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1);
            })
            .slice(0, 3)
            .map((c) => `${c.tagName.toLowerCase()}${c.getAttribute('name') ? `[name=${c.getAttribute('name')}]` : ''}`);
        });
        if (overflow.length) found.push(`wider than the dialog: ${overflow.join(', ')}`);
        const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (pageOverflow > 1) found.push(`page wider than the window by ${pageOverflow}px`);
        if (locale === 'he') expect(await dialog.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
        else expect(await page.locator('html').getAttribute('lang')).toBe('de');
        await shot(page, `sweep-${locale}-${entry}`);
        if (found.length) problems[entry] = found;
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached' });
      }
      if (missing.length) problems.console = missing;
      expect(problems).toEqual({});
      expect(pageErrors(page)).toEqual([]);
    }, 240_000);
  }
});

/** Every console route, as `/users/[username]`-style patterns, from the page files. */
function consoleRoutes(dir = CONSOLE, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...consoleRoutes(path.join(dir, entry.name), `${prefix}/${entry.name}`));
    else if (entry.name === 'page.tsx') out.push(prefix || '/');
  }
  return out.sort();
}

function urlFor(route: string, v: { username: string; values?: Record<string, string> }): string {
  return route
    .split('/')
    .map((part, i, parts) => {
      if (part === '[username]') return encodeURIComponent(v.username);
      if (part === '[id]') {
        const v2 = (v.values ?? values)[parts[i - 1]];
        if (!v2) throw new Error(`console-sweep: no value for ${route}; seed one in beforeAll`);
        return v2;
      }
      if (part.startsWith('[')) throw new Error(`console-sweep: unknown dynamic segment ${part} in ${route}`);
      return part;
    })
    .join('/')
    .replace('/settings/email/preview', '/settings/email/preview?report=0');
}

/** What the sweep still finds and nobody has fixed yet, per page (a pattern of the problem text): this list may only shrink. */
const KNOWN: Record<string, RegExp> = {};

/** The pages of a walk: every console route, each tab of a user page and of a job page. */
function sweepUrls(v: { username: string; jobId: string; values?: Record<string, string> }): string[] {
  const urls = consoleRoutes().map((r) => urlFor(r, v));
  for (const tab of ['profile', 'devices', 'vaults', 'items', 'schedules', 'reports']) urls.push(`/users/${encodeURIComponent(v.username)}?tab=${tab}`);
  for (const tab of ['details', 'log']) urls.push(`/jobs/${v.jobId}?tab=${tab}`);
  return urls;
}

type Walk = { problems: Record<string, string[]>; hidden: string[]; links: Set<string>; seen: string[] };

/**
 * Opens each url and collects what is wrong on it: message keys and API vocabulary in the text and the form
 * controls; with `rtl`, a document that is not right to left; with `overflow`, a page wider than the window.
 * A page answering 404 is listed in `hidden` (the caller decides whether the admin should have seen it); the
 * navigation links of every page visited are gathered in `links`.
 */
async function walk(page: Page, urls: string[], opts: { rtl?: boolean; overflow?: boolean; shots?: string }): Promise<Walk> {
  const out: Walk = { problems: {}, hidden: [], links: new Set(), seen: [] };
  for (const url of urls) {
    // A generous load time: the walk runs on a busy 2-core machine (30 s timed out once under load).
    const res = await page.goto(halleyUrl(url), { waitUntil: 'load', timeout: 90_000 });
    const status = res?.status();
    if (status === 404 && !url.startsWith('/settings/email/preview')) {
      out.hidden.push(url);
      continue;
    }
    // The email preview needs a configured report (none here): its "not found" page is scanned like the rest.
    if (status !== 200 && !url.startsWith('/settings/email/preview')) (out.problems[url] ??= []).push(`HTTP ${status}`);
    await page.locator('main').first().waitFor();
    await page.waitForLoadState('networkidle');
    out.seen.push(url);
    const found = textProblems(await page.locator('body').innerText());
    // Values of the visible form controls and select options count too (a raw enum can hide in a picker).
    const controls = await page.evaluate(() => [...document.querySelectorAll('main option, main input:not([type=hidden]):not([type=password])')].map((e) => (e instanceof HTMLOptionElement ? e.text : (e as HTMLInputElement).value)).join('\n'));
    found.push(...textProblems(controls).map((p) => `in a form control: ${p}`));
    if (opts.rtl) {
      const dir = await page.evaluate(() => [document.documentElement.getAttribute('dir'), getComputedStyle(document.querySelector('main')!).direction].join(' '));
      if (dir !== 'rtl rtl') found.push(`not right to left (html dir, main direction: ${dir})`);
      // Left-to-right pieces stay left to right on screen: sizes ("100 GiB", not the bidi algorithm's "GiB 100")
      // and ranges ("1–4 of 4", not "4–1").
      const flipped = await page.evaluate(() => {
        const bad: string[] = [];
        const walker = document.createTreeWalker(document.querySelector('main')!, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n && bad.length < 3; n = walker.nextNode()) {
          for (const re of [/(\d[\d.,]*)\s(B|KiB|MiB|GiB|TiB|PiB)\b/g, /(\d+)–(\d+)/g]) {
            for (let m = re.exec(n.textContent ?? ''); m; m = re.exec(n.textContent ?? '')) {
              const first = document.createRange();
              first.setStart(n, m.index);
              first.setEnd(n, m.index + m[1].length);
              const second = document.createRange();
              second.setStart(n, m.index + m[0].length - m[2].length);
              second.setEnd(n, m.index + m[0].length);
              const a = first.getBoundingClientRect();
              const b = second.getBoundingClientRect();
              if (a.width && b.width && Math.abs(a.top - b.top) < 4 && a.left > b.left) bad.push(m[0]);
            }
          }
        }
        return bad;
      });
      if (flipped.length) found.push(`shown right to left: ${flipped.join(', ')}`);
    }
    if (opts.overflow) {
      const wide = await page.evaluate(() => {
        const over = document.documentElement.scrollWidth - document.documentElement.clientWidth;
        if (over <= 1) return null;
        // The widest offenders outside any scroll container, to name in the failure.
        const vw = document.documentElement.clientWidth;
        const culprits = [...document.querySelectorAll('main *, nav *, header *')]
          .filter((el) => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && (r.right > vw + 1 || r.left < -1);
          })
          .slice(0, 3)
          .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 3).join('.')}`);
        return `${over}px (${culprits.join(', ')})`;
      });
      if (wide) found.push(`page wider than the window by ${wide}`);
    }
    for (const href of await page.locator('nav a[href]').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname))) out.links.add(href);
    const left = found.filter((f) => !KNOWN[url]?.test(f));
    if (left.length) out.problems[url] = left;
    if (opts.shots) await page.screenshot({ path: path.join(SHOTS, `${opts.shots}${url.replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '') || '-overview'}.png`) });
  }
  return out;
}

// The three walks run at once, each in its own browser context: most of a walk is waiting for pages to settle
// (networkidle), so together they take little longer than the longest one. Each uses its own test's `expect`.
describe.concurrent('every console page', () => {
  it('shows no raw enum name and no untranslated key anywhere (German, top-level admin)', async ({ expect }) => {
    const { page, missing } = await pageIn('de');
    const urls = sweepUrls({ username, jobId });
    expect(urls.length).toBeGreaterThan(35);
    const { problems, hidden } = await walk(page, urls, {});
    // The top level sees every page.
    for (const url of hidden) (problems[url] ??= []).push('HTTP 404');
    await page.goto(halleyUrl('/'));
    await shot(page, 'sweep-de-overview');
    if (missing.length) problems.console = missing;
    expect(problems).toEqual({});
  }, 600_000);

  it("a reseller's tenant admin walks every page it can see (German): nothing raw, nothing linked that answers 404", async ({ expect }) => {
    const { page, missing } = await pageIn('de', { username: tenant.adminName, password: (tenant.admin.creds as { password: string }).password });
    const urls = sweepUrls({ username: tenantUser, jobId: tenantJobId, values: tenantValues });
    const { problems, hidden, links, seen } = await walk(page, urls, { overflow: true });
    // What a tenant admin sees: its users, devices, jobs, policies, groups, billing, settings tabs of its own.
    for (const url of ['/', '/users', `/users/${encodeURIComponent(tenantUser)}?tab=vaults`, '/devices', '/jobs', `/jobs/${tenantJobId}?tab=log`, '/policies', `/policies/${tenantValues.policies}`, '/groups', `/groups/${tenantValues.groups}`, '/billing', '/settings/integrations', '/settings/events', '/settings/quotas', '/account', '/clients']) {
      expect(seen, url).toContain(url);
    }
    // ... and not the top level's pages; none of those is linked from its navigation.
    for (const url of ['/tenants', '/campaigns', '/admins', '/settings/self-backup', '/settings/logs', '/settings/server']) expect(hidden, url).toContain(url);
    for (const url of hidden) if (links.has(url.split('?')[0])) (problems[url] ??= []).push('linked from the navigation, but answers 404');
    await page.goto(halleyUrl('/'));
    await shot(page, 'sweep-de-tenant-overview');
    if (missing.length) problems.console = missing;
    expect(problems).toEqual({});
    expect(pageErrors(page)).toEqual([]);
  }, 600_000);

  it('every page in Hebrew: right to left, sizes and ranges left to right, no key, no API vocabulary, nothing wider than the window', async ({ expect }) => {
    const { page, missing } = await pageIn('he');
    const { problems, hidden } = await walk(page, sweepUrls({ username, jobId }), { rtl: true, overflow: true, shots: 'sweep-he' });
    for (const url of hidden) (problems[url] ??= []).push('HTTP 404');
    if (missing.length) problems.console = missing;
    expect(problems).toEqual({});
    expect(pageErrors(page)).toEqual([]);
  }, 600_000);
});

describe('unsaved changes in dialogs', () => {
  async function withDialogs(page: Page): Promise<Dialog[]> {
    const seen: Dialog[] = [];
    page.on('dialog', (d) => {
      seen.push(d);
      // The first question is answered "stay", the next ones "leave".
      void (seen.length === 1 ? d.dismiss() : d.accept());
    });
    return seen;
  }

  it('asks before a shared quota or a storage template being typed is thrown away', async () => {
    const { page } = await pageIn('en');
    // Shared quotas: a new quota with an id typed in.
    await page.goto(halleyUrl('/settings/quotas'));
    let asked = await withDialogs(page);
    await page.getByRole('button', { name: en.sharedQuotas.new }).click();
    const quota = page.getByTestId('quota-dialog');
    await quota.locator('input[name="id"]').fill(uniq('q'));
    await page.keyboard.press('Escape');
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0].message()).toBe(en.validation.discardChanges);
    expect(await quota.isVisible()).toBe(true); // "stay": the typed id is still there
    await page.getByRole('dialog').getByRole('button', { name: en.common.cancel }).click();
    await expect.poll(() => asked.length).toBe(2);
    await quota.waitFor({ state: 'detached' });

    // Storage templates: an edit, then a reload asks the browser's own question (beforeunload).
    page.removeAllListeners('dialog');
    asked = await withDialogs(page);
    await page.goto(halleyUrl('/settings/storage'));
    await page.getByTestId('storage-add').click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('input[name="Description"]').fill('Typed, not saved');
    await page.keyboard.press('Escape');
    await expect.poll(() => asked.length).toBe(1);
    expect(await dialog.locator('input[name="Description"]').inputValue()).toBe('Typed, not saved');
    await shot(page, 'sweep-unsaved-template');
    const unload = page.waitForEvent('dialog', (d) => d.type() === 'beforeunload');
    void page.reload().catch(() => undefined);
    await unload;
  }, 120_000);
});

// German strings used by name in this file exist (a renamed key fails here, not as a confusing timeout).
it('knows the strings it looks for', () => {
  expect(typeof de.validation.discardChanges).toBe('string');
});
