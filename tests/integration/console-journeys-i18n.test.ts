// The console walked in German and in Hebrew by a top-level admin: overview, users, a user, job history with a
// query, campaigns, billing and the settings tabs. On every page: no message-key fallback, no API vocabulary
// (raw enum names, BackupJobDetail.* fields), nothing wider than the window, Hebrew laid out right to left.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '@/messages/en.json';
import { encodeSearch, failedBackupsLastDays } from '@/lib/adapters/console/job-search-url';
import { LOCALE_COOKIE } from '@/lib/i18n/locales';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { rootClient, ROOT, uniq } from '../helpers/fixtures';
import { jobDetail, nowSeconds, seedJobs } from '../helpers/jobs';
import { sampleProfile } from '../helpers/sample-profile';
import { halleyUrl } from '../helpers/server';

let browser: Browser;
let username: string;

/** Every message key path ("jobs.fields.status"): one on screen means a translation fell back to its key. */
const KEY_PATHS: string[] = [];
(function walk(node: unknown, prefix: string) {
  if (typeof node === 'string') KEY_PATHS.push(prefix);
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
})(en, '');

const API_VOCABULARY = /DESTINATIONTYPE_|JOB_STATUS_|JOB_CLASSIFICATION_|SEARCHOPERATOR_|BackupJobDetail\.|Halley\.[A-Z]|\b(str|int|bool)_(eq|neq|contains|is|gt|lt)\b/;

beforeAll(async () => {
  browser = await launchBrowser();
  const root = await rootClient();
  username = uniq('journey');
  await root.ok('/api/v1/admin/add-user-from-profile', { TargetUser: username, ProfileData: sampleProfile(username) });
  const now = nowSeconds();
  await seedJobs([
    jobDetail(username, { Status: 7002, StartTime: now - 86400, EndTime: now - 86400 + 300, UploadSize: 5_000_000 }),
    jobDetail(username, { StartTime: now - 2 * 86400, EndTime: now - 2 * 86400 + 60 }),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

async function pageIn(locale: 'de' | 'he'): Promise<{ page: Page; missing: string[] }> {
  const page = await newPage(browser);
  const missing: string[] = [];
  page.on('console', (m) => {
    if (/MISSING_MESSAGE|INSUFFICIENT_PATH|Could not resolve/.test(m.text())) missing.push(m.text().slice(0, 200));
  });
  // Signed in through the English form (the helper's labels), then the console switches language.
  await signIn(page, halleyUrl(), ROOT.username, ROOT.password);
  await page.context().addCookies([{ name: LOCALE_COOKIE, value: locale, url: halleyUrl('/') }]);
  return { page, missing };
}

const PAGES: Array<[string, () => string]> = [
  ['overview', () => '/'],
  ['users', () => '/users'],
  ['user', () => `/users/${encodeURIComponent(username)}`],
  ['jobs-query', () => `/jobs?q=${encodeSearch(failedBackupsLastDays(7))}`],
  ['campaigns', () => '/campaigns'],
  ['billing', () => '/billing'],
  ['settings-storage', () => '/settings/storage'],
  ['settings-quotas', () => '/settings/quotas'],
  ['settings-constellation', () => '/settings/constellation'],
  ['settings-branding', () => '/settings/branding'],
  ['settings-self-backup', () => '/settings/self-backup'],
  ['settings-server', () => '/settings/server'],
];

async function walk(locale: 'de' | 'he', checkPage: (page: Page, name: string) => Promise<void>): Promise<Record<string, string[]>> {
  const { page, missing } = await pageIn(locale);
  const problems: Record<string, string[]> = {};
  for (const [name, href] of PAGES) {
    await page.goto(halleyUrl(href()));
    await page.locator('main h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    const text = await page.locator('body').innerText();
    const found: string[] = [];
    const keys = KEY_PATHS.filter((k) => k.includes('.') && text.includes(k));
    if (keys.length) found.push(`message keys on screen: ${keys.slice(0, 5).join(', ')}`);
    const vocab = API_VOCABULARY.exec(text);
    if (vocab) found.push(`API vocabulary on screen: ${text.slice(Math.max(0, vocab.index - 40), vocab.index + 40)}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 1) found.push(`page wider than the window by ${overflow}px`);
    await checkPage(page, name);
    await shot(page, `journey-${locale}-${name}`);
    if (found.length) problems[name] = found;
  }
  if (missing.length) problems.console = missing;
  expect(pageErrors(page)).toEqual([]);
  return problems;
}

describe('console journeys', () => {
  it('walks the console in German', async () => {
    const problems = await walk('de', async (page, name) => {
      expect(await page.locator('html').getAttribute('lang')).toBe('de');
      if (name === 'jobs-query') {
        // The search reads as German words, not field names.
        await expect.poll(() => page.getByTestId('query-summary').textContent()).toBe('Aufträge: Art ist Backup, Fehlgeschlagen, Start weniger als 1 Woche her');
        expect(await page.getByTestId('query-rule').first().getByLabel('Feld').locator('option:checked').textContent()).toBe('Art');
      }
    });
    expect(problems).toEqual({});
  }, 240_000);

  it('walks the console in Hebrew, right to left', async () => {
    const problems = await walk('he', async (page, name) => {
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      // Right to left: the sidebar hugs the right edge of the window.
      const nav = (await page.getByRole('navigation', { name: 'ניווט ראשי' }).boundingBox())!;
      expect(nav.x + nav.width).toBeGreaterThan(page.viewportSize()!.width - 20);
      if (name === 'jobs-query') await expect.poll(() => page.getByTestId('query-summary').textContent()).toMatch(/^משימות: סוג/);
    });
    expect(problems).toEqual({});
  }, 240_000);
});
