// Server facts and roles answered in Comet's shape: replication (none), network interfaces, the software
// build role's options (server-wide: top level only, round-trip with unknown fields), and the legacy U2F pair.
import { expect, it } from 'vitest';
import { makeTenant, rootClient } from '../helpers/fixtures';

it('replication state is an empty list of replicators; network interfaces list the loopback address; both are top level only', async () => {
  const root = await rootClient();
  expect(await root.ok('/api/v1/admin/replication/state')).toEqual([]);
  const interfaces: string[] = await root.ok('/api/v1/admin/meta/server-config/network-interfaces');
  expect(interfaces.slice(0, 2)).toEqual(['0.0.0.0', '::']);
  expect(interfaces).toContain('127.0.0.1');
  const t = await makeTenant('server-info');
  expect((await t.admin.fails('/api/v1/admin/replication/state')).Status).toBe(403);
  expect((await t.admin.fails('/api/v1/admin/meta/server-config/network-interfaces')).Status).toBe(403);
});

it('the software build role options round-trip unchanged (unknown fields too), are validated, and stay with the top level', async () => {
  const root = await rootClient();
  const before = (await root.ok('/api/v1/admin/meta/build-config/get')).SoftwareBuildRole;
  expect(before).toMatchObject({ RoleEnabled: expect.any(Boolean), AllowUnauthenticatedDownloads: expect.any(Boolean), MaxBuilders: expect.any(Number) });
  try {
    const next = { RoleEnabled: true, AllowUnauthenticatedDownloads: true, MaxBuilders: 3, FutureField: { Kept: 'yes' } };
    expect(await root.ok('/api/v1/admin/meta/build-config/set', { SoftwareBuildRoleConfig: next })).toEqual({ Status: 200, Message: 'OK' });
    expect(await root.ok('/api/v1/admin/meta/build-config/get')).toEqual({ SoftwareBuildRole: next });
    expect((await root.fails('/api/v1/admin/meta/build-config/set', { SoftwareBuildRoleConfig: { MaxBuilders: -1 } })).Message).toMatch(/MaxBuilders/);
    expect((await root.fails('/api/v1/admin/meta/build-config/set', { SoftwareBuildRoleConfig: { RoleEnabled: 'yes' } })).Message).toMatch(/SoftwareBuildRoleConfig\.RoleEnabled/);
    const t = await makeTenant('build-config');
    expect((await t.admin.fails('/api/v1/admin/meta/build-config/get')).Status).toBe(403);
    expect((await t.admin.fails('/api/v1/admin/meta/build-config/set', { SoftwareBuildRoleConfig: { RoleEnabled: false } })).Status).toBe(403);
    expect(await root.ok('/api/v1/admin/meta/build-config/get')).toEqual({ SoftwareBuildRole: next });
  } finally {
    await root.ok('/api/v1/admin/meta/build-config/set', { SoftwareBuildRoleConfig: before });
  }
});

it('the legacy U2F registration answers a clear error that points to WebAuthn', async () => {
  const root = await rootClient();
  const r = await root.fails('/api/v1/admin/account/u2f/request-registration-challenge', { SelfAddress: 'http://localhost/' });
  expect(r.Status).toBe(400);
  expect(r.Message).toMatch(/WebAuthn/);
  expect((await root.fails('/api/v1/admin/account/u2f/submit-challenge-response', { U2FChallengeID: 'x', U2FClientData: 'x', U2FRegistrationData: 'x', U2FVersion: 'U2F_V2' })).Message).toMatch(/webauthn\/request-registration-challenge/);
});

it('meta/version names the roles this server plays: Storage Role always, the build role and Constellation as configured', async () => {
  const root = await rootClient();
  const t = await makeTenant('version-roles');
  const build = (await root.ok('/api/v1/admin/meta/build-config/get')).SoftwareBuildRole;
  try {
    const v = await root.ok('/api/v1/admin/meta/version');
    expect(v).toMatchObject({ StorageRole: true, AuthenticationRole: true, SoftwareBuildRole: build.RoleEnabled !== false });
    for (const k of ['EmailsSentSuccessfully', 'EmailsSentErrors', 'EmailsWaitingInQueue']) expect(v[k]).toEqual(expect.any(Number));
    await root.ok('/api/v1/admin/meta/build-config/set', { SoftwareBuildRoleConfig: { ...build, RoleEnabled: false } });
    expect((await root.ok('/api/v1/admin/meta/version')).SoftwareBuildRole).toBe(false);
    // Each organization's Constellation Role is its own.
    await t.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { RoleEnabled: true, DeleteUnusedData: false, Servers: [] } });
    expect((await t.admin.ok('/api/v1/admin/meta/version')).ConstellationRole).toBe(true);
    await t.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { RoleEnabled: false, DeleteUnusedData: false, Servers: [] } });
    expect((await t.admin.ok('/api/v1/admin/meta/version')).ConstellationRole).toBe(false);
  } finally {
    await root.ok('/api/v1/admin/meta/build-config/set', { SoftwareBuildRoleConfig: build });
  }
});

it('server-config applies ConstellationRole, SoftwareBuildRole and Branding through their own settings (one source of truth)', async () => {
  const root = await rootClient();
  const before = await root.ok('/api/v1/admin/meta/server-config/get');
  const constellation = await root.ok('/api/v1/admin/meta/constellation/config/get');
  const build = (await root.ok('/api/v1/admin/meta/build-config/get')).SoftwareBuildRole;
  const branding = (await root.ok('/api/v1/admin/meta/branding-config/get')).Branding;
  expect(before.ConstellationRole).toEqual(constellation);
  expect(before.SoftwareBuildRole).toEqual(build);
  try {
    const next = {
      ...before,
      ConstellationRole: { ...constellation, RoleEnabled: !constellation.RoleEnabled },
      SoftwareBuildRole: { ...build, MaxBuilders: 7 },
      Branding: { ...before.Branding, ProductName: 'Server Config Backup' },
    };
    await root.ok('/api/v1/admin/meta/server-config/set', { Config: next });
    expect((await root.ok('/api/v1/admin/meta/constellation/config/get')).RoleEnabled).toBe(!constellation.RoleEnabled);
    expect((await root.ok('/api/v1/admin/meta/build-config/get')).SoftwareBuildRole.MaxBuilders).toBe(7);
    expect((await root.ok('/api/v1/admin/meta/branding-config/get')).Branding.ProductName).toBe('Server Config Backup');
    const after = await root.ok('/api/v1/admin/meta/server-config/get');
    expect(after).toMatchObject({ ConstellationRole: { RoleEnabled: !constellation.RoleEnabled }, SoftwareBuildRole: { MaxBuilders: 7 }, Branding: { ProductName: 'Server Config Backup' } });
    // A refused part is the part's own error; nothing of it is stored.
    const bad = await root.fails('/api/v1/admin/meta/server-config/set', { Config: { ...after, SoftwareBuildRole: { ...build, MaxBuilders: -1 } } });
    expect(bad.Message).toMatch(/MaxBuilders/);
    expect((await root.ok('/api/v1/admin/meta/build-config/get')).SoftwareBuildRole.MaxBuilders).toBe(7);
  } finally {
    await root.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: constellation });
    await root.ok('/api/v1/admin/meta/build-config/set', { SoftwareBuildRoleConfig: build });
    await root.ok('/api/v1/admin/meta/branding-config/set', { BrandingConfig: branding });
  }
});
