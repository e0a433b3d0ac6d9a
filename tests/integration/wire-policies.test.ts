// admin/policies/set "update or create" (issue 19). PolicyIDs are unique per tenant: creating an id that
// another tenant uses answers exactly like creating an unused one, creates the caller's own policy and
// leaves the other tenant's untouched.
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import type { CometClient } from '../helpers/comet-client';

let a: TenantFixture;
let b: TenantFixture;
let root: CometClient;

beforeAll(async () => {
  root = await rootClient();
  a = await makeTenant('pol-a');
  b = await makeTenant('pol-b');
}, 60_000);

describe('admin/policies/set creates a missing PolicyID', () => {
  it('creates the policy under the given id, then updates it', async () => {
    const id = uniq('custom-policy');
    const created = await a.admin.ok('/api/v1/admin/policies/set', { PolicyID: id, Policy: { Description: 'Created by set', Policy: { PreventDeleteStorageVault: true } } });
    expect(created).toMatchObject({ Status: 200, Message: 'OK' });
    const got = await a.admin.ok('/api/v1/admin/policies/get', { PolicyID: id });
    expect(got.Policy.Description).toBe('Created by set');
    expect(got.Policy.OrganizationID).toBe(a.id);
    expect(got.Policy.Policy.PreventDeleteStorageVault).toBe(true);
    expect(got.Policy.CreatedDate).toBeGreaterThan(0);
    expect(await a.admin.ok('/api/v1/admin/policies/list')).toMatchObject({ [id]: 'Created by set' });

    await a.admin.ok('/api/v1/admin/policies/set', { PolicyID: id, Policy: { ...got.Policy, Description: 'Updated by set' }, CheckPolicyHash: got.PolicyHash });
    const again = await a.admin.ok('/api/v1/admin/policies/get', { PolicyID: id });
    expect(again.Policy.Description).toBe('Updated by set');
    expect(again.Policy.CreatedDate).toBe(got.Policy.CreatedDate);
    expect((await a.admin.fails('/api/v1/admin/policies/set', { PolicyID: id, Policy: got.Policy, CheckPolicyHash: got.PolicyHash })).Status).toBe(409);

    // A user given the new policy follows it.
    const u = await makeUser(a.admin);
    const profile = await a.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: u.username });
    await a.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: u.username, ProfileData: { ...profile.Profile, PolicyID: id }, RequireHash: profile.ProfileHash });
    await a.admin.ok('/api/v1/admin/policies/set', { PolicyID: id, Policy: { ...again.Policy, Policy: { PreventDeleteStorageVault: false, PreventChangeAccountName: true } } });
    const followed = await a.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: u.username });
    expect(followed.Policy.PreventChangeAccountName).toBe(true);
  });

  it("another tenant's PolicyID answers exactly like an unused one and is left unchanged", async () => {
    const shared = uniq('shared-policy');
    await b.admin.ok('/api/v1/admin/policies/set', { PolicyID: shared, Policy: { Description: 'B private', Policy: { PreventNewProtectedItem: true } } });
    const bBefore = await b.admin.ok('/api/v1/admin/policies/get', { PolicyID: shared });
    const unused = uniq('unused-policy');

    // With a hash (an editor's save): both are "deleted since read".
    const foreignHash = await a.admin.fails('/api/v1/admin/policies/set', { PolicyID: shared, Policy: { Description: 'A' }, CheckPolicyHash: bBefore.PolicyHash });
    const unusedHash = await a.admin.fails('/api/v1/admin/policies/set', { PolicyID: unused, Policy: { Description: 'A' }, CheckPolicyHash: bBefore.PolicyHash });
    expect(foreignHash).toEqual(unusedHash);
    expect(foreignHash.Status).toBe(409);
    expect((await a.admin.fails('/api/v1/admin/policies/get', { PolicyID: shared })).Message.replace(shared, 'X')).toBe(
      (await a.admin.fails('/api/v1/admin/policies/get', { PolicyID: unused })).Message.replace(unused, 'X'),
    );

    // Without: both create A's own policy.
    const foreign = await a.admin.ok('/api/v1/admin/policies/set', { PolicyID: shared, Policy: { Description: 'A own' } });
    const fresh = await a.admin.ok('/api/v1/admin/policies/set', { PolicyID: unused, Policy: { Description: 'A own' } });
    expect(foreign).toEqual(fresh);
    expect((await a.admin.ok('/api/v1/admin/policies/get', { PolicyID: shared })).Policy).toMatchObject({ Description: 'A own', OrganizationID: a.id });
    expect(await b.admin.ok('/api/v1/admin/policies/get', { PolicyID: shared })).toEqual(bBefore);

    // Deleting A's copy leaves B's.
    await a.admin.ok('/api/v1/admin/policies/delete', { PolicyID: shared });
    expect(await b.admin.ok('/api/v1/admin/policies/get', { PolicyID: shared })).toEqual(bBefore);
  });

  it('refuses an empty PolicyID; a top-level admin creates in the organization the policy names', async () => {
    const empty = await a.admin.fails('/api/v1/admin/policies/set', { PolicyID: ' ', Policy: { Description: 'x' } });
    expect(empty.Status).toBe(400);
    expect(empty.Message).toMatch(/PolicyID must not be empty/);

    const id = uniq('root-made');
    await root.ok('/api/v1/admin/policies/set', { PolicyID: id, Policy: { Description: 'Made by root for B', OrganizationID: b.id } });
    expect((await b.admin.ok('/api/v1/admin/policies/get', { PolicyID: id })).Policy.Description).toBe('Made by root for B');
    expect((await a.admin.fails('/api/v1/admin/policies/get', { PolicyID: id })).Status).toBeGreaterThanOrEqual(400);
    // A tenant admin cannot aim at another organization: OrganizationID is ignored, the policy is its own.
    const own = uniq('tenant-made');
    await a.admin.ok('/api/v1/admin/policies/set', { PolicyID: own, Policy: { Description: 'A', OrganizationID: b.id } });
    expect((await a.admin.ok('/api/v1/admin/policies/get', { PolicyID: own })).Policy.OrganizationID).toBe(a.id);
    expect((await b.admin.fails('/api/v1/admin/policies/get', { PolicyID: own })).Status).toBeGreaterThanOrEqual(400);
  });
});
