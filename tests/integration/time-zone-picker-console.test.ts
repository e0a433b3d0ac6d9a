// Issue 20 (input and feedback): a user's time zone is chosen from a searchable list (TimeZonePicker, every IANA
// zone the runtime knows) by keyboard, and values the server's one rule set refuses (a time zone that is none, an
// email address that is none) come back as a message next to their field, in the console's language (German
// here), not as a sentence about API parameters. Screenshots: tz-picker-open.png, tz-picker-errors-de.png.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/services.mjs';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { makeTenant, makeUser, rootClient, type TenantFixture } from '../helpers/fixtures';
import { halleyUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

const de = JSON.parse(fs.readFileSync(path.join(repoRoot, 'messages', 'de.json'), 'utf8'));

let browser: Browser;
let page: Page;
let t: TenantFixture;
let user: { username: string; password: string };

const profile = async () => (await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username })).Profile;

beforeAll(async () => {
  await rootClient();
  t = await makeTenant('tz-ui');
  user = await makeUser(t.admin);
  browser = await launchBrowser();
  page = await newPage(browser);
  await signIn(page, halleyUrl(), t.adminName, t.admin.creds!.password!);
  // The console in German (the language menu's cookie).
  await page.context().addCookies([{ name: 'halley-locale', value: 'de', url: halleyUrl() }]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

async function openProfile(): Promise<void> {
  await page.goto(`${halleyUrl()}/users/${encodeURIComponent(user.username)}?tab=profile`);
  await page.getByRole('combobox', { name: de.userDetail.profile.timezone }).waitFor();
}

it('picks a time zone by typing part of its name and pressing Enter', async () => {
  await openProfile();
  const zone = page.getByRole('combobox', { name: de.userDetail.profile.timezone });
  await zone.fill('');
  await zone.pressSequentially('berl');
  const list = page.getByRole('listbox', { name: de.userDetail.profile.timezone });
  await list.waitFor();
  expect(await list.getByRole('option').allTextContents()).toEqual([expect.stringContaining('Europe/Berlin')]);
  await shot(page, 'tz-picker-open');
  await zone.press('Enter');
  expect(await zone.inputValue()).toBe('Europe/Berlin');
  expect(await list.count()).toBe(0);

  await page.getByRole('button', { name: de.common.save, exact: true }).click();
  await page.getByRole('status').filter({ hasText: de.common.saved }).waitFor();
  await waitFor('the saved time zone', async () => (await profile()).LocalTimezone === 'Europe/Berlin');
});

it('shows refused values next to their fields, in German, and saves nothing', async () => {
  await openProfile();
  const zone = page.getByRole('combobox', { name: de.userDetail.profile.timezone });
  await zone.fill('Mars/Olympus_Mons');
  await zone.press('Escape');
  await page.getByRole('button', { name: de.common.save, exact: true }).click();
  const zoneError = page.getByRole('alert').filter({ hasText: de.fieldRules.timeZone });
  await zoneError.waitFor();
  expect(await zone.getAttribute('aria-invalid')).toBe('true');
  // No sentence about API parameters anywhere on the page.
  expect(await page.getByText('ProfileData', { exact: false }).count()).toBe(0);

  await zone.fill('Europe/Berlin');
  await zone.press('Escape');
  const emails = page.getByLabel(de.userDetail.profile.emails);
  await emails.fill('not-an-address');
  await page.getByRole('button', { name: de.common.save, exact: true }).click();
  await page.getByRole('alert').filter({ hasText: de.fieldRules.email }).waitFor();
  expect(await emails.getAttribute('aria-invalid')).toBe('true');
  expect(await zoneError.count()).toBe(0);
  await shot(page, 'tz-picker-errors-de');

  const stored = await profile();
  expect(stored.LocalTimezone).toBe('Europe/Berlin');
  expect(stored.Emails ?? []).not.toContain('not-an-address');
  expect(pageErrors(page)).toEqual([]);
});
