// Issue 20 (input and feedback): edits that are not saved are not thrown away without a question, in a real browser.
// Three forms: the self-backup target form (inline on Settings → Self-backup), an administrator's permissions (a
// dialog) and a FormDialog (Users → Add user). Each is left by the sidebar (under a dialog the click lands on its
// overlay) or Escape: the first question is answered "stay" (the page, the URL and the typed values remain), the next
// "leave" (nothing was saved). The browser's Back button asks the same way (the inline form's case).
// Screenshots: test-results/unsaved-*.png.
import type { Browser, Dialog, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '@/messages/en.json';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { ROOT, rootClient, uniq } from '../helpers/fixtures';
import { halleyUrl } from '../helpers/server';

let browser: Browser;

beforeAll(async () => {
  // The top-level administrator exists before any browser signs in with it (when this file runs alone).
  await rootClient();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** Answers the browser's questions with the given answers in turn ("stay" dismisses, "leave" accepts), recording them. */
function answer(page: Page, ...answers: Array<'stay' | 'leave'>): Dialog[] {
  const seen: Dialog[] = [];
  page.removeAllListeners('dialog');
  page.on('dialog', (d) => {
    seen.push(d);
    const a = answers[seen.length - 1] ?? 'stay';
    void (a === 'leave' ? d.accept() : d.dismiss());
  });
  return seen;
}

const path = (page: Page) => new URL(page.url()).pathname;
const sidebar = (page: Page) => page.getByRole('navigation', { name: en.nav.main });

/**
 * A click where a sidebar link is on screen, as a mouse does it (under an open dialog it lands on the overlay). Found
 * by its address: a modal dialog hides the rest of the page from the accessibility tree, so not by role.
 */
async function clickSidebarLink(page: Page, href: string): Promise<void> {
  const box = await page.locator(`aside nav a[href="${href}"]`).boundingBox();
  if (!box) throw new Error(`sidebar link ${href} is not on screen`);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

/** Signed in, on Settings → Self-backup reached by the console's own tab link, with `folder` typed into a new target. */
async function selfBackupFormWith(folder: string): Promise<{ page: Page; form: Locator }> {
  const page = await newPage(browser);
  await signIn(page, halleyUrl(), ROOT.username, ROOT.password);
  // Reached by the console's own links (a client-side step, as an admin moves around).
  await page.goto(halleyUrl('/settings/integrations'));
  await page.getByRole('navigation', { name: en.settings.tabs.label }).getByRole('link', { name: en.settings.tabs['self-backup'] }).click();
  await page.waitForURL((u) => u.pathname === '/settings/self-backup');
  await page.getByRole('button', { name: en.serverOps.selfBackup.add }).click();
  const form = page.getByRole('form', { name: en.serverOps.selfBackup.add });
  await form.locator('input[name="path"]').fill(folder);
  return { page, form };
}

describe('unsaved edits on page leave', () => {
  it('self-backup target form: the sidebar asks, "stay" keeps the typed folder, "leave" discards it', async () => {
    const folder = `/srv/${uniq('unsaved')}`;
    const { page, form } = await selfBackupFormWith(folder);

    // The sidebar: stay.
    let asked = answer(page, 'stay', 'leave');
    await sidebar(page).getByRole('link', { name: en.nav.users, exact: true }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0].message()).toBe(en.unsaved.confirmLeave);
    expect(path(page)).toBe('/settings/self-backup');
    expect(await form.locator('input[name="path"]').inputValue()).toBe(folder);

    await shot(page, 'unsaved-self-backup-stayed');

    // The browser's Back: asks too; "stay" keeps the page and the typed folder, and a second Back asks again.
    asked = answer(page, 'stay', 'stay');
    await page.evaluate(() => window.history.back());
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0].message()).toBe(en.unsaved.confirmLeave);
    expect(path(page)).toBe('/settings/self-backup');
    expect(await form.locator('input[name="path"]').inputValue()).toBe(folder);
    await page.evaluate(() => window.history.back());
    await expect.poll(() => asked.length).toBe(2);
    expect(path(page)).toBe('/settings/self-backup');
    expect(await form.locator('input[name="path"]').inputValue()).toBe(folder);

    // The sidebar's "leave": the console moves on and the typed target is gone.
    asked = answer(page, 'leave');
    await sidebar(page).getByRole('link', { name: en.nav.users, exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/users');
    expect(asked.length).toBe(1);
    const config = await (await rootClient()).ok('/api/v1/admin/meta/server-config/get');
    expect(JSON.stringify(config)).not.toContain(folder);
    expect(pageErrors(page)).toEqual([]);
  }, 180_000);

  it('the browser\'s Back with edits: "leave" goes to the page before, nothing saved', async () => {
    const folder = `/srv/${uniq('unsaved-back')}`;
    const { page } = await selfBackupFormWith(folder);
    const asked = answer(page, 'leave');
    await page.evaluate(() => window.history.back());
    await page.waitForURL((u) => u.pathname === '/settings/integrations');
    expect(asked.length).toBe(1);
    const config = await (await rootClient()).ok('/api/v1/admin/meta/server-config/get');
    expect(JSON.stringify(config)).not.toContain(folder);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  }, 180_000);

  it("an administrator's permissions: Escape and the sidebar ask; leaving keeps the stored permissions", async () => {
    const root = await rootClient();
    const other = uniq('unsaved-admin');
    await root.ok('/api/v1/admin/admin-user/new', { TargetUser: other, TargetPassword: 'Correct-Horse-42' });
    const before = (await root.ok('/api/v1/admin/admin-user/list')) as Array<{ Username: string; Permissions?: Record<string, unknown> }>;
    const stored = before.find((a) => a.Username === other)?.Permissions;
    const page = await newPage(browser);
    await signIn(page, halleyUrl(), ROOT.username, ROOT.password);
    await page.goto(halleyUrl('/'));
    await sidebar(page).getByRole('link', { name: en.nav.admins, exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/admins');
    await page.getByRole('row').filter({ hasText: other }).getByRole('button', { name: en.admins.editPermissions }).click();
    const dialog = page.getByRole('dialog', { name: en.admins.permissionsTitle.replace('{username}', other) });
    await dialog.waitFor();
    const box = dialog.getByRole('checkbox').first();
    const was = await box.isChecked();
    await box.click();

    // Escape asks whether to discard; "stay" keeps the dialog and the tick.
    let asked = answer(page, 'stay');
    await page.keyboard.press('Escape');
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0].message()).toBe(en.validation.discardChanges);
    expect(await dialog.isVisible()).toBe(true);
    expect(await box.isChecked()).toBe(!was);

    // A click on the sidebar lands on the dialog's overlay: the same question, "stay".
    asked = answer(page, 'stay');
    await clickSidebarLink(page, '/users');
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0].message()).toBe(en.validation.discardChanges);
    expect(path(page)).toBe('/admins');
    expect(await box.isChecked()).toBe(!was);

    await shot(page, 'unsaved-permissions-stayed');
    // Cancel, "leave": the dialog closes and nothing is stored.
    asked = answer(page, 'leave');
    await dialog.getByRole('button', { name: en.common.cancel }).click();
    await expect.poll(() => asked.length).toBe(1);
    await expect.poll(() => dialog.count()).toBe(0);
    const after = (await root.ok('/api/v1/admin/admin-user/list')) as Array<{ Username: string; Permissions?: Record<string, unknown> }>;
    expect(after.find((a) => a.Username === other)?.Permissions).toEqual(stored);
    expect(pageErrors(page)).toEqual([]);
  }, 180_000);

  it('a FormDialog (Add user): the sidebar asks; "stay" keeps the typed name, "leave" adds nobody', async () => {
    const name = uniq('unsaved-user');
    const page = await newPage(browser);
    await signIn(page, halleyUrl(), ROOT.username, ROOT.password);
    await page.goto(halleyUrl('/'));
    await sidebar(page).getByRole('link', { name: en.nav.users, exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/users');
    await page.getByRole('button', { name: en.users.add.button }).first().click();
    const dialog = page.getByRole('dialog', { name: en.users.add.title });
    await dialog.getByLabel(en.users.add.username).fill(name);

    let asked = answer(page, 'stay');
    await clickSidebarLink(page, '/devices');
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0].message()).toBe(en.validation.discardChanges);
    expect(path(page)).toBe('/users');
    expect(await dialog.getByLabel(en.users.add.username).inputValue()).toBe(name);

    await shot(page, 'unsaved-add-user-stayed');
    // The sidebar again, "leave": the dialog closes; the next click on the link moves on; nobody was added.
    asked = answer(page, 'leave');
    await clickSidebarLink(page, '/devices');
    await expect.poll(() => asked.length).toBe(1);
    await expect.poll(() => dialog.count()).toBe(0);
    await sidebar(page).getByRole('link', { name: en.nav.devices, exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/devices');
    expect((await (await rootClient()).call('/api/v1/admin/get-user-profile', { TargetUser: name })).body.Status).toBe(400);

    expect(pageErrors(page)).toEqual([]);
  }, 180_000);
});
