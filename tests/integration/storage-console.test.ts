// Storage templates in the console and automatic vaults. In a real browser, a tenant admin with
// AllowEditRemoteStorage: field errors in the UI language, an S3 template against s3rver (tested, secret
// write-only and kept on edit), a Halley Storage Role template with a quota, a user added from the Users
// page, a vault of each kind requested from the user page and listed there, and a delete with a
// replacement for the policies' automatic vault; a top-level admin picks the tenant. Through the API:
// TargetOrganization on remote-storage-vault/get|set|test (top level only), and the automatic vault a
// device gets when it registers (the Default template or the policy's DefaultNewStorageVault; "none"
// makes none; a second device adds none).
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentDevice } from '../../agent/device';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import type { CometClient } from '../helpers/comet-client';
import { makeTenant, makeUser, ROOT, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { startAgent, tempDir } from '../helpers/live';
import { allowPrivateTargets } from '../helpers/private-targets';
import { halleyUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

let root: CometClient;
let t: TenantFixture;
let browser: Browser;
let page: Page;
let s3: S3rver;
let s3Url: string;
let restorePrivate: () => Promise<void>;
const agents: AgentDevice[] = [];

beforeAll(async () => {
  root = await rootClient();
  t = await makeTenant('storui');
  restorePrivate = await allowPrivateTargets(true);
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: tempDir('s3rver-ui') });
  s3Url = `http://127.0.0.1:${((await s3.run()) as AddressInfo).port}`;
  await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: t.adminName, Permissions: { AllowEditRemoteStorage: true } });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  for (const a of agents) a.stop();
  await browser?.close();
  await restorePrivate?.();
  await s3?.close();
});

const templates = (c: CometClient, org?: string) => c.ok('/api/v1/admin/meta/remote-storage-vault/get', org ? { TargetOrganization: org } : {});

describe('Settings → Storage templates and Request storage vault (browser)', () => {
  it('creates an S3 and a Halley template, requests a vault of each for a new user, deletes with a replacement', async () => {
    page = await newPage(browser);
    await signIn(page, halleyUrl(), t.adminName, t.admin.creds!.password!);
    await page.goto(`${halleyUrl()}/settings/storage`);
    await page.getByText('No storage templates yet.').waitFor();

    // S3-compatible: the required fields are named next to themselves, in the UI language.
    await page.getByTestId('storage-add-type').selectOption('s3');
    await page.getByTestId('storage-add').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByTestId('storage-error-Description').waitFor();
    expect(await dialog.getByTestId('storage-error-S3Endpoint').textContent()).toBe('This field is required.');
    expect(await dialog.getByTestId('storage-error-SecretKey').textContent()).toBe('This field is required.');
    await shot(page, 'storage-1-s3-errors');
    await dialog.locator('[name="Description"]').fill('S3 vaults');
    await dialog.locator('[name="S3Endpoint"]').fill(s3Url);
    await dialog.locator('[name="Region"]').fill('us-east-1');
    await dialog.locator('[name="AccessKey"]').fill('S3RVER');
    await dialog.locator('[name="SecretKey"]').fill('S3RVER');
    await dialog.locator('[name="Prefix"]').fill('ui');
    await dialog.getByTestId('storage-test').click();
    await dialog.getByTestId('storage-test-result').waitFor();
    expect(await dialog.getByTestId('storage-test-result').textContent()).toMatch(/^The template works/);
    await shot(page, 'storage-2-s3-tested');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('storage-template-S3 vaults').waitFor();

    // Halley Storage Role on this server, 5 GiB per vault (limits are entered in GiB, as on the vault editor).
    await page.getByTestId('storage-add-type').selectOption('comet');
    await page.getByTestId('storage-add').click();
    await dialog.locator('[name="Description"]').fill('Halley storage');
    await dialog.locator('[name="RemoteAddress"]').fill('ftp://nope');
    await dialog.getByRole('button', { name: 'Save' }).click();
    expect(await dialog.getByTestId('storage-error-RemoteAddress').textContent()).toBe('Enter an address starting with http:// or https://.');
    await dialog.locator('[name="RemoteAddress"]').fill('');
    await dialog.getByText('Limit the storage of each vault').click();
    await dialog.locator('[name="StorageLimitGiB"]').fill('5');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('storage-template-Halley storage').waitFor();

    let list = await templates(t.admin);
    expect(list.map((x: any) => [x.Type, x.Description])).toEqual([
      ['s3', 'S3 vaults'],
      ['comet', 'Halley storage'],
    ]);
    expect(list[0].S3).toMatchObject({ S3Endpoint: s3Url, AccessKey: 'S3RVER', SecretKey: '', Prefix: 'ui' });
    expect(list[1]).toMatchObject({ StorageLimitEnabled: true, StorageLimitBytes: 5 * 1024 ** 3 });

    // Editing: the secret is write-only (empty) and kept when left empty.
    await page.getByTestId('storage-template-S3 vaults').getByRole('button', { name: 'Edit' }).click();
    expect(await dialog.locator('[name="SecretKey"]').inputValue()).toBe('');
    await dialog.locator('[name="Description"]').fill('S3 vaults (ui)');
    await shot(page, 'storage-3-s3-edit');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('storage-template-S3 vaults (ui)').waitFor();
    await shot(page, 'storage-4-templates');

    // A limit set in bytes over the API shows rounded to 0.001 GiB and is kept to the byte unless the field is
    // edited; edited, it is the GiB entered.
    const current = await templates(t.admin);
    await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: current.map((x: any) => (x.Type === 'comet' ? { ...x, StorageLimitBytes: 1_000_000_000 } : x)) });
    await page.reload();
    const editHalley = async () => {
      await page.getByTestId('storage-template-Halley storage').getByRole('button', { name: 'Edit' }).click();
      return dialog.locator('[name="StorageLimitGiB"]');
    };
    expect(await (await editHalley()).inputValue()).toBe('0.931');
    await dialog.locator('[name="Description"]').fill('Halley storage (bytes)');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await templates(t.admin)).find((x: any) => x.Type === 'comet')).toMatchObject({ Description: 'Halley storage (bytes)', StorageLimitBytes: 1_000_000_000 });
    await page.getByTestId('storage-template-Halley storage (bytes)').getByRole('button', { name: 'Edit' }).click();
    await dialog.locator('[name="Description"]').fill('Halley storage');
    await dialog.locator('[name="StorageLimitGiB"]').fill('5');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await templates(t.admin)).find((x: any) => x.Type === 'comet')).toMatchObject({ Description: 'Halley storage', StorageLimitBytes: 5 * 1024 ** 3 });

    // A user added in the console, then a vault of each kind requested from the user page.
    const username = uniq('stor-user');
    await page.goto(`${halleyUrl()}/users`);
    await page.getByRole('button', { name: 'Add user' }).click();
    await dialog.locator('[name="username"]').fill(username);
    await dialog.locator('[name="password"]').fill('user-password-123');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await page.waitForURL((u) => u.pathname === `/users/${username}`);
    for (const name of ['S3 vaults (ui)', 'Halley storage']) {
      await page.getByTestId('request-storage-vault').click();
      await dialog.getByTestId('request-storage-provider').selectOption({ label: name });
      if (name === 'Halley storage') await shot(page, 'storage-5-request-dialog');
      await dialog.getByRole('button', { name: 'Request vault' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByTestId('request-storage-done').getByText(name).waitFor();
    }
    await page.goto(`${halleyUrl()}/users/${username}?tab=vaults`);
    await page.getByRole('cell', { name: 'S3 vaults (ui)' }).waitFor();
    await page.getByRole('cell', { name: 'Halley storage' }).waitFor();
    await shot(page, 'storage-6-user-vaults');
    const { Profile } = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: username });
    const vaults = Object.values<any>(Profile.Destinations);
    expect(vaults.find((v) => v.Description === 'S3 vaults (ui)')).toMatchObject({ DestinationType: 1000, S3AccessKey: 'S3RVER' });
    expect(vaults.find((v) => v.Description === 'Halley storage')).toMatchObject({ CometServer: halleyUrl().replace(/\/+$/, ''), StorageLimitEnabled: true, StorageLimitBytes: 5 * 1024 ** 3 });

    // Deleting the Halley template: a policy creating vaults from it switches to the replacement.
    list = await templates(t.admin);
    const [s3Id, cometId] = list.map((x: any) => x.ID);
    const made = await t.admin.ok('/api/v1/admin/policies/new', { Policy: { Description: 'auto vaults', Policy: { DefaultNewStorageVault: cometId } } });
    await page.goto(`${halleyUrl()}/settings/storage`);
    await page.getByTestId('storage-template-Halley storage').getByRole('button', { name: 'Delete' }).click();
    await dialog.getByTestId('storage-replacement').selectOption({ label: 'S3 vaults (ui)' });
    await shot(page, 'storage-7-delete');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('storage-template-Halley storage').waitFor({ state: 'detached' });
    expect((await templates(t.admin)).map((x: any) => x.ID)).toEqual([s3Id]);
    expect((await t.admin.ok('/api/v1/admin/policies/get', { PolicyID: made.PolicyID })).Policy.Policy.DefaultNewStorageVault).toBe(s3Id);
    expect(pageErrors(page)).toEqual([]);
  }, 240_000);

  it('lets a top-level admin pick the organization', async () => {
    const rootPage = await newPage(browser);
    await signIn(rootPage, halleyUrl(), ROOT.username, ROOT.password);
    await rootPage.goto(`${halleyUrl()}/settings/storage`);
    await rootPage.getByTestId('storage-org').selectOption(t.id);
    await rootPage.waitForURL((u) => u.searchParams.get('org') === t.id);
    await rootPage.getByTestId('storage-template-S3 vaults (ui)').waitFor();
    await shot(rootPage, 'storage-8-root-picks-tenant');
    expect(pageErrors(rootPage)).toEqual([]);
  }, 120_000);
});

describe('TargetOrganization on the template endpoints', () => {
  it('lets the top level read, test and write a tenant’s templates, and no one else', async () => {
    const other = await makeTenant('storui-other');
    const mine = await templates(root, t.id);
    expect(mine.map((x: any) => x.Description)).toEqual(['S3 vaults (ui)']);
    // Credentials left "" come from the tenant's stored template.
    expect(await root.ok('/api/v1/admin/meta/remote-storage-vault/test', { TemplateOptions: mine[0], TargetOrganization: t.id })).toMatchObject({ Status: 200 });
    await root.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: [{ Type: 'comet', Description: 'Other tenant Halley', ID: 'h1' }], TargetOrganization: other.id });
    expect((await templates(root, other.id)).map((x: any) => x.ID)).toEqual(['h1']);
    expect((await templates(root)).some((x: any) => x.ID === 'h1')).toBe(false);
    // A tenant admin cannot name an organization, and an unknown one is refused.
    expect((await t.admin.fails('/api/v1/admin/meta/remote-storage-vault/get', { TargetOrganization: other.id })).Status).not.toBe(200);
    expect((await root.fails('/api/v1/admin/meta/remote-storage-vault/get', { TargetOrganization: 'no-such-org' })).Status).not.toBe(200);
    expect((await root.fails('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: [{ Type: 's3', Description: 'x' }], TargetOrganization: t.id })).Message).toMatch(/S3Endpoint/);
  });
});

describe('Automatic vaults when a device registers', () => {
  const vaultsOf = async (c: CometClient, username: string) => Object.values<any>((await c.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: username })).Profile.Destinations ?? {});
  const devicesOf = async (c: CometClient, username: string) => Object.keys((await c.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: username })).Profile.Devices ?? {});

  it('makes one vault from the Default template, none for a second device, none when the policy says none', async () => {
    const auto = await makeTenant('storui-auto');
    await root.ok('/api/v1/admin/meta/remote-storage-vault/set', {
      RemoteStorageOptions: [
        { Type: 'comet', Description: 'Not default', ID: 'plain' },
        { Type: 'comet', Description: 'Automatic Halley', ID: 'auto', Default: true, StorageLimitEnabled: true, StorageLimitBytes: 1_000_000 },
      ],
      TargetOrganization: auto.id,
    });
    const user = await makeUser(auto.admin);
    agents.push(startAgent(halleyUrl(), user));
    await waitFor('vaults', async () => (await vaultsOf(auto.admin, user.username)).length === 1, 30_000);
    const [vault] = await vaultsOf(auto.admin, user.username);
    expect(vault).toMatchObject({ Description: 'Automatic Halley', CometServer: halleyUrl().replace(/\/+$/, ''), StorageLimitEnabled: true, StorageLimitBytes: 1_000_000 });
    expect(vault.CometBucket).toMatch(/^halley-/);
    expect((await auto.admin.ok('/api/v1/admin/storage/list-buckets'))[vault.CometBucket]).toBeDefined();

    // A second device of the same user: registered, but no second vault.
    agents.push(startAgent(halleyUrl(), user));
    await waitFor('devices', async () => (await devicesOf(auto.admin, user.username)).length === 2, 30_000);
    expect(await vaultsOf(auto.admin, user.username)).toHaveLength(1);

    // A policy that names a template uses it; NEW_STORAGE_VAULT_MODE_NONE makes none.
    for (const [mode, expected] of [
      ['plain', ['Not default']],
      ['none', []],
    ] as const) {
      const policy = await auto.admin.ok('/api/v1/admin/policies/new', { Policy: { Description: `vault ${mode}`, Policy: { DefaultNewStorageVault: mode } } });
      const other = await makeUser(auto.admin);
      const { Profile, ProfileHash } = await auto.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: other.username });
      await auto.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: other.username, ProfileData: { ...Profile, PolicyID: policy.PolicyID }, RequireHash: ProfileHash });
      agents.push(startAgent(halleyUrl(), other));
      await waitFor('devices', async () => (await devicesOf(auto.admin, other.username)).length === 1, 30_000);
      if (expected.length) await waitFor('vaults', async () => (await vaultsOf(auto.admin, other.username)).length === 1, 30_000);
      expect((await vaultsOf(auto.admin, other.username)).map((v) => v.Description)).toEqual(expected);
    }
  }, 120_000);
});
