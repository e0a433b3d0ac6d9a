// Issue 20's bullets that no other browser test covered, in a real browser against the shared test server:
// "update software" on 3 selected users (two with a live, older device; one without), the Alt+Q search finding a
// device, a tenant and a job, every getting-started step linking to the place where it is done (also for a tenant
// admin who may not edit storage templates), long names cut with the full text on hover and on keyboard focus,
// dialogs keeping their buttons reachable on a short window and a phone, and the top-level admin transferring a
// user back to the top level by keyboard with a visible focus ring; the phone-width drawer in Hebrew opens from the
// right. Screenshots: test-results/done-when-*.png.
import { randomUUID } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '@/messages/en.json';
import he from '@/messages/he.json';
import { LOCALE_COOKIE } from '@/lib/i18n/locales';
import { startSimulatedDevices, type SimulatedDevice } from '../../agent/simulated';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { makeTenant, makeUser, ROOT, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { jobDetail, nowSeconds, seedJobs } from '../helpers/jobs';
import { sampleProfile } from '../helpers/sample-profile';
import { sql } from '../helpers/security';
import { halleyUrl } from '../helpers/server';

let browser: Browser;
let t: TenantFixture;
const fleets: SimulatedDevice[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  t = await makeTenant('done-when');
}, 60_000);

afterAll(async () => {
  for (const d of fleets) d.stop();
  await browser?.close();
});

async function signedIn(who: { username: string; password: string }, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await newPage(browser);
  if (viewport) await page.setViewportSize(viewport);
  await signIn(page, halleyUrl(), who.username, who.password);
  return page;
}

const tenantAdmin = () => ({ username: t.adminName, password: (t.admin.creds as { password: string }).password });

/** Whether the element is on screen and the topmost thing at its centre (a click there reaches it). */
async function reachable(el: Locator): Promise<boolean> {
  return el.evaluate((node) => {
    const r = node.getBoundingClientRect();
    if (r.width === 0 || r.top < 0 || r.left < 0 || r.bottom > window.innerHeight || r.right > window.innerWidth) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!hit && (hit === node || node.contains(hit));
  });
}

describe('users table: update software on 3 users', () => {
  it('tells the live devices of the selected users to update and says which user has none online', async () => {
    const prefix = uniq('upd');
    const users = [await makeUser(t.admin), await makeUser(t.admin), await makeUser(t.admin)];
    // Two of them run a simulated device at an older client version; the third has none online.
    for (const u of users.slice(0, 2)) {
      fleets.push(...(await startSimulatedDevices({ url: halleyUrl(), ...u, count: 1, prefix: `${prefix}-${randomUUID().slice(0, 6)}`, clientVersion: '24.3.1', backoff: { baseMs: 100, maxMs: 1000 }, updateMs: 100 })));
    }
    await expect.poll(async () => Object.keys(await t.admin.ok('/api/v1/admin/dispatcher/list-active')).length, { timeout: 30_000 }).toBe(2);
    const page = await signedIn(tenantAdmin());
    await page.goto(halleyUrl('/users?size=50&sort=Username'));
    for (const u of users) await page.getByLabel(`Select ${u.username}`, { exact: true }).check();
    await expect.poll(() => page.getByTestId('users-selected').textContent()).toBe('3 users selected');
    await page.getByRole('button', { name: en.users.bulk.updateSoftware }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(en.users.bulk.confirmUpdate).waitFor();
    await dialog.getByRole('button', { name: en.users.bulk.confirm }).click();
    await expect.poll(() => page.getByTestId('bulk-progress').textContent(), { timeout: 30_000 }).toMatch(/3 of 3 done.*2 succeeded, 1 failed/);
    const row = (name: string) => page.locator(`tr[data-user="${name}"]`);
    expect(await row(users[0].username).getByTestId('bulk-result-ok').count()).toBe(1);
    expect(await row(users[1].username).getByTestId('bulk-result-ok').count()).toBe(1);
    expect(await row(users[2].username).getByTestId('bulk-result-failed').textContent()).toContain('The user has no device online');
    await shot(page, 'done-when-update-software');
    // The simulated devices update and reconnect with the current client.
    await expect
      .poll(async () => Object.values((await t.admin.ok('/api/v1/admin/dispatcher/list-active')) as Record<string, { ReportedVersion: string }>).filter((c) => c.ReportedVersion !== '24.3.1').length, { timeout: 30_000 })
      .toBe(2);
    expect(pageErrors(page)).toEqual([]);
  }, 120_000);
});

describe('Alt+Q', () => {
  it('finds a device, a tenant and a job, and opens each where it lives', async () => {
    const root = await rootClient();
    const owner = uniq('altq');
    await root.ok('/api/v1/admin/add-user-from-profile', { TargetUser: owner, ProfileData: sampleProfile(owner) });
    const [acct] = await sql<{ id: string; tenantId: string }>('SELECT "id", "tenantId" FROM "Account" WHERE "username" = $1', [owner]);
    const deviceName = uniq('Reception desk');
    const deviceId = uniq('altq-dev');
    await sql('INSERT INTO "Device" ("id", "tenantId", "accountId", "deviceId", "friendlyName", "clientVersion", "data", "position") VALUES ($1, $2, $3, $4, $5, $6, $7, 1)', [
      randomUUID(), acct.tenantId, acct.id, deviceId, deviceName, '25.9.6', JSON.stringify({ PlatformVersion: { os: 'linux' } }),
    ]);
    const job = jobDetail(owner, { StartTime: nowSeconds() - 600, EndTime: nowSeconds() - 500 });
    await seedJobs([job]);
    const page = await signedIn(ROOT);
    await page.goto(halleyUrl('/'));
    const box = page.getByRole('combobox', { name: en.search.label });

    const find = async (query: string, kind: string, text: string) => {
      // Pressed again until the box has focus: right after a navigation the page may not have hydrated yet, and a
      // key pressed before the shortcut's listener exists does nothing (a person would press it again too).
      await expect
        .poll(async () => {
          await page.keyboard.press('Alt+KeyQ');
          return box.evaluate((el) => el === document.activeElement);
        })
        .toBe(true);
      await page.keyboard.type(query);
      const option = page.getByRole('option').filter({ hasText: text }).filter({ hasText: kind });
      await option.first().waitFor();
      // Move the selection onto that option with the arrow keys, then open it with Enter.
      const options = page.getByRole('option');
      const index = await options.evaluateAll((els, [want, k]) => els.findIndex((e) => e.textContent!.includes(want) && e.textContent!.includes(k)), [text, kind] as const);
      for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
      await expect.poll(() => page.getByRole('option', { selected: true }).textContent()).toContain(text);
      await page.keyboard.press('Enter');
    };

    await find(deviceName, en.search.devices, deviceName);
    await page.waitForURL((u) => u.pathname === `/users/${owner}` && u.searchParams.get('tab') === 'devices');
    expect(new URL(page.url()).hash).toBe(`#device-${deviceId}`);
    await shot(page, 'done-when-altq-device');

    await find(t.name, en.search.tenants, t.name);
    await page.waitForURL((u) => u.pathname === `/tenants/${t.id}`);

    await find(job.GUID.slice(0, 13), en.search.jobs, job.GUID);
    await page.waitForURL((u) => u.pathname === `/jobs/${job.GUID}`);
    await page.getByTestId('job-properties').waitFor();
    expect(pageErrors(page)).toEqual([]);
  }, 120_000);
});

describe('getting started', () => {
  const step = (page: Page, key: keyof typeof en.guide.steps) => page.getByRole('complementary').getByRole('link', { name: en.guide.steps[key] });

  it('links every step of a new tenant to the exact place it is done', async () => {
    // A new reseller: no user, no vault, no device. Its admin may not edit storage templates (a tenant admin's default).
    const fresh = await makeTenant('guide');
    const page = await signedIn({ username: fresh.adminName, password: (fresh.admin.creds as { password: string }).password });
    await page.goto(halleyUrl('/'));
    expect(await page.getByRole('complementary').getByText('0 of 5 steps done').count()).toBe(1);
    // Storage and the protected item are done on a user's page: with no user yet, the add-user dialog comes first.
    expect(await step(page, 'storage').getAttribute('href')).toBe('/users?new=1');
    expect(await step(page, 'user').getAttribute('href')).toBe('/users?new=1');
    expect(await step(page, 'device').getAttribute('href')).toBe('/devices');
    expect(await step(page, 'item').getAttribute('href')).toBe('/users?new=1');
    expect(await step(page, 'job').getAttribute('href')).toBe('/devices');
    await shot(page, 'done-when-guide-new');
    await step(page, 'user').click();
    await page.getByRole('dialog', { name: en.users.add.title }).waitFor();
    page.on('dialog', (d) => void d.accept());
    await page.keyboard.press('Escape');

    // With a user: storage → that user's vaults (the page where a vault is added), item → its protected items.
    const user = await makeUser(fresh.admin);
    await page.goto(halleyUrl('/'));
    const enc = encodeURIComponent(user.username);
    expect(await step(page, 'storage').getAttribute('href')).toBe(`/users/${enc}?tab=vaults`);
    expect(await step(page, 'item').getAttribute('href')).toBe(`/users/${enc}?tab=items`);
    expect(await step(page, 'user').count()).toBe(0); // done: no longer a link
    await step(page, 'storage').click();
    await page.waitForURL((u) => u.pathname === `/users/${user.username}` && u.searchParams.get('tab') === 'vaults');
    await page.getByRole('heading', { name: user.username }).waitFor();
    await step(page, 'device').click();
    await page.waitForURL((u) => u.pathname === '/devices');
    await shot(page, 'done-when-guide-devices');

    // An admin allowed to edit storage templates is sent to them (the console reads permissions per request).
    await (await rootClient()).ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: fresh.adminName, Permissions: { AllowEditRemoteStorage: true } });
    await page.goto(halleyUrl('/'));
    expect(await step(page, 'storage').getAttribute('href')).toBe('/settings/storage');
    await step(page, 'storage').click();
    await page.waitForURL((u) => u.pathname === '/settings/storage');
    await page.getByTestId('storage-add').waitFor();
    expect(pageErrors(page)).toEqual([]);
  }, 120_000);
});

describe('long names', () => {
  it('are cut to fit their cell, with the full text on hover (title) and on keyboard focus (tooltip)', async () => {
    const username = uniq('long');
    const accountName = `Northwind Traders regional office ${'and warehouse '.repeat(8)}(${uniq('x')})`;
    const policyName = `Workstations with the very long retention policy ${'for auditors '.repeat(6)}${uniq('p')}`;
    const policy = (await t.admin.ok('/api/v1/admin/policies/new', { Policy: { Description: policyName } })).PolicyID as string;
    await t.admin.ok('/api/v1/admin/add-user', { TargetUser: username, TargetPassword: 'Correct-Horse-42' });
    const profile = await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: username });
    await t.admin.ok('/api/v1/admin/set-user-profile', { TargetUser: username, ProfileData: { ...profile, AccountName: accountName, PolicyID: policy } });
    const page = await signedIn(tenantAdmin());
    await page.goto(halleyUrl(`/users?q=${username}`));
    const row = page.locator(`tr[data-user="${username}"]`);
    await row.waitFor();
    for (const [column, text] of [['AccountName', accountName], ['Policy', policyName]] as const) {
      const cell = row.locator(`[data-column="${column}"] [title]`).first();
      expect(await cell.getAttribute('title')).toBe(text);
      // Cut: the text is wider than the box showing it, and the row stays one line high.
      expect(await cell.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      await cell.focus();
      const tip = page.getByRole('tooltip');
      await expect.poll(() => tip.textContent()).toBe(text);
      expect(await reachable(tip)).toBe(true);
      await shot(page, `done-when-long-${column}`);
      // Leaving the cell takes the tooltip away (Tab would move on to the next cut text, showing its own).
      await cell.evaluate((el) => (el as HTMLElement).blur());
      await expect.poll(() => tip.count()).toBe(0);
    }
    const rowHeight = await row.evaluate((r) => r.getBoundingClientRect().height);
    expect(rowHeight).toBeLessThan(48);
    // Nothing pushes the page sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(1);
    expect(pageErrors(page)).toEqual([]);
  }, 120_000);
});

describe('dialogs on small screens', () => {
  for (const [label, viewport] of [['short window', { width: 1280, height: 420 }], ['phone', { width: 390, height: 600 }]] as const) {
    it(`keep their buttons reachable (${label})`, async () => {
      const username = uniq('small');
      await t.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: username, ProfileData: sampleProfile(username) });
      const page = await signedIn(tenantAdmin(), viewport);
      // A tall editor (protected item) and a FormDialog (add user).
      await page.goto(halleyUrl(`/users/${encodeURIComponent(username)}?tab=items`));
      await page.locator('[data-entry="item-files"]').getByRole('button').first().click();
      let dialog = page.getByRole('dialog');
      await dialog.getByTestId('item-editor').waitFor();
      const fits = () => dialog.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth; });
      expect(await fits()).toBe(true);
      // Taller than the window: the dialog scrolls inside, and Save / Cancel stay on screen without scrolling.
      expect(await dialog.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
      expect(await reachable(dialog.getByRole('button', { name: en.common.cancel }))).toBe(true);
      expect(await reachable(dialog.locator('button[type="submit"]'))).toBe(true);
      await shot(page, `done-when-dialog-${viewport.width}x${viewport.height}`);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      await page.goto(halleyUrl('/users?new=1'));
      dialog = page.getByRole('dialog', { name: en.users.add.title });
      await dialog.waitFor();
      expect(await fits()).toBe(true);
      expect(await reachable(dialog.getByRole('button', { name: en.users.add.submit }))).toBe(true);
      expect(await reachable(dialog.getByRole('button', { name: en.common.cancel }))).toBe(true);
      expect(pageErrors(page)).toEqual([]);
    }, 120_000);
  }
});

describe('transfer back to the top level', () => {
  it("the top-level admin moves a tenant's user to the top level by keyboard, each focus visible", async () => {
    const user = await makeUser(t.admin);
    const page = await signedIn(ROOT);
    await page.goto(halleyUrl(`/users/${encodeURIComponent(user.username)}`));
    const actions = page.getByRole('button', { name: en.userDetail.actions.menu });
    await actions.waitFor();
    // Tab until the Actions button has the focus, as a keyboard user gets there (from the page's heading on).
    await page.getByRole('heading', { name: user.username }).click();
    for (let i = 0; i < 80 && !(await actions.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    expect(await actions.evaluate((el) => el === document.activeElement)).toBe(true);
    const ring = async (el: Locator) => el.evaluate((e) => { const s = getComputedStyle(e); return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow !== 'none' && s.boxShadow !== ''); });
    expect(await ring(actions)).toBe(true);
    await page.keyboard.press('Enter');
    const transfer = page.getByRole('menuitem', { name: en.userDetail.actions.transfer });
    await transfer.waitFor();
    // One ArrowDown at a time, looking before each: the menu takes the focus a moment after it opens, and a key
    // pressed before that is lost (the menu does not wrap, so pressing ahead could also run past the item).
    for (let i = 0; i < 20 && !(await transfer.evaluate((el) => el === document.activeElement)); i++) {
      if (await page.evaluate(() => ['menu', 'menuitem'].includes(document.activeElement?.getAttribute('role') ?? ''))) await page.keyboard.press('ArrowDown');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await transfer.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: en.userDetail.actions.transfer });
    const target = dialog.getByLabel(en.userDetail.actions.targetTenant);
    await target.waitFor();
    const topLevel = en.userDetail.topLevelOrganization;
    expect(await target.locator('option').allTextContents()).toContain(topLevel);
    await target.focus();
    expect(await ring(target)).toBe(true);
    await target.selectOption({ label: topLevel });
    // Tab to the dialog's submit button and press it.
    const submit = dialog.getByRole('button', { name: en.userDetail.actions.transfer });
    for (let i = 0; i < 10 && !(await submit.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    expect(await submit.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await ring(submit)).toBe(true);
    await shot(page, 'done-when-transfer-dialog');
    await page.keyboard.press('Enter');
    await page.getByText(en.userDetail.actions.transferred.replace('{tenant}', topLevel)).waitFor();
    await shot(page, 'done-when-transferred');
    const root = await rootClient();
    expect((await root.ok('/api/v1/admin/get-user-profile', { TargetUser: user.username })).OrganizationID ?? '').toBe('');
    expect((await t.admin.call('/api/v1/admin/get-user-profile', { TargetUser: user.username })).body.Status).toBe(400);
    expect(pageErrors(page)).toEqual([]);
  }, 120_000);
});

describe('phone width in Hebrew', () => {
  it('the navigation drawer opens from the right, the side the sidebar and the menu button are on', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
    const page = await context.newPage();
    await signIn(page, halleyUrl(), ROOT.username, ROOT.password);
    await context.addCookies([{ name: LOCALE_COOKIE, value: 'he', url: halleyUrl('/') }]);
    await page.goto(halleyUrl('/users'));
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    const button = page.getByTestId('mobile-nav');
    const b = (await button.boundingBox())!;
    expect(b.x + b.width / 2).toBeGreaterThan(390 / 2);
    await button.click();
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('navigation').waitFor();
    // Wait for the drawer to settle, then: flush with the right edge, its close button inside it on the left.
    await expect.poll(async () => Math.round(((await drawer.boundingBox())!.x + (await drawer.boundingBox())!.width))).toBe(390);
    const close = (await drawer.getByRole('button', { name: he.nav.closeMenu }).boundingBox())!;
    const d = (await drawer.boundingBox())!;
    expect(close.x).toBeLessThan(d.x + d.width / 2);
    // Nothing wider than the window (the users toolbar was 456 px wide in Hebrew before its controls could wrap).
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(1);
    await shot(page, 'done-when-phone-he-drawer');
    await context.close();
  });
});
