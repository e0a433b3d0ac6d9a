// Danish, Italian, Croatian and Portuguese (Portugal) against the shared test server: API errors follow the
// request's Accept-Language (Italian here, as Comet answers es-ES in Spanish), a browser's language picks the
// sign-in page's language (pt-PT is European Portuguese now; plain "pt" stays Brazilian), and the console's
// language menu offers the new languages and renders a page in Danish (screenshot i18n-more-danish.png).
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeForm } from '../helpers/comet-client';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { client } from '../helpers/fixtures';
import { makeAdmin } from '../helpers/security';
import { halleyUrl } from '../helpers/server';
import { repoRoot } from '../../scripts/lib/services.mjs';

const messages = (locale: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, 'messages', `${locale}.json`), 'utf8'));
let browser: Browser;
let admin: { username: string; password: string };

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await makeAdmin('i18n');
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

async function callWithLanguage(acceptLanguage: string, pathname: string, creds: { username: string; password: string }, params: Record<string, string> = {}) {
  return client().raw(pathname, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': acceptLanguage },
    body: encodeForm(creds, params).toString(),
  });
}

it('answers API errors in the language of Accept-Language', async () => {
  const wrong = { username: admin.username, password: 'not-the-password' };
  const it_ = await callWithLanguage('it-IT,it;q=0.9,en;q=0.5', '/api/v1/admin/get-user-profile', wrong, { TargetUser: 'nobody' });
  expect(it_.body).toEqual({ Status: 403, Message: 'Nome utente o password errati' });
  // A signed-in admin asking for a user that does not exist: the message carries the username.
  const missing = await callWithLanguage('it', '/api/v1/admin/get-user-profile', admin, { TargetUser: 'nobody-here' });
  expect(missing.body).toEqual({ Status: 400, Message: "Utente 'nobody-here' non trovato" });
  const hr = await callWithLanguage('hr-HR', '/api/v1/admin/get-user-profile', admin, {});
  expect(hr.body.Message).toBe("Nedostaje obavezni parametar 'TargetUser'");
  const ptPT = await callWithLanguage('pt-PT', '/api/v1/admin/get-user-profile', wrong, { TargetUser: 'nobody' });
  expect(ptPT.body.Message).toBe('Nome de utilizador ou palavra-passe incorretos');
  const pt = await callWithLanguage('pt', '/api/v1/admin/get-user-profile', wrong, { TargetUser: 'nobody' });
  expect(pt.body.Message).toBe('Nome de usuário ou senha incorretos');
  const da = await callWithLanguage('da-DK, en;q=0.1', '/api/v1/admin/get-user-profile', wrong, { TargetUser: 'nobody' });
  expect(da.body.Message).toBe('Forkert brugernavn eller adgangskode');
});

it("shows the sign-in page in the browser's language (pt-PT, pt, hr)", async () => {
  for (const [browserLocale, locale] of [['pt-PT', 'pt-PT'], ['pt', 'pt-BR'], ['hr-HR', 'hr']] as const) {
    const page = await newPage(browser, { locale: browserLocale });
    await page.goto(`${halleyUrl()}/login`);
    await page.getByRole('heading', { name: messages(locale).auth.title, exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('lang'), browserLocale).toBe(locale);
    if (locale === 'pt-PT') await shot(page, 'i18n-more-login-pt-PT');
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  }
});

it('offers the new languages in the language menu and renders a page in Danish', async () => {
  const page: Page = await newPage(browser);
  await signIn(page, halleyUrl(), admin.username, admin.password);
  await page.goto(`${halleyUrl()}/users`);
  await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
  await page.getByTestId('user-menu').click();
  await page.getByTestId('language-menu').waitFor();
  for (const name of ['Dansk', 'Italiano', 'Hrvatski', 'Português (Portugal)', 'Português (Brasil)']) {
    expect(await page.getByRole('menuitemradio', { name, exact: true }).count(), name).toBe(1);
  }
  await page.getByRole('menuitemradio', { name: 'Dansk', exact: true }).click();
  const da = messages('da');
  await page.getByRole('heading', { name: da.users.title, exact: true }).waitFor();
  expect(await page.locator('html').getAttribute('lang')).toBe('da');
  expect(await page.getByRole('link', { name: da.nav.policies }).count()).toBe(1);
  await page.getByPlaceholder(da.users.searchPlaceholder).waitFor();
  await shot(page, 'i18n-more-danish');
  // The choice is a cookie: a reload keeps Danish. Then back to English.
  await page.reload();
  await page.getByRole('heading', { name: da.users.title, exact: true }).waitFor();
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitemradio', { name: 'English', exact: true }).click();
  await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
  expect(pageErrors(page)).toEqual([]);
  await page.context().close();
});
