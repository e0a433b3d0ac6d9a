// The Halley extension endpoints the console is built on, over HTTP like any integrator would call
// them: paged user list, global search, getting-started progress, console preferences, user transfer
// between tenants, admin permissions.
import { beforeAll, describe, expect, it } from 'vitest';
import { StreamableEventType as SEVT } from '../../lib/comet/constants';
import { client, makeTenant, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { sampleProfile } from '../helpers/sample-profile';
import { eventsFor, makeAdmin } from '../helpers/security';

let a: TenantFixture;
let b: TenantFixture;
let prefix: string;

beforeAll(async () => {
  await rootClient();
  a = await makeTenant('cons-a');
  b = await makeTenant('cons-b');
  prefix = uniq('pg');
  for (const n of ['c', 'a', 'b', 'e', 'd']) await a.admin.ok('/api/v1/admin/add-user', { TargetUser: `${prefix}-${n}`, TargetPassword: 'user-pw-123' });
  const profile = sampleProfile(`${prefix}-rich`);
  await a.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: `${prefix}-rich`, ProfileData: profile });
  await b.admin.ok('/api/v1/admin/add-user', { TargetUser: `${prefix}-other`, TargetPassword: 'user-pw-123' });
});

describe('admin/list-users-page', () => {
  it('pages, sorts and searches within the tenant', async () => {
    const page1 = await a.admin.ok('/api/v1/admin/list-users-page', { Query: prefix, SortBy: 'Username', Limit: 2 });
    expect(page1.TotalCount).toBe(6);
    expect(page1.Users.map((u: any) => u.Username)).toEqual([`${prefix}-a`, `${prefix}-b`]);
    const page3 = await a.admin.ok('/api/v1/admin/list-users-page', { Query: prefix, SortBy: 'Username', Limit: 2, Offset: 4 });
    expect(page3.Users.map((u: any) => u.Username)).toEqual([`${prefix}-e`, `${prefix}-rich`]);
    const desc = await a.admin.ok('/api/v1/admin/list-users-page', { Query: prefix, SortBy: 'Devices', SortDesc: true, Limit: 1 });
    expect(desc.Users[0]).toMatchObject({ Username: `${prefix}-rich`, Devices: 2, StorageVaults: 2, ProtectedItems: 2, OrganizationID: a.id });
    // B's user is not in A's list, even when searched by name.
    expect((await a.admin.ok('/api/v1/admin/list-users-page', { Query: `${prefix}-other` })).TotalCount).toBe(0);
    expect((await b.admin.ok('/api/v1/admin/list-users-page', { Query: prefix })).Users.map((u: any) => u.Username)).toEqual([`${prefix}-other`]);
  });

  it('refuses bad paging and sort parameters with a clear message', async () => {
    expect(await a.admin.call('/api/v1/admin/list-users-page', { SortBy: 'PasswordHash' }).then((r) => r.body)).toEqual({ Status: 400, Message: expect.stringMatching(/SortBy must be one of/) });
    expect(await a.admin.call('/api/v1/admin/list-users-page', { Limit: 0 }).then((r) => r.body)).toEqual({ Status: 400, Message: expect.stringMatching(/Limit must be between 1 and 500/) });
    expect(await a.admin.call('/api/v1/admin/list-users-page', { Offset: -1 }).then((r) => r.body.Status)).toBe(400);
  });
});

it('searches users, storage vaults and protected items within the tenant', async () => {
  const hits = await a.admin.ok('/api/v1/admin/search', { Query: 'offsite' });
  expect(hits.StorageVaults).toEqual([expect.objectContaining({ Username: `${prefix}-rich`, ID: 'vault-s3', Name: 'Offsite S3' })]);
  expect((await a.admin.ok('/api/v1/admin/search', { Query: 'documents' })).ProtectedItems[0]).toMatchObject({ Username: `${prefix}-rich`, ID: 'item-files' });
  expect((await b.admin.ok('/api/v1/admin/search', { Query: 'offsite' })).StorageVaults).toEqual([]);
  expect((await b.admin.ok('/api/v1/admin/search', { Query: prefix })).Users.map((u: any) => u.Username)).toEqual([`${prefix}-other`]);
});

it('reports getting-started progress in the admin’s scope', async () => {
  expect(await a.admin.ok('/api/v1/admin/meta/getting-started')).toMatchObject({ StorageConfigured: true, UserAdded: true, DeviceRegistered: true, ProtectedItemAdded: true });
  const fresh = await makeTenant('cons-empty');
  expect(await fresh.admin.ok('/api/v1/admin/meta/getting-started')).toEqual({ StorageConfigured: false, UserAdded: false, DeviceRegistered: false, ProtectedItemAdded: false, BackupJobRun: false, FirstUser: '' });
  // A Storage Template (what a new user's vault is made from) configures storage before any vault exists.
  const root = await rootClient();
  await root.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: [{ Type: 'comet', Description: 'This Halley', ID: 'here' }], TargetOrganization: fresh.id });
  expect(await fresh.admin.ok('/api/v1/admin/meta/getting-started')).toMatchObject({ StorageConfigured: true, UserAdded: false });
});

it('stores console preferences per admin and validates them', async () => {
  const admin = client((await makeAdmin('prefs')) as never);
  await admin.ok('/api/v1/admin/account/console-preferences/set', { Preferences: JSON.stringify({ PageSize: 50, TableColumns: { users: ['Username', 'Devices'] } }) });
  await admin.ok('/api/v1/admin/account/console-preferences/set', { Preferences: JSON.stringify({ AdvancedOptions: true }) });
  const prefs = await admin.ok('/api/v1/admin/account/console-preferences/get');
  expect(prefs).toMatchObject({ PageSize: 50, AdvancedOptions: true, TableColumns: { users: { Columns: ['Username', 'Devices'] } } });
  expect((await admin.call('/api/v1/admin/account/console-preferences/set', { Preferences: '{"PageSize":7}' })).body).toEqual({ Status: 400, Message: expect.stringMatching(/PageSize must be one of 10, 25, 50, 100/) });
  expect((await admin.call('/api/v1/admin/account/console-preferences/set', { Preferences: 'nope' })).body.Status).toBe(400);
  expect((await admin.call('/api/v1/admin/account/console-preferences/set', { Preferences: '{"Unknown":1}' })).body.Status).toBe(400);
  // Another admin's preferences are untouched.
  expect((await a.admin.ok('/api/v1/admin/account/console-preferences/get')).PageSize).toBeUndefined();
});

describe('admin/transfer-user', () => {
  it('moves a user with its devices, vaults and items to another tenant and lists its offline devices', async () => {
    const root = await rootClient();
    const username = `${prefix}-rich`;
    const policy = (await a.admin.ok('/api/v1/admin/policies/new', { Policy: { Description: uniq('a-policy') } })).PolicyID;
    const p = await a.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: username });
    await a.admin.ok('/api/v1/admin/set-user-profile', { TargetUser: username, ProfileData: { ...p, PolicyID: policy } });

    const res = await root.ok('/api/v1/admin/transfer-user', { TargetUser: username, TargetOrganization: b.id });
    expect(res.OfflineDevices).toEqual([
      { DeviceID: 'dev-1', FriendlyName: 'OFFICE-PC' },
      { DeviceID: 'dev-2', FriendlyName: 'SQL01' },
    ]);
    // A no longer sees it (exactly like a missing user); B sees it with everything it had.
    const gone = await a.admin.call('/api/v1/admin/get-user-profile', { TargetUser: username });
    const missing = await a.admin.call('/api/v1/admin/get-user-profile', { TargetUser: 'zz-missing' });
    expect(gone.text.replace(username, 'X')).toBe(missing.text.replace('zz-missing', 'X'));
    const moved = await b.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: username });
    expect(Object.keys(moved.Destinations)).toEqual(expect.arrayContaining(['vault-s3', 'vault-sftp']));
    expect(Object.keys(moved.Devices).sort()).toEqual(['dev-1', 'dev-2']);
    // A's policy does not follow the user into B.
    expect(moved.PolicyID).toBe('');
    expect((await b.admin.ok('/api/v1/admin/search', { Query: 'offsite' })).StorageVaults).toHaveLength(1);
    expect((await eventsFor(username, SEVT.SEVT_ACCOUNT_NEW)).map((e) => e.tenantId)).toContain(b.id);
  });

  it('is refused for tenant admins and for the tenant the user is already in', async () => {
    const r = await a.admin.call('/api/v1/admin/transfer-user', { TargetUser: `${prefix}-a`, TargetOrganization: b.id });
    expect(r.body.Status).toBe(403);
    const root = await rootClient();
    const same = await root.call('/api/v1/admin/transfer-user', { TargetUser: `${prefix}-a`, TargetOrganization: a.id });
    expect(same.body).toEqual({ Status: 400, Message: expect.stringMatching(/already in that organization/) });
    const unknownOrg = await root.call('/api/v1/admin/transfer-user', { TargetUser: `${prefix}-a`, TargetOrganization: 'no-such-org' });
    expect(unknownOrg.body.Status).toBe(404);
  });
});

it('lets a top-level admin set another admin’s permissions, not their own', async () => {
  const root = await rootClient();
  await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: a.adminName, Permissions: { AllowEditBranding: true, PreventChangePassword: true } });
  const listed = (await root.ok('/api/v1/admin/admin-user/list')).find((x: any) => x.Username === a.adminName);
  expect(listed.Permissions).toMatchObject({ AllowEditBranding: true, PreventChangePassword: true });
  expect((await root.call('/api/v1/admin/admin-user/set-permissions', { TargetUser: 'root-admin', Permissions: {} })).body).toEqual({ Status: 400, Message: 'You cannot change your own permissions' });
  expect((await root.call('/api/v1/admin/admin-user/set-permissions', { TargetUser: 'zz-missing-admin', Permissions: {} })).body.Status).toBe(404);
});
