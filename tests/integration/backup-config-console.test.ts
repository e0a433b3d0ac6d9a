// The user page's backup configuration in a real browser: add an S3 vault (errors from the server's
// validation next to their fields, the secret write-only afterwards), duplicate it (credentials must be
// entered again), a local vault, a files-and-folders item with excludes, commands and a retention override,
// an hourly schedule in a time window with its next runs, a conflict with someone else's change, and a
// delete refused while a schedule still uses the vault. Everything is checked through the API too.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { makeTenant, makeUser, rootClient, type TenantFixture } from '../helpers/fixtures';
import { halleyUrl } from '../helpers/server';

let browser: Browser;
let page: Page;
let t: TenantFixture;
let user: { username: string; password: string };

const profile = async () => (await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username })).Profile;
const userUrl = (tab: string) => `${halleyUrl()}/users/${encodeURIComponent(user.username)}?tab=${tab}`;

beforeAll(async () => {
  await rootClient();
  t = await makeTenant('bcfg-ui');
  user = await makeUser(t.admin);
  const { Profile, ProfileHash } = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username });
  await t.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: user.username, ProfileData: { ...Profile, LocalTimezone: 'Europe/Amsterdam' }, RequireHash: ProfileHash });
  browser = await launchBrowser();
  page = await newPage(browser);
  page.on('dialog', (d) => void d.accept());
  await signIn(page, halleyUrl(), t.adminName, t.admin.creds!.password!);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

async function openTab(tab: string): Promise<void> {
  await page.goto(userUrl(tab));
  await page.waitForLoadState('networkidle');
}

it('adds, edits and duplicates storage vaults with errors next to their fields and write-only secrets', async () => {
  await openTab('vaults');
  await page.getByTestId('add-Destinations').click();
  const dialog = page.getByTestId('vault-editor');
  await dialog.getByLabel('Name', { exact: true }).fill('Offsite S3');
  await dialog.getByLabel('Server (host:port)', { exact: true }).fill('https://s3.internal:9000');
  await dialog.getByLabel('Bucket', { exact: true }).fill('Bad_Bucket');
  await dialog.getByLabel('Access key', { exact: true }).fill('AKIDEXAMPLE');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.locator('[data-field-error="S3SecretKey"]').waitFor();
  expect(await dialog.locator('[data-field-error="S3BucketName"]').textContent()).toBe('3 to 63 lower-case letters, digits, dots or hyphens.');
  expect(await dialog.locator('[data-field-error="S3Server"]').textContent()).toContain('without http://');
  expect(await dialog.locator('[data-field-error="S3SecretKey"]').textContent()).toBe('Required: no value is stored yet.');
  await shot(page, 'backup-config-1-vault-errors');

  await dialog.getByLabel('Server (host:port)', { exact: true }).fill('s3.internal:9000');
  await dialog.getByLabel('Bucket', { exact: true }).fill('backups');
  await dialog.getByLabel('Secret key', { exact: true }).fill('s3-secret-value-1');
  await dialog.locator('select[name="S3ObjectLockMode"]').selectOption('1');
  await dialog.getByLabel('Object lock days', { exact: true }).fill('30');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('cell', { name: 'Offsite S3' }).waitFor();

  let p = await profile();
  const [s3Id, s3] = Object.entries<any>(p.Destinations).find(([, v]) => v.Description === 'Offsite S3')!;
  expect(s3).toMatchObject({ DestinationType: 1000, S3Server: 's3.internal:9000', S3BucketName: 'backups', S3AccessKey: 'AKIDEXAMPLE', S3SecretKey: '', S3ObjectLockMode: 1, S3ObjectLockDays: 30, S3UsesTLS: true });
  expect((await t.admin.ok('/api/v1/admin/get-user-profile-sealed-fields', { TargetUser: user.username })).Destinations[s3Id]).toEqual(['S3SecretKey']);

  // Editing shows the secret as set, never its value, and keeps it when left alone.
  const row = page.locator(`[data-entry="${s3Id}"]`);
  await row.getByRole('button', { name: 'Edit' }).click();
  await dialog.locator('[data-sealed="S3SecretKey"]').waitFor();
  expect(await page.content()).not.toContain('s3-secret-value-1');
  await shot(page, 'backup-config-2-vault-sealed');
  await dialog.getByLabel('Name', { exact: true }).fill('Offsite S3 (Amsterdam)');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('cell', { name: 'Offsite S3 (Amsterdam)' }).waitFor();
  expect((await t.admin.ok('/api/v1/admin/get-user-profile-sealed-fields', { TargetUser: user.username })).Destinations[s3Id]).toEqual(['S3SecretKey']);

  // A duplicate asks for the credentials again.
  await page.locator(`[data-entry="${s3Id}"]`).getByRole('button', { name: 'Duplicate' }).click();
  expect(await dialog.getByLabel('Name', { exact: true }).inputValue()).toBe('Offsite S3 (Amsterdam) (copy)');
  await dialog.getByText('Stored credentials are never copied').waitFor();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.locator('[data-field-error="S3SecretKey"]').waitFor();
  await dialog.getByLabel('Secret key', { exact: true }).fill('s3-secret-value-2');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('cell', { name: 'Offsite S3 (Amsterdam) (copy)' }).waitFor();

  // A local-path vault.
  await page.getByTestId('add-Destinations').click();
  await dialog.getByLabel('Name', { exact: true }).fill('USB disk');
  await dialog.locator('select[name="DestinationType"]').selectOption('1002');
  await dialog.getByLabel('Path on the device', { exact: true }).fill('/mnt/usb/backups');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  p = await profile();
  expect(Object.values<any>(p.Destinations).map((v) => v.Description).sort()).toEqual(['Offsite S3 (Amsterdam)', 'Offsite S3 (Amsterdam) (copy)', 'USB disk']);
  expect(pageErrors(page)).toEqual([]);
}, 120_000);

it('adds a files-and-folders item and an hourly schedule with a window and its next runs', async () => {
  await openTab('items');
  await page.getByTestId('add-Sources').click();
  const dialog = page.getByTestId('item-editor');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.locator('[data-field-error="EngineProps.INCLUDE0"]').waitFor();
  await dialog.getByLabel('Name', { exact: true }).fill('Documents');
  await dialog.getByLabel('Folders and files to back up', { exact: true }).fill('/home/ana/Documents\n/home/ana/Pictures');
  await dialog.getByLabel('Exclude', { exact: true }).fill('*.tmp');
  await dialog.getByLabel('Commands before the job', { exact: true }).fill('echo start');
  await dialog.getByLabel('Own retention for Offsite S3 (Amsterdam)', { exact: true }).check();
  await dialog.getByLabel('Number', { exact: true }).first().fill('14');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  let p = await profile();
  const s3Id = Object.entries<any>(p.Destinations).find(([, v]) => v.Description === 'Offsite S3 (Amsterdam)')![0];
  const [itemId, item] = Object.entries<any>(p.Sources)[0];
  expect(item).toMatchObject({ Engine: 'engine1/file', Description: 'Documents', EngineProps: { INCLUDE0: '/home/ana/Documents', INCLUDE1: '/home/ana/Pictures', EXCLUDE0: '*.tmp' }, PreExec: ['echo start'] });
  expect(item.OverrideDestinationRetention).toEqual({ [s3Id]: { Mode: 802, Ranges: [{ Type: 900, Timestamp: 0, Jobs: 14, Days: 0, Weeks: 0, Months: 0, Years: 0, WeekOffset: 0, MonthOffset: 0, YearOffset: 0 }] } });

  await openTab('schedules');
  await page.getByTestId('add-BackupRules').click();
  const rule = page.getByTestId('rule-editor');
  await rule.getByLabel('Name', { exact: true }).fill('Office hours');
  await rule.locator('select[name="Destination"]').selectOption(s3Id);
  await rule.locator('select[name="Source"]').selectOption(itemId);
  await rule.locator('select[name="Schedules.0.FrequencyType"]').selectOption('8012');
  await rule.getByLabel('Minutes past the hour', { exact: true }).fill('15');
  await rule.getByLabel('Only within a time window', { exact: true }).check();
  await rule.getByLabel('From', { exact: true }).fill('08:00');
  await rule.getByLabel('To', { exact: true }).fill('18:00');
  await rule.getByLabel('Only on these days', { exact: true }).check();
  for (const d of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri']) await rule.getByLabel(d, { exact: true }).check();
  await rule.getByLabel('Run when the device starts if the last job was missed', { exact: true }).check();
  await rule.getByLabel('Random delay (seconds)', { exact: true }).fill('300');
  await rule.locator('select[name="AutoRetentionLevel"]').selectOption('1');
  const runs = rule.getByTestId('next-runs-0');
  expect(await runs.textContent()).toContain('Next runs (Europe/Amsterdam)');
  await expect.poll(() => runs.locator('li').count()).toBe(5);
  expect(await runs.locator('li').first().textContent()).toMatch(/:15/);
  await shot(page, 'backup-config-3-schedule');
  await rule.getByRole('button', { name: 'Save' }).click();
  await rule.waitFor({ state: 'detached' });
  await page.getByRole('cell', { name: 'Office hours' }).waitFor();

  p = await profile();
  const saved = Object.values<any>(p.BackupRules)[0];
  expect(saved).toMatchObject({ Description: 'Office hours', Source: itemId, Destination: s3Id, AutoRetentionLevel: 1, EventTriggers: { OnPCBootIfLastJobMissed: true } });
  expect(saved.Schedules[0]).toMatchObject({ FrequencyType: 8012, SecondsPast: 900, RestrictRuntime: true, FromTime: { Hour: 8, Minutes: 0 }, ToTime: { Hour: 18, Minutes: 0 }, RestrictDays: true, RandomDelaySecs: 300 });
  expect(saved.Schedules[0].DaysSelect).toMatchObject({ Monday: true, Friday: true, Saturday: false, Sunday: false });
  expect(pageErrors(page)).toEqual([]);
}, 120_000);

it("reports someone else's change instead of overwriting it, and refuses to delete a vault a schedule uses", async () => {
  await openTab('vaults');
  const p = await profile();
  const s3Id = Object.entries<any>(p.Destinations).find(([, v]) => v.Description === 'Offsite S3 (Amsterdam)')![0];
  await page.locator(`[data-entry="${s3Id}"]`).getByRole('button', { name: 'Delete' }).click();
  const refusal = page.locator(`[data-entry="${s3Id}"]`).getByRole('alert');
  await refusal.waitFor();
  expect(await refusal.textContent()).toBe('Still used by: Office hours. Change or delete those schedules first.');

  await page.locator(`[data-entry="${s3Id}"]`).getByRole('button', { name: 'Edit' }).click();
  const dialog = page.getByTestId('vault-editor');
  const { Profile, ProfileHash } = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username });
  await t.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: user.username, ProfileData: { ...Profile, AccountName: 'Changed elsewhere' }, RequireHash: ProfileHash });
  await dialog.getByLabel('Name', { exact: true }).fill('Should not be saved');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.getByText('This user was changed by someone else').waitFor();
  await shot(page, 'backup-config-4-conflict');
  expect((await profile()).Destinations[s3Id].Description).toBe('Offsite S3 (Amsterdam)');
  expect(pageErrors(page)).toEqual([]);
}, 120_000);
