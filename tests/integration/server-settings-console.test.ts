// Settings → Server (issue 17) in a browser: the server-wide settings no other page owns are edited with
// field errors in the UI language (English and German), saved through server-config/set; the links to the
// pages that own the rest; unsaved edits ask before leaving; the raw configuration editor shows the whole
// ServerConfigOptions with secrets blank, refuses what is not JSON, shows the server's refusal, and saves
// an edit while the stored secrets stay.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { LOCALE_COOKIE } from '@/lib/i18n/locales';
import { unsealJson } from '../../lib/secrets';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import type { CometClient } from '../helpers/comet-client';
import { ROOT, rootClient } from '../helpers/fixtures';
import { halleyUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

let browser: Browser;
let root: CometClient;
let before: Record<string, any>;
let db: pg.Client;

/** Browser journeys: generous on a busy 2-core machine. */
const JOURNEY_MS = 300_000;

const getConfig = () => root.ok('/api/v1/admin/meta/server-config/get');

beforeAll(async () => {
  root = await rootClient();
  before = await getConfig();
  db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (before) await root.ok('/api/v1/admin/meta/server-config/set', { Config: before });
  await db?.end();
});

async function openServerPage(locale?: 'de'): Promise<Page> {
  const page = await newPage(browser);
  page.setDefaultTimeout(90_000); // a busy machine: the first render of a page can take a while
  await signIn(page, halleyUrl(), ROOT.username, ROOT.password);
  if (locale) await page.context().addCookies([{ name: LOCALE_COOKIE, value: locale, url: halleyUrl('/') }]);
  await page.goto(halleyUrl('/settings/server'));
  return page;
}

describe('Settings → Server', () => {
  it('edits the server settings with field errors, and links to the pages that own the rest', async () => {
    const page = await openServerPage();
    await page.getByRole('heading', { name: 'Server settings', exact: true }).waitFor();
    const links = page.getByTestId('server-config-links');
    for (const name of ['Security', 'Email', 'Integrations', 'Branding', 'Constellation', 'Self-backup', 'Storage templates']) {
      await links.getByRole('link', { name }).waitFor();
    }
    expect(await links.getByRole('link', { name: 'Email' }).getAttribute('href')).toBe('/settings/email');

    const form = page.getByTestId('server-settings');
    await form.getByLabel('Keep server logs (days)').fill('0');
    await form.getByRole('button', { name: 'Save' }).click();
    const retentionError = form.getByText('Enter a whole number of days from 1 to 3650.');
    await retentionError.waitFor();
    expect(await form.getByLabel('Keep server logs (days)').getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'server-settings-field-error');

    await form.getByLabel('Keep server logs (days)').fill('14');
    await form.getByLabel('Session timeout (minutes)').fill('5');
    await form.getByLabel('License email').fill('not-an-address');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Enter an email address, or leave it empty.').waitFor();
    expect(await retentionError.count()).toBe(0);

    await form.getByLabel('License email').fill('licences@example.test');
    await form.getByLabel('License serial number').fill('SN-0007');
    await form.getByLabel('Session timeout (minutes)').fill('90');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('status').getByText('Saved. Every node applies it within seconds.').waitFor();
    const saved = await getConfig();
    expect(saved.SessionSettings).toEqual({ ExpiredInSeconds: 5400 });
    expect(saved.HalleyServerLogs).toEqual({ RetentionDays: 14 });
    expect(saved.License).toEqual({ Email: 'licences@example.test', SerialNumber: 'SN-0007' });

    // After a reload the form shows what is stored.
    await page.reload();
    expect(await page.getByTestId('server-settings').getByLabel('Session timeout (minutes)').inputValue()).toBe('90');
    expect(await page.getByTestId('server-settings').getByLabel('Keep server logs (days)').inputValue()).toBe('14');

    // Unsaved edits: leaving through a console link asks first; dismissing stays on the page.
    await page.getByTestId('server-settings').getByLabel('Keep server logs (days)').fill('21');
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.getByTestId('server-config-links').getByRole('link', { name: 'Email' }).click();
    await waitFor('the unsaved-changes question', () => asked.length > 0);
    expect(page.url()).toBe(halleyUrl('/settings/server'));
    expect(pageErrors(page)).toEqual([]);
  }, JOURNEY_MS);

  it('shows a refused value next to its field in German', async () => {
    const page = await openServerPage('de');
    const form = page.getByTestId('server-settings');
    await form.getByLabel('Sitzungs-Timeout (Minuten)').fill('50000');
    await form.getByRole('button', { name: 'Speichern' }).click();
    await form.getByText('Geben Sie 1 bis 43200 Minuten (30 Tage) ein oder lassen Sie das Feld für den Standard leer.').waitFor();
    expect(await form.getByLabel('Sitzungs-Timeout (Minuten)').getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'server-settings-de-field-error');
    expect((await getConfig()).SessionSettings).toEqual({ ExpiredInSeconds: 5400 });
  }, JOURNEY_MS);

  it('the raw editor shows the whole configuration without secrets and saves an edit, keeping the stored secrets', async () => {
    const current = await getConfig();
    const listen = [{ ListenAddress: '127.0.0.1:9443', SSLCertPath: '', SSLIntermediate: '', SSLCertKey: '', AutoSSLDomains: '', SSLPfxPath: '/etc/halley/server.pfx', SSLPfxPassword: 'console-pfx-secret' }];
    await root.ok('/api/v1/admin/meta/server-config/set', { Config: { ...current, ListenAddresses: listen } });

    const page = await openServerPage();
    page.on('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Edit raw configuration' }).click();
    const dialog = page.getByRole('dialog');
    const editor = dialog.getByRole('textbox', { name: 'Advanced: raw configuration' });
    const text = await editor.inputValue();
    expect(text).not.toContain('console-pfx-secret');
    const shown = JSON.parse(text);
    expect(shown.ListenAddresses[0]).toMatchObject({ SSLPfxPath: '/etc/halley/server.pfx' });
    expect(shown.ListenAddresses[0].SSLPfxPassword ?? '').toBe('');
    expect(shown).toHaveProperty('SelfBackup');
    expect(shown).toHaveProperty('HalleyServerLogs');
    // Organizations are edited on the Tenants pages and grow with every tenant: not in the raw document.
    expect(shown).not.toHaveProperty('Organizations');
    await dialog.getByText('Organizations are not listed here', { exact: false }).waitFor();
    await shot(page, 'server-settings-raw');

    await editor.fill('{ "ExperimentalOptions": [ ');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('This is not a JSON object. Check the brackets, quotes and commas.').waitFor();

    await editor.fill(JSON.stringify({ ...shown, HalleyServerLogs: { RetentionDays: 0 } }, null, 2));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText(/HalleyServerLogs\.RetentionDays must be a whole number from 1 to 3650/).waitFor();

    await editor.fill(JSON.stringify({ ...shown, ExperimentalOptions: ['from-the-console'] }, null, 2));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Configuration saved.').waitFor();
    expect(await dialog.count()).toBe(0);
    expect((await getConfig()).ExperimentalOptions).toEqual(['from-the-console']);
    const stored = (await db.query<{ value: any }>(`SELECT value FROM "ServerSetting" WHERE key = 'server-config-round-trip'`)).rows[0]!.value;
    expect(unsealJson(stored.sealed)).toEqual({ ListenAddresses: { 0: { SSLPfxPassword: 'console-pfx-secret' } } });
    expect(pageErrors(page)).toEqual([]);
  }, JOURNEY_MS);
});
