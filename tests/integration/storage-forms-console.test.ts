// The storage forms in a real browser, type by type. Settings → Storage templates for aws, wasabi,
// idrivee2, b2 and custom: the fields each type shows (and not another type's), required fields and a
// server refusal shown next to their field, save, reload, and the edit form showing the saved values
// with every secret empty (never sent back to the page). The user page's vault editor for the Comet,
// SFTP, FTP, B2, Azure, WebDAV and SMB forms and the raw-JSON editor (OpenStack Swift): errors next to the
// field, save, reload, the values kept and secrets shown only as "stored"; and a successful vault delete
// (gone from the page and the profile, SEVT_ACCOUNT_UPDATED written). No endpoint here is contacted:
// templates are only stored (the endpoints name 127.0.0.1 so that no name is resolved), vaults only saved.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamableEventType as SEVT } from '../../lib/comet/constants';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { makeTenant, makeUser, rootClient, type TenantFixture } from '../helpers/fixtures';
import { allowPrivateTargets } from '../helpers/private-targets';
import { sql } from '../helpers/security';
import { halleyUrl } from '../helpers/server';

let browser: Browser;
let page: Page;
let t: TenantFixture;
let restorePrivate: () => Promise<void>;

beforeAll(async () => {
  const root = await rootClient();
  t = await makeTenant('storforms');
  restorePrivate = await allowPrivateTargets(true);
  await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: t.adminName, Permissions: { AllowEditRemoteStorage: true } });
  browser = await launchBrowser();
  page = await newPage(browser);
  page.on('dialog', (d) => void d.accept());
  await signIn(page, halleyUrl(), t.adminName, t.admin.creds!.password!);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await restorePrivate?.();
});

type TemplateCase = {
  type: 'aws' | 'wasabi' | 'idrivee2' | 'b2' | 'custom';
  description: string;
  /** Inputs this type's form has, and inputs of other types it must not have. */
  shows: string[];
  hides: string[];
  /** Errors an empty form shows (field keys of data-testid="storage-error-<key>"). */
  required: string[];
  /** Filled in order; secrets are checked to come back empty. */
  fill: Record<string, string>;
  secrets: string[];
  /** A value the server refuses, shown under its field (field key, input, bad value). */
  refused?: [string, string, string];
  /** What the API then stores (public part). */
  stored: Record<string, unknown>;
};

const CASES: TemplateCase[] = [
  {
    type: 'aws',
    description: 'Amazon S3 vaults',
    shows: ['S3Endpoint', 'IAMEndpoint', 'Region', 'AccessKey', 'SecretKey', 'MasterBucket', 'Prefix', 'ObjectLockMode'],
    hides: ['RemoteAddress', 'KeyID', 'AppKey', 'URL'],
    required: ['Description', 'AccessKey', 'SecretKey'],
    fill: { Description: 'Amazon S3 vaults', S3Endpoint: 'http://127.0.0.1:9001', IAMEndpoint: 'http://127.0.0.1:9002', Region: 'eu-west-1', AccessKey: 'AKIAJOURNEYAWS', SecretKey: 'aws-secret-value-1', MasterBucket: 'aws-master', Prefix: 'tenants' },
    secrets: ['SecretKey'],
    refused: ['S3Endpoint', 'S3Endpoint', 'http://user:pw@127.0.0.1:9001'],
    stored: { AWS: { S3Endpoint: 'http://127.0.0.1:9001', IAMEndpoint: 'http://127.0.0.1:9002', Region: 'eu-west-1', AccessKey: 'AKIAJOURNEYAWS', SecretKey: '', MasterBucket: 'aws-master', Prefix: 'tenants' } },
  },
  {
    type: 'wasabi',
    description: 'Wasabi vaults',
    shows: ['S3Endpoint', 'IAMEndpoint', 'Region', 'AccessKey', 'SecretKey', 'MasterBucket'],
    hides: ['RemoteAddress', 'KeyID', 'URL'],
    required: ['Description', 'AccessKey', 'SecretKey'],
    fill: { Description: 'Wasabi vaults', S3Endpoint: 'http://127.0.0.1:9003', IAMEndpoint: 'http://127.0.0.1:9004', Region: 'eu-central-1', AccessKey: 'WASABIKEY', SecretKey: 'wasabi-secret-value-1' },
    secrets: ['SecretKey'],
    stored: { Wasabi: { S3Endpoint: 'http://127.0.0.1:9003', IAMEndpoint: 'http://127.0.0.1:9004', Region: 'eu-central-1', AccessKey: 'WASABIKEY', SecretKey: '' } },
  },
  {
    type: 'idrivee2',
    description: 'IDrive e2 vaults',
    shows: ['S3Endpoint', 'IAMEndpoint', 'Region', 'AccessKey', 'SecretKey'],
    hides: ['RemoteAddress', 'KeyID', 'URL'],
    required: ['Description', 'S3Endpoint', 'IAMEndpoint', 'AccessKey', 'SecretKey'],
    fill: { Description: 'IDrive e2 vaults', S3Endpoint: 'http://127.0.0.1:9005', IAMEndpoint: 'http://127.0.0.1:9006', AccessKey: 'E2KEY', SecretKey: 'e2-secret-value-1' },
    secrets: ['SecretKey'],
    stored: { S3: { S3Endpoint: 'http://127.0.0.1:9005', IAMEndpoint: 'http://127.0.0.1:9006', AccessKey: 'E2KEY', SecretKey: '' } },
  },
  {
    type: 'b2',
    description: 'Backblaze B2 vaults',
    shows: ['KeyID', 'AppKey', 'MasterBucket', 'APIEndpoint'],
    hides: ['S3Endpoint', 'AccessKey', 'RemoteAddress', 'URL'],
    required: ['Description', 'KeyID', 'AppKey'],
    fill: { Description: 'Backblaze B2 vaults', KeyID: '0051journeyb2', AppKey: 'K005-b2-secret-value-1', MasterBucket: 'b2-master', APIEndpoint: 'http://127.0.0.1:9007' },
    secrets: ['AppKey'],
    refused: ['APIEndpoint', 'APIEndpoint', 'http://user:pw@127.0.0.1:9007'],
    stored: { B2: { KeyID: '0051journeyb2', AppKey: '', MasterBucket: 'b2-master', APIEndpoint: 'http://127.0.0.1:9007' } },
  },
  {
    type: 'custom',
    description: 'Custom provisioning',
    shows: ['URL', 'CustomHeaders', 'CustomBodyType'],
    hides: ['S3Endpoint', 'KeyID', 'RemoteAddress'],
    required: ['Description', 'URL'],
    fill: { Description: 'Custom provisioning', URL: 'http://127.0.0.1:9008/provision', CustomHeaders: 'Authorization: Bearer custom-secret-token-1\nX-Tenant: journey' },
    secrets: [],
    stored: { Custom: { URL: 'http://127.0.0.1:9008/provision', CustomHeaders: { Authorization: '', 'X-Tenant': '' }, CustomBodyType: 'json', CustomBody: '{"plan":"gold"}' } },
  },
];

const SECRET_VALUES = ['aws-secret-value-1', 'wasabi-secret-value-1', 'e2-secret-value-1', 'K005-b2-secret-value-1', 'custom-secret-token-1'];

describe('Settings → Storage templates, per type (browser)', () => {
  for (const c of CASES) {
    it(`${c.type}: its fields, errors next to them, save, reload, secrets never shown back`, async () => {
      await page.goto(`${halleyUrl()}/settings/storage`);
      await page.waitForLoadState('networkidle');
      await page.getByTestId('storage-add-type').selectOption(c.type);
      await page.getByTestId('storage-add').click();
      const dialog = page.getByRole('dialog');
      for (const name of c.shows) expect(await dialog.locator(`[name="${name}"]`).count(), `${c.type} shows ${name}`).toBe(1);
      for (const name of c.hides) expect(await dialog.locator(`[name="${name}"]`).count(), `${c.type} hides ${name}`).toBe(0);
      if (c.type === 'custom') await dialog.locator('[name="URL"]').fill('');

      // Required fields, in the UI language, next to themselves.
      await dialog.getByRole('button', { name: 'Save' }).click();
      for (const key of c.required) expect(await dialog.getByTestId(`storage-error-${key}`).textContent(), key).toMatch(/^(This field is required\.|Enter an address starting with http:\/\/ or https:\/\/\.)$/);
      await shot(page, `storage-forms-${c.type}-1-errors`);

      for (const [name, value] of Object.entries(c.fill)) await dialog.locator(`[name="${name}"]`).fill(value);
      if (c.type === 'custom') {
        await dialog.locator('[name="CustomBodyType"]').selectOption('json');
        await dialog.locator('[name="CustomBody"]').fill('{"plan":"gold"}');
      }
      // The server's own check (no credentials in an endpoint URL), shown under that field in words without the API
      // parameter's name (the field says which one it is).
      if (c.refused) {
        const [key, input, bad] = c.refused;
        await dialog.locator(`[name="${input}"]`).fill(bad);
        await dialog.getByRole('button', { name: 'Save' }).click();
        await dialog.getByTestId(`storage-error-${key}`).waitFor();
        const shown = (await dialog.getByTestId(`storage-error-${key}`).textContent()) ?? '';
        expect(shown.length).toBeGreaterThan(0);
        expect(shown).not.toContain(input);
        await dialog.locator(`[name="${input}"]`).fill(c.fill[input]);
      }
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByTestId(`storage-template-${c.description}`).waitFor();

      // After a reload, the edit form shows what was saved; secrets are empty and absent from the page.
      await page.reload();
      await page.waitForLoadState('networkidle');
      await page.getByTestId(`storage-template-${c.description}`).getByRole('button', { name: 'Edit' }).click();
      for (const [name, value] of Object.entries(c.fill)) {
        if (c.secrets.includes(name)) expect(await dialog.locator(`[name="${name}"]`).inputValue(), name).toBe('');
        else if (name !== 'CustomHeaders') expect(await dialog.locator(`[name="${name}"]`).inputValue(), name).toBe(value);
      }
      if (c.type === 'custom') {
        // Header names are kept, their values (usually a token) are not shown; the order is the store's.
        expect((await dialog.locator('[name="CustomHeaders"]').inputValue()).split('\n').sort()).toEqual(['Authorization: ', 'X-Tenant: ']);
        expect(await dialog.locator('[name="CustomBodyType"]').inputValue()).toBe('json');
        expect(await dialog.locator('[name="CustomBody"]').inputValue()).toBe('{"plan":"gold"}');
      }
      const html = await page.content();
      for (const secret of SECRET_VALUES) expect(html).not.toContain(secret);
      await shot(page, `storage-forms-${c.type}-2-reloaded`);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });

      const stored = (await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/get')).find((x: any) => x.Description === c.description);
      expect(stored).toMatchObject({ Type: c.type, ...c.stored });
      expect(pageErrors(page)).toEqual([]);
    }, 120_000);
  }

  it("seals every template's secrets at rest", async () => {
    const rows = await sql('SELECT description, secrets FROM "StorageTemplate" WHERE "tenantId" = $1 ORDER BY position', [t.id]);
    expect(rows.map((r) => r.description)).toEqual(CASES.map((c) => c.description));
    // Sealed at rest: no secret in the clear in the row, but one sealed value per template.
    for (const r of rows) {
      expect(r.secrets, r.description).toBeTruthy();
      for (const secret of SECRET_VALUES) expect(String(r.secrets)).not.toContain(secret);
    }
  });
});

describe('the user page vault editor, per type (browser)', () => {
  let user: { username: string; password: string };
  const userUrl = () => `${halleyUrl()}/users/${encodeURIComponent(user.username)}?tab=vaults`;
  const profile = async () => (await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username })).Profile;
  const sealedOf = async (id: string) => (await t.admin.ok('/api/v1/admin/get-user-profile-sealed-fields', { TargetUser: user.username })).Destinations[id] ?? [];

  beforeAll(async () => {
    user = await makeUser(t.admin);
  });

  type VaultCase = {
    name: string;
    type: number;
    /** A wrong first try: inputs, and the field errors it gives. */
    bad: Record<string, string>;
    errors: string[];
    good: Record<string, string>;
    select?: Record<string, string>;
    secrets: Record<string, string>;
    expected: Record<string, unknown>;
  };
  const VAULTS: VaultCase[] = [
    {
      name: 'Halley bucket',
      type: 1003,
      bad: { CometServer: 'ftp://storage.example.com/' },
      errors: ['CometServer', 'CometBucket', 'CometBucketKey'],
      good: { CometServer: 'https://storage.example.com/', CometBucket: 'halley-bucket-1' },
      secrets: { CometBucketKey: 'bucket-key-secret-1' },
      expected: { CometServer: 'https://storage.example.com/', CometBucket: 'halley-bucket-1', CometBucketKey: '' },
    },
    {
      name: 'SFTP server',
      type: 1001,
      bad: { SFTPServer: 'sftp example com' },
      errors: ['SFTPServer', 'SFTPUsername', 'SFTPPassword'],
      select: { SFTPAuthMode: '1' },
      good: { SFTPServer: 'sftp.example.com:2222', SFTPUsername: 'backup', SFTPRemotePath: '/srv/backups' },
      secrets: { SFTPPassword: 'sftp-secret-1' },
      expected: { SFTPServer: 'sftp.example.com:2222', SFTPUsername: 'backup', SFTPRemotePath: '/srv/backups', SFTPAuthMode: 1, SFTPPassword: '' },
    },
    {
      name: 'FTP server',
      type: 1004,
      bad: { FTPServer: 'ftp://ftp example', FTPPort: '70000' },
      errors: ['FTPServer', 'FTPPort'],
      select: { FTPSMode: '2' },
      good: { FTPServer: 'ftp.example.com', FTPPort: '2121', FTPUsername: 'backup', FTPCustomBaseDirectory: '/srv/backups' },
      secrets: { FTPPassword: 'ftp-secret-1' },
      expected: { FTPServer: 'ftp.example.com', FTPPort: 2121, FTPSMode: 2, FTPUsername: 'backup', FTPCustomBaseDirectory: '/srv/backups', FTPPassword: '' },
    },
    {
      name: 'B2 bucket',
      type: 1008,
      bad: {},
      errors: ['B2.AccountID', 'B2.Bucket', 'B2.Key'],
      good: { 'B2.AccountID': '0051vaultb2', 'B2.Bucket': 'b2-vault', 'B2.Prefix': 'laptop' },
      secrets: { 'B2.Key': 'b2-vault-secret-1' },
      expected: { B2: expect.objectContaining({ AccountID: '0051vaultb2', Bucket: 'b2-vault', Prefix: 'laptop' }) },
    },
    {
      name: 'Azure container',
      type: 1005,
      bad: {},
      errors: ['AZBAccountName', 'AZBContainer', 'AZBAccountKey'],
      good: { AZBAccountName: 'journeyaccount', AZBContainer: 'backups', AZBRealm: 'core.windows.net', AZBPrefix: 'ana' },
      secrets: { AZBAccountKey: 'azure-secret-1' },
      expected: { AZBAccountName: 'journeyaccount', AZBContainer: 'backups', AZBRealm: 'core.windows.net', AZBPrefix: 'ana', AZBAccountKey: '' },
    },
    {
      name: 'WebDAV share',
      type: 1010,
      bad: { 'WebDav.DavServer': 'ftp://dav.example.com/' },
      errors: ['WebDav.DavServer'],
      good: { 'WebDav.DavServer': 'https://dav.example.com/remote.php/dav', 'WebDav.UserName': 'ana', 'WebDav.Path': 'backups' },
      secrets: { 'WebDav.AccessKey': 'webdav-secret-1' },
      expected: { WebDav: expect.objectContaining({ DavServer: 'https://dav.example.com/remote.php/dav', UserName: 'ana', Path: 'backups' }) },
    },
    {
      name: 'Office NAS',
      type: 1011,
      bad: { 'SMB.SMBServer': '\\\\nas.example.lan\\backups' },
      errors: ['SMB.SMBServer', 'SMB.SMBShare'],
      good: { 'SMB.SMBServer': 'nas.example.lan:4450', 'SMB.SMBShare': 'backups', 'SMB.SMBDirectory': 'ana', 'SMB.SMBUsername': 'OFFICE\\ana' },
      secrets: { 'SMB.SMBPassword': 'smb-secret-1' },
      expected: { SMB: expect.objectContaining({ SMBServer: 'nas.example.lan:4450', SMBShare: 'backups', SMBDirectory: 'ana', SMBUsername: 'OFFICE\\ana' }) },
    },
  ];
  const VAULT_SECRETS = VAULTS.flatMap((v) => Object.values(v.secrets));

  async function openVaults(): Promise<void> {
    await page.goto(userUrl());
    await page.waitForLoadState('networkidle');
  }
  const fieldError = (dialog: Locator, key: string) => dialog.locator(`[data-field-error="${key}"]`);

  for (const v of VAULTS) {
    it(`${v.name} (type ${v.type}): errors next to the fields, save, reload, values kept, secret stored only`, async () => {
      await openVaults();
      await page.getByTestId('add-Destinations').click();
      const dialog = page.getByTestId('vault-editor');
      await dialog.locator('select[name="DestinationType"]').selectOption(String(v.type));
      await dialog.locator('[name="Description"]').fill(v.name);
      for (const [name, value] of Object.entries(v.select ?? {})) await dialog.locator(`select[name="${name}"]`).selectOption(value);
      for (const [name, value] of Object.entries(v.bad)) await dialog.locator(`[name="${name}"]`).fill(value);
      await dialog.getByRole('button', { name: 'Save' }).click();
      for (const key of v.errors) await fieldError(dialog, key).waitFor();
      await shot(page, `vault-forms-${v.type}-1-errors`);

      for (const [name, value] of Object.entries({ ...v.good, ...v.secrets })) await dialog.locator(`[name="${name}"]`).fill(value);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('cell', { name: v.name, exact: true }).waitFor();

      const [id, saved] = Object.entries<any>((await profile()).Destinations).find(([, d]) => d.Description === v.name)!;
      expect(saved).toMatchObject({ DestinationType: v.type, ...v.expected });
      // A stored secret comes back empty or not at all (nested ones are left out).
      for (const name of Object.keys(v.secrets)) expect(name.split('.').reduce<any>((o, k) => o?.[k], saved) ?? '', name).toBe('');
      expect(await sealedOf(id)).toEqual(Object.keys(v.secrets));

      await page.reload();
      await page.waitForLoadState('networkidle');
      await page.locator(`[data-entry="${id}"]`).getByRole('button', { name: 'Edit' }).click();
      for (const [name, value] of Object.entries(v.good)) expect(await dialog.locator(`[name="${name}"]`).inputValue(), name).toBe(value);
      for (const name of Object.keys(v.secrets)) await dialog.locator(`[data-sealed="${name}"]`).waitFor();
      const html = await page.content();
      for (const secret of VAULT_SECRETS) expect(html).not.toContain(secret);
      await shot(page, `vault-forms-${v.type}-2-reloaded`);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(pageErrors(page)).toEqual([]);
    }, 120_000);
  }

  it('the raw-JSON editor (OpenStack Swift): a JSON error shown, save, reload, values kept, the key sealed', async () => {
    await openVaults();
    await page.getByTestId('add-Destinations').click();
    const dialog = page.getByTestId('vault-editor');
    await dialog.locator('select[name="DestinationType"]').selectOption('1007');
    await dialog.locator('[name="Description"]').fill('Swift container');
    const json = dialog.locator('textarea[name="json"]');
    await json.fill('{ "Swift": { "Server": ');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'JSON' }).waitFor();
    await shot(page, 'vault-forms-json-1-error');
    const swift = { Server: 'https://swift.example.com/v3', Username: 'ana', APIKey: 'swift-secret-1', Container: 'backups', Prefix: 'laptop', Region: 'RegionOne' };
    await json.fill(JSON.stringify({ Swift: swift }, null, 2));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'Swift container', exact: true }).waitFor();

    const [id, saved] = Object.entries<any>((await profile()).Destinations).find(([, d]) => d.Description === 'Swift container')!;
    const { APIKey: _key, ...visible } = swift;
    expect(saved).toMatchObject({ DestinationType: 1007, Swift: visible });
    expect(saved.Swift.APIKey ?? '').toBe('');
    expect(await sealedOf(id)).toEqual(['Swift.APIKey']);

    await page.reload();
    await page.waitForLoadState('networkidle');
    await page.locator(`[data-entry="${id}"]`).getByRole('button', { name: 'Edit' }).click();
    const shown = JSON.parse(await json.inputValue());
    expect(shown.Swift).toMatchObject(visible);
    expect(shown.Swift.APIKey ?? '').toBe('');
    expect(await page.content()).not.toContain('swift-secret-1');
    // Saved again unchanged: the stored key stays (an empty secret keeps the stored value).
    await dialog.locator('[name="Description"]').fill('Swift container (edited)');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'Swift container (edited)', exact: true }).waitFor();
    expect(await sealedOf(id)).toEqual(['Swift.APIKey']);
    await shot(page, 'vault-forms-json-2-saved');
    expect(pageErrors(page)).toEqual([]);
  }, 120_000);

  it('deletes a vault: gone from the page and the profile, the change recorded as an event', async () => {
    await openVaults();
    const before = await profile();
    const [id] = Object.entries<any>(before.Destinations).find(([, d]) => d.Description === 'Office NAS')!;
    const [{ max }] = await sql('SELECT coalesce(max(id), 0) AS max FROM "Event"');
    await page.locator(`[data-entry="${id}"]`).getByRole('button', { name: 'Delete' }).click();
    await page.locator(`[data-entry="${id}"]`).waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'Office NAS', exact: true }).waitFor({ state: 'detached' });
    await shot(page, 'vault-forms-delete');
    const after = await profile();
    expect(after.Destinations[id]).toBeUndefined();
    expect(Object.keys(after.Destinations).sort()).toEqual(Object.keys(before.Destinations).filter((k) => k !== id).sort());
    expect(await sealedOf(id)).toEqual([]);
    const events = await sql('SELECT type, "resourceId" FROM "Event" WHERE id > $1 AND "tenantId" = $2', [max, t.id]);
    expect(events).toContainEqual({ type: SEVT.SEVT_ACCOUNT_UPDATED, resourceId: user.username });
    await page.reload();
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('cell', { name: 'Office NAS', exact: true }).count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
  }, 120_000);
});
