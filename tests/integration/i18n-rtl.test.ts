// The console in Hebrew reads right to left (<html dir="rtl" lang="he">, the sidebar on the right side),
// a page in Japanese, and the API answering a bad sign-in in the caller's Accept-Language.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, pageErrors, shot } from '../helpers/browser';
import { makeTenant, makeUser, type TenantFixture } from '../helpers/fixtures';
import { halleyUrl, postForm } from '../helpers/server';

let browser: Browser;
let t: TenantFixture;
let password: string;

beforeAll(async () => {
  browser = await launchBrowser();
  t = await makeTenant('i18n-rtl');
  password = (t.admin.creds as { password: string }).password;
  await makeUser(t.admin);
});

afterAll(async () => {
  await browser?.close();
});

/** Signs in through the form with its labels in the page's language. */
async function signInAs(page: Page, labels: { username: string; password: string; signIn: string }): Promise<void> {
  await page.goto(halleyUrl('/login'));
  await page.getByLabel(labels.username).fill(t.adminName);
  await page.getByLabel(labels.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: labels.signIn, exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

describe('API errors follow Accept-Language', () => {
  it('answers a wrong password in Japanese, Hebrew and Traditional Chinese', async () => {
    const wrong = { Username: t.adminName, AuthType: 'Password', Password: 'not-the-password' };
    const answers: Record<string, unknown> = {};
    for (const lang of ['ja-JP,ja;q=0.9', 'he-IL', 'zh-TW', 'zh-CN']) {
      const res = await postForm('/api/v1/admin/get-user-profile', { ...wrong, TargetUser: 'nobody' }, { headers: { 'accept-language': lang } });
      answers[lang] = await res.json();
    }
    expect(answers).toEqual({
      'ja-JP,ja;q=0.9': { Status: 403, Message: 'ユーザー名またはパスワードが正しくありません' },
      'he-IL': { Status: 403, Message: 'שם משתמש או סיסמה שגויים' },
      'zh-TW': { Status: 403, Message: '使用者名稱或密碼不正確' },
      // No Simplified Chinese catalogue: English, not Traditional.
      'zh-CN': { Status: 403, Message: 'Incorrect username or password' },
    });
  });
});

describe('Console languages', () => {
  it('renders the console in Hebrew right to left, the sidebar on the right', async () => {
    const page = await newPage(browser, { locale: 'he-IL' });
    await page.goto(halleyUrl('/login'));
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('he');
    await signInAs(page, { username: 'שם משתמש', password: 'סיסמה', signIn: 'כניסה' });
    await page.getByRole('heading', { name: 'סקירה כללית' }).waitFor();
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');

    const viewport = page.viewportSize()!;
    const nav = page.getByRole('navigation', { name: 'ניווט ראשי' });
    const sidebar = (await nav.boundingBox())!;
    const main = (await page.locator('main').boundingBox())!;
    // Right to left: the sidebar hugs the right edge and the content lies to its left.
    expect(sidebar.x + sidebar.width).toBeGreaterThan(viewport.width - 20);
    expect(main.x + main.width).toBeLessThanOrEqual(sidebar.x + 1);
    // The text of the sidebar links starts at their right side.
    const usersLink = nav.getByRole('link', { name: 'משתמשים', exact: true });
    const link = (await usersLink.boundingBox())!;
    const label = (await usersLink.getByText('משתמשים', { exact: true }).boundingBox())!;
    expect(link.x + link.width - (label.x + label.width)).toBeLessThan(link.width / 2);
    await shot(page, 'i18n-hebrew-rtl-overview');

    // The account menu opens inside the window and reads right to left too.
    await page.getByTestId('user-menu').click();
    const menu = (await page.getByRole('menu').boundingBox())!;
    expect(menu.x).toBeGreaterThanOrEqual(0);
    expect(await page.getByRole('menuitemradio', { name: '日本語' }).isVisible()).toBe(true);
    await shot(page, 'i18n-hebrew-rtl-menu');
    await page.keyboard.press('Escape');

    await usersLink.click();
    await page.getByRole('heading', { name: 'משתמשים', level: 1 }).waitFor();
    await shot(page, 'i18n-hebrew-rtl-users');
    expect(pageErrors(page)).toEqual([]);
  });

  it('renders the users page in Japanese, left to right', async () => {
    const page = await newPage(browser, { locale: 'ja-JP' });
    await signInAs(page, { username: 'ユーザー名', password: 'パスワード', signIn: 'サインイン' });
    await page.getByRole('navigation', { name: 'メインナビゲーション' }).getByRole('link', { name: 'ユーザー', exact: true }).click();
    await page.waitForURL(/\/users$/);
    await page.getByRole('heading', { name: 'ユーザー', level: 1 }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
    await expect.poll(() => page.getByRole('button', { name: 'ユーザーを追加' }).isVisible()).toBe(true);
    const sidebar = (await page.getByRole('navigation', { name: 'メインナビゲーション' }).boundingBox())!;
    expect(sidebar.x).toBeLessThan(20);
    await shot(page, 'i18n-japanese-users');
    expect(pageErrors(page)).toEqual([]);
  });
});
