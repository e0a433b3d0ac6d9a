// Settings → Shared quotas in a real browser: a tenant admin creates a quota (a bad limit is refused next to its
// field), a vault joins it in the vault editor, the page shows the quota's usage, the limit is edited and the quota
// deleted again.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { tempDir } from '../helpers/live';
import { halleyUrl } from '../helpers/server';

let browser: Browser;
let page: Page;
let t: TenantFixture;

beforeAll(async () => {
  await rootClient();
  t = await makeTenant('sq-ui');
  browser = await launchBrowser();
  page = await newPage(browser);
  page.on('dialog', (d) => void d.accept());
  await signIn(page, halleyUrl(), t.adminName, t.admin.creds!.password!);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

it('creates a shared quota, puts a vault in it from the vault editor, shows usage, edits and deletes it', async () => {
  const id = uniq('pool');
  await page.goto(`${halleyUrl()}/settings`);
  await page.getByRole('link', { name: 'Shared quotas' }).click();
  await page.waitForURL(/\/settings\/quotas$/);
  await page.getByText('No shared storage quotas yet.').waitFor();
  await page.getByRole('button', { name: 'New quota' }).click();
  const dialog = page.getByTestId('quota-dialog');
  await dialog.getByLabel('Quota ID').fill(id);
  await dialog.getByLabel('Description').fill('Acme pool');
  await dialog.getByLabel('Limit (GiB)').fill('0');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect.poll(() => dialog.getByRole('alert').first().textContent()).toBe('Enter a limit greater than zero.');
  await shot(page, 'shared-quota-1-error');
  await dialog.getByLabel('Limit (GiB)').fill('2');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByTestId(`quota-${id}`).waitFor();
  expect((await t.admin.ok('/api/v1/admin/squota/get-with-hash', { SharedStorageQuotaID: id })).SharedStorageQuota).toEqual({ Description: 'Acme pool', OrganizationID: t.id, LimitBytes: 2 * 1024 ** 3 });

  // A vault of a user of this organization joins the quota in the vault editor.
  const user = await makeUser(t.admin);
  const { Profile, ProfileHash } = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username });
  Profile.Destinations = { local: { Description: 'Local disk', DestinationType: 1002, LocalcopyPath: tempDir('sq-ui'), Statistics: { ClientProvidedSize: { Size: 512 * 1024 ** 2, MeasureStarted: 1, MeasureCompleted: 2 } } } };
  await t.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: user.username, ProfileData: Profile, RequireHash: ProfileHash });
  await page.goto(`${halleyUrl()}/users/${encodeURIComponent(user.username)}?tab=vaults`);
  await page.waitForLoadState('networkidle');
  await page.locator('[data-entry="local"]').getByRole('button', { name: 'Edit' }).click();
  const editor = page.getByTestId('vault-editor');
  const select = editor.locator('select[name="StorageLimitID"]');
  await expect.poll(() => select.isEnabled()).toBe(true);
  await select.selectOption(id);
  await shot(page, 'shared-quota-2-vault-editor');
  await editor.getByRole('button', { name: 'Save' }).click();
  await editor.waitFor({ state: 'detached' });
  const saved = (await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: user.username })).Destinations.local;
  expect(saved.StorageLimitID).toBe(id);

  // The quota's row shows what its vaults use.
  await page.goto(`${halleyUrl()}/settings/quotas`);
  const row = page.getByTestId(`quota-${id}`);
  await expect.poll(() => row.textContent()).toContain('512 MiB of 2.0 GiB (25%)');
  await shot(page, 'shared-quota-3-list');
  await row.getByRole('button', { name: 'Edit' }).click();
  await dialog.getByLabel('Limit (GiB)').fill('4');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await expect.poll(() => row.textContent()).toContain('512 MiB of 4.0 GiB (13%)');
  await row.getByRole('button', { name: 'Delete' }).click();
  await page.getByText('No shared storage quotas yet.').waitFor();
  expect((await t.admin.ok('/api/v1/admin/squota/list-all')).Entries).toEqual({});
  expect(pageErrors(page)).toEqual([]);
});
