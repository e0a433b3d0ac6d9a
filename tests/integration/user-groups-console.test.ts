// The User groups page in a real browser: a tenant admin creates a group, puts a user in it (the profile's
// GroupID follows), an empty name is refused next to its field, and the group is deleted again.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { makeTenant, makeUser, type TenantFixture } from '../helpers/fixtures';
import { halleyUrl } from '../helpers/server';

let browser: Browser;
let t: TenantFixture;

beforeAll(async () => {
  browser = await launchBrowser();
  t = await makeTenant('grp-ui');
});

afterAll(async () => {
  await browser?.close();
});

describe('User groups console', () => {
  it('creates a group, sets its members and deletes it', async () => {
    const { username } = await makeUser(t.admin);
    const page = await newPage(browser);
    await signIn(page, halleyUrl(), t.adminName, (t.admin.creds as { password: string }).password);
    await page.getByRole('link', { name: 'User groups' }).click();
    await page.waitForURL(/\/groups$/);
    await page.getByRole('button', { name: 'New group' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('Accounting');
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/groups\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    await page.locator('input[name="name"]').fill('  ');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBe('Enter a name for the group.');
    await page.locator('input[name="name"]').fill('Finance');
    await page.getByLabel('Members').fill(username);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await shot(page, 'user-group-editor');
    expect((await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: username })).GroupID).toBe(id);
    expect(await t.admin.ok('/api/v1/admin/user-groups/list')).toEqual({ [id]: 'Finance' });
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete group' }).click();
    await page.waitForURL(/\/groups$/);
    expect(await t.admin.ok('/api/v1/admin/user-groups/list')).toEqual({});
    expect(pageErrors(page)).toEqual([]);
  });
});
