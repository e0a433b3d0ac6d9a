// Bulk replace addresses (Halley extension): find lists the Comet-type vaults whose CometServer matches
// (scheme/host/port normalised, trailing slash ignored) without writing; replace rewrites exactly those
// through hash-checked profile writes, tells an online device to refetch its profile, and records an
// operation; undo restores what it changed except vaults changed since. Tenant admins see their tenant
// only; the console runs the same three steps (dry run first).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentDevice } from '../../agent/device';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import type { CometClient } from '../helpers/comet-client';
import { makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { liveConnectionId, startAgent, waitFor } from '../helpers/live';
import { halleyUrl } from '../helpers/server';

let a: TenantFixture;
let b: TenantFixture;
const OLD = `https://${uniq('storage-old')}.example.com:8443/`;
const NEW = `https://${uniq('storage-new')}.example.com/`;

async function giveVaults(admin: CometClient, username: string, vaults: Record<string, Record<string, unknown>>): Promise<void> {
  const { Profile, ProfileHash } = await admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: username });
  await admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: username, ProfileData: { ...Profile, Destinations: vaults }, RequireHash: ProfileHash });
}
const comet = (description: string, server: string) => ({ Description: description, DestinationType: 1003, CometServer: server, CometBucket: uniq('bkt'), CometBucketKey: 'bucket-key' });
const address = async (admin: CometClient, username: string, vault: string) => (await admin.ok('/api/v1/admin/get-user-profile', { TargetUser: username })).Destinations[vault].CometServer;

let u1: { username: string; password: string };
let u2: { username: string; password: string };
let ub: { username: string; password: string };

beforeAll(async () => {
  await rootClient();
  a = await makeTenant('bulk-a');
  b = await makeTenant('bulk-b');
  u1 = await makeUser(a.admin);
  u2 = await makeUser(a.admin);
  ub = await makeUser(b.admin);
  const spelled = OLD.replace('https://', 'HTTPS://').replace('.example.com:8443/', '.EXAMPLE.com:8443');
  await giveVaults(a.admin, u1.username, { v1: comet('Primary', OLD), v2: comet('Secondary', spelled), other: comet('Elsewhere', 'https://storage-other.example.com/'), s3: { Description: 'S3', DestinationType: 1000, S3Server: 'storage-old.example.com', S3BucketName: 'bkt', S3AccessKey: 'a', S3SecretKey: 's' } });
  await giveVaults(a.admin, u2.username, { w1: comet('Cloud', OLD) });
  await giveVaults(b.admin, ub.username, { x1: comet('B cloud', OLD) });
}, 60_000);

describe('API', () => {
  let agent: AgentDevice;
  afterAll(() => agent?.stop());

  it('finds without writing, replaces with refetch, and undoes exactly', async () => {
    const before = await a.admin.ok('/api/v1/admin/get-user-profile-hash', { TargetUser: u1.username });
    const found = await a.admin.ok('/api/v1/admin/bulk-replace-addresses/find', { Find: OLD.replace(':8443/', ':8443') });
    expect(found.map((m: any) => `${m.Username}/${m.DestinationID}`).sort()).toEqual([`${u1.username}/v1`, `${u1.username}/v2`, `${u2.username}/w1`].sort());
    expect(found.find((m: any) => m.DestinationID === 'v1')).toEqual({ Username: u1.username, DestinationID: 'v1', Description: 'Primary', Address: OLD });
    expect((await a.admin.ok('/api/v1/admin/get-user-profile-hash', { TargetUser: u1.username })).ProfileHash).toBe(before.ProfileHash);

    // An online device of a changed user is told to fetch its profile again.
    agent = startAgent(halleyUrl(), u2, { name: 'bulk-laptop' });
    await liveConnectionId(a.admin, agent.state.deviceId);
    const seen = () => (agent.profile.Destinations as Record<string, { CometServer?: string }> | undefined)?.w1?.CometServer;
    await waitFor('the device to have its profile', async () => (seen() === OLD ? true : undefined));

    const res = await a.admin.ok('/api/v1/admin/bulk-replace-addresses/replace', { Find: OLD, Replace: NEW });
    expect(res.Changed).toBe(3);
    expect(typeof res.OperationID).toBe('string');
    expect(await address(a.admin, u1.username, 'v1')).toBe(NEW);
    expect(await address(a.admin, u1.username, 'v2')).toBe(NEW);
    expect(await address(a.admin, u1.username, 'other')).toBe('https://storage-other.example.com/');
    expect(await address(a.admin, u2.username, 'w1')).toBe(NEW);
    // Tenant B's vault with the same address is not A's to change.
    expect(await address(b.admin, ub.username, 'x1')).toBe(OLD);
    await waitFor('the device to refetch its profile', async () => (seen() === NEW ? true : undefined));
    // The bucket key stayed sealed through the rewrite.
    expect((await a.admin.ok('/api/v1/admin/get-user-profile-sealed-fields', { TargetUser: u1.username })).Destinations.v1).toEqual(['CometBucketKey']);

    // A vault changed since the replace is left alone by the undo.
    const { Profile, ProfileHash } = await a.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: u2.username });
    Profile.Destinations.w1.CometServer = 'https://storage-manual.example.com/';
    await a.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: u2.username, ProfileData: Profile, RequireHash: ProfileHash });

    const list = await a.admin.ok('/api/v1/admin/bulk-replace-addresses/list');
    expect(list[0]).toMatchObject({ OperationID: res.OperationID, Find: OLD, Replace: NEW, Changed: 3, Status: 'done' });
    // Another tenant's admin cannot undo it (looks missing), nor see it.
    const foreign = await b.admin.fails('/api/v1/admin/bulk-replace-addresses/undo', { OperationID: res.OperationID });
    const missing = await b.admin.fails('/api/v1/admin/bulk-replace-addresses/undo', { OperationID: 'no-such-operation' });
    expect(foreign.Status).toBe(404);
    expect(foreign.Message).toBe(missing.Message.replace('no-such-operation', res.OperationID));
    expect((await b.admin.ok('/api/v1/admin/bulk-replace-addresses/list')).map((o: any) => o.OperationID)).not.toContain(res.OperationID);

    const undone = await a.admin.ok('/api/v1/admin/bulk-replace-addresses/undo', { OperationID: res.OperationID });
    expect(undone).toEqual({ Restored: 2, Skipped: 1 });
    expect(await address(a.admin, u1.username, 'v1')).toBe(OLD);
    expect(await address(a.admin, u1.username, 'v2')).toBe(OLD.replace('https://', 'HTTPS://').replace('.example.com:8443/', '.EXAMPLE.com:8443'));
    expect(await address(a.admin, u2.username, 'w1')).toBe('https://storage-manual.example.com/');
    expect((await a.admin.fails('/api/v1/admin/bulk-replace-addresses/undo', { OperationID: res.OperationID })).Status).toBe(409);
  }, 90_000);

  it('top level acts across tenants or in one TargetOrganization; bad input is refused', async () => {
    const root = await rootClient();
    const all = await root.ok('/api/v1/admin/bulk-replace-addresses/find', { Find: OLD });
    expect(all.map((m: any) => m.Username)).toContain(ub.username);
    const onlyB = await root.ok('/api/v1/admin/bulk-replace-addresses/find', { Find: OLD, TargetOrganization: b.id });
    expect(onlyB.map((m: any) => m.Username)).toEqual([ub.username]);
    expect((await a.admin.fails('/api/v1/admin/bulk-replace-addresses/find', { Find: OLD, TargetOrganization: b.id })).Status).toBe(403);

    for (const bad of ['', 'storage.example.com', 'ftp://storage.example.com/', 'https://user:pw@storage.example.com/']) {
      const r = await a.admin.fails('/api/v1/admin/bulk-replace-addresses/find', { Find: bad });
      expect(r.Status).toBe(400);
    }
    expect((await a.admin.fails('/api/v1/admin/bulk-replace-addresses/replace', { Find: OLD, Replace: 'not a url' })).Status).toBe(400);
    expect((await a.admin.fails('/api/v1/admin/bulk-replace-addresses/replace', { Find: OLD })).Status).toBe(400);
    expect(await address(a.admin, u1.username, 'v1')).toBe(OLD);
  });
});

describe('console', () => {
  let browser: Browser;
  afterAll(async () => browser?.close());

  it('Users → Advanced → Bulk replace addresses: find, replace, undo', async () => {
    browser = await launchBrowser();
    const page = await newPage(browser);
    page.on('dialog', (d) => void d.accept());
    await signIn(page, halleyUrl(), a.adminName, a.admin.creds!.password!);
    await page.goto(`${halleyUrl()}/users`);
    await page.waitForLoadState('networkidle');
    await page.getByRole('button', { name: 'Advanced' }).click();
    await page.getByRole('menuitem', { name: 'Bulk replace addresses' }).click();
    await page.getByRole('heading', { name: 'Bulk replace addresses' }).waitFor();
    await page.waitForLoadState('networkidle');

    await page.getByLabel('Current address', { exact: true }).fill(OLD);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    const matches = page.getByTestId('bulk-matches');
    await matches.getByText('2 vaults use this address').waitFor();
    expect(await matches.locator('tbody tr').count()).toBe(2);
    await shot(page, 'bulk-replace-1-find');

    await page.getByLabel('New address', { exact: true }).fill(NEW);
    await page.getByRole('button', { name: 'Replace on 2 vaults' }).click();
    await page.getByText('2 vaults now use the new address.').waitFor();
    expect(await address(a.admin, u1.username, 'v1')).toBe(NEW);
    await expect.poll(() => page.locator('[data-operation]').count()).toBe(2);
    const row = page.locator('[data-operation]').first();
    await row.getByText('Done', { exact: true }).waitFor();
    await shot(page, 'bulk-replace-2-replaced');

    await row.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('2 restored, 0 left alone').waitFor();
    await row.getByText('Undone', { exact: true }).waitFor();
    expect(await address(a.admin, u1.username, 'v1')).toBe(OLD);
    await shot(page, 'bulk-replace-3-undone');
    expect(pageErrors(page)).toEqual([]);
  }, 120_000);
});
