// Constellation (issue 16) against the shared test server: config get/set per organization (bad input refused,
// Servers of an unsupported type refused), status, new-report and last-report (BucketUsageInfo per bucket with the users whose
// Comet-type vaults point at it), tenant separation (a tenant sees only its own buckets and users; a foreign
// organization's vault still keeps a bucket), and prune-now walking a bucket through every deletion guard:
// streak of N reports, span of T hours, grace window, quarantine (data intact), then deletion with
// SEVT_BUCKET_REMOVED, while a referenced bucket survives. Time-based guards are shortened by moving the
// remembered times back in PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CometClient } from '../helpers/comet-client';
import { makeTenant, makeUser, rootClient, type TenantFixture } from '../helpers/fixtures';
import { sql } from '../helpers/security';
import { halleyUrl } from '../helpers/server';

const SEVT_BUCKET_REMOVED = 4301;
const ENABLED = { RoleEnabled: true, DeleteUnusedData: true, Servers: [] };

let root: CometClient;
let tenant: TenantFixture;
let other: TenantFixture;

beforeAll(async () => {
  root = await rootClient();
  tenant = await makeTenant('constel');
  other = await makeTenant('constel-other');
});

afterAll(async () => {
  await root.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { RoleEnabled: false, DeleteUnusedData: false, Servers: [] } });
});

/** Gives `username` a Comet-type vault pointing at `bucket` (a second call adds another vault). */
async function pointVaultAt(by: CometClient, username: string, bucket: string, vaultId = 'vault-comet'): Promise<void> {
  const { Profile, ProfileHash } = await by.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: username });
  const Destinations = { ...(Profile.Destinations ?? {}), [vaultId]: { Description: 'Halley bucket', DestinationType: 1003, CometServer: halleyUrl(''), CometBucket: bucket, CometBucketKey: 'bucket-key-value' } };
  await by.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: username, ProfileData: { ...Profile, Destinations }, RequireHash: ProfileHash });
}

async function dropVaults(by: CometClient, username: string): Promise<void> {
  const { Profile, ProfileHash } = await by.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: username });
  await by.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: username, ProfileData: { ...Profile, Destinations: {} }, RequireHash: ProfileHash });
}

async function verdict(tenantId: string, bucket: string): Promise<{ State: string; Reason: string }> {
  const [row] = await sql<{ v: { State: string; Reason: string } }>(
    `SELECT r.verdicts->$2 AS v FROM "ConstellationBucket" b JOIN "ConstellationReport" r ON r.id = b."lastReportId" WHERE b."tenantId" = $1 AND b."bucketId" = $2`,
    [tenantId, bucket],
  );
  return row.v;
}

describe('Constellation config and reports', () => {
  it('keeps options per organization and refuses bad input', async () => {
    expect(await tenant.admin.ok('/api/v1/admin/meta/constellation/config/get')).toEqual({ RoleEnabled: false, DeleteUnusedData: false, Servers: [] });
    const disabled = await tenant.admin.fails('/api/v1/admin/constellation/new-report');
    expect(disabled.Status).toBe(400);
    expect(disabled.Message).toMatch(/not enabled/);

    // Servers: other Halley or Comet servers only (constellation-servers.test.ts covers them).
    const withServers = await tenant.admin.fails('/api/v1/admin/meta/constellation/config/set', {
      ConstellationRoleOptions: { RoleEnabled: true, DeleteUnusedData: false, Servers: [{ Type: 's3', Description: 'other', RemoteAddress: 'http://127.0.0.1:9/', Username: 'a', Password: 'b' }] },
    });
    expect(withServers.Status).toBe(400);
    expect(withServers.Message).toMatch(/Type 's3' is not supported/);
    expect((await tenant.admin.fails('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: '{not json' })).Status).toBe(400);
    expect((await tenant.admin.fails('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { RoleEnabled: 'yes' } })).Status).toBe(400);
    expect((await tenant.admin.fails('/api/v1/admin/meta/constellation/config/set')).Status).toBe(400);

    await tenant.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { RoleEnabled: true, DeleteUnusedData: false, Servers: [] } });
    expect(await tenant.admin.ok('/api/v1/admin/meta/constellation/config/get')).toEqual({ RoleEnabled: true, DeleteUnusedData: false, Servers: [] });
    // Another organization's options are its own.
    expect((await other.admin.ok('/api/v1/admin/meta/constellation/config/get')).RoleEnabled).toBe(false);
    const status = await tenant.admin.ok('/api/v1/admin/constellation/status');
    expect(status).toMatchObject({ DeletionEnabled: false, TargetNames: [expect.any(String)], Stats: { TotalChecksStarted: 0, TotalBucketsDeleted: 0, ChecksCurrentlyActive: 0 } });
    expect(status.Targets).toHaveLength(1);
    // prune-now is top level only.
    expect((await tenant.admin.fails('/api/v1/admin/constellation/prune-now')).Status).toBe(403);
    expect((await tenant.admin.fails('/api/v1/admin/constellation/last-report')).Status).toBe(400);
  });

  it("reports each bucket of the organization with the organization's users whose vaults point at it", async () => {
    const used = (await tenant.admin.ok('/api/v1/admin/storage/register-bucket')).NewBucketID;
    const unused = (await tenant.admin.ok('/api/v1/admin/storage/register-bucket')).NewBucketID;
    const crossUsed = (await tenant.admin.ok('/api/v1/admin/storage/register-bucket')).NewBucketID;
    const foreign = (await other.admin.ok('/api/v1/admin/storage/register-bucket')).NewBucketID;
    const alice = await makeUser(tenant.admin);
    const bob = await makeUser(tenant.admin);
    await pointVaultAt(tenant.admin, alice.username, used);
    await pointVaultAt(tenant.admin, bob.username, used);
    // A user of another organization points at this organization's bucket: it is in use, but the name stays hidden.
    const stranger = await makeUser(other.admin);
    await pointVaultAt(other.admin, stranger.username, crossUsed);

    const report = await tenant.admin.ok('/api/v1/admin/constellation/new-report');
    expect(report.CheckStarted).toBeGreaterThan(0);
    expect(report.CheckCompleted).toBeGreaterThanOrEqual(report.CheckStarted);
    expect(Object.keys(report.Usage).sort()).toEqual([used, unused, crossUsed].sort());
    expect(report.Usage[used].ExistsOnServers).toEqual([0]);
    expect(report.Usage[used].AccessKey).toBe('');
    expect(report.Usage[used].InUseBy.map((u: { Username: string }) => u.Username).sort()).toEqual([alice.username, bob.username].sort());
    expect(report.Usage[unused].InUseBy).toEqual([]);
    expect(report.Usage[crossUsed].InUseBy).toEqual([]);
    expect(JSON.stringify(report)).not.toContain(stranger.username);
    expect(JSON.stringify(report)).not.toContain(foreign);
    expect(await verdict(tenant.id, crossUsed)).toMatchObject({ State: 'in-use' });
    expect(await verdict(tenant.id, unused)).toMatchObject({ State: 'unused', Reason: expect.stringMatching(/DeleteUnusedData is off/) });

    expect(await tenant.admin.ok('/api/v1/admin/constellation/last-report')).toEqual(report);
    const status = await tenant.admin.ok('/api/v1/admin/constellation/status');
    expect(status.Stats.TotalChecksStarted).toBe(1);
    expect(status.Stats.LastCheckStart).toBe(report.CheckStarted);
    // The other organization's Constellation is off and has no report of its own.
    expect((await other.admin.fails('/api/v1/admin/constellation/new-report')).Status).toBe(400);
    expect((await other.admin.fails('/api/v1/admin/constellation/last-report')).Status).toBe(400);
  });
});

describe('Constellation sweeps (prune-now)', () => {
  it('quarantines and then deletes an unused bucket only after every guard, and keeps a referenced one', async () => {
    await root.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: ENABLED });
    const statusBefore = await root.ok('/api/v1/admin/constellation/status');
    expect(statusBefore.DeletionEnabled).toBe(true);
    const doomed = (await root.ok('/api/v1/admin/storage/register-bucket')).NewBucketID;
    const kept = (await root.ok('/api/v1/admin/storage/register-bucket')).NewBucketID;
    const holder = await makeUser(root);
    await pointVaultAt(root, holder.username, kept);
    // A tenant's bucket, unused, in a tenant whose Constellation deletes: the top-level sweep never touches it.
    await tenant.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: ENABLED });
    const tenantBucket = (await tenant.admin.ok('/api/v1/admin/storage/register-bucket')).NewBucketID;
    const topLevel = '00000000-0000-0000-0000-000000000000';
    const prune = async () => expect((await root.ok('/api/v1/admin/constellation/prune-now')).Status).toBe(200);

    await prune();
    expect(await verdict(topLevel, doomed)).toMatchObject({ State: 'unused', Reason: expect.stringMatching(/1 of the 3/) });
    expect(await verdict(topLevel, kept)).toMatchObject({ State: 'in-use' });
    await prune();
    await prune();
    expect(await verdict(topLevel, doomed)).toMatchObject({ State: 'unused', Reason: expect.stringMatching(/Unused for .* of the 24 h needed/) });

    await sql(`UPDATE "ConstellationBucket" SET "unusedSince" = "unusedSince" - 25 * 3600 WHERE "bucketId" = ANY($1)`, [[doomed, kept, tenantBucket]]);
    await prune();
    expect(await verdict(topLevel, doomed)).toMatchObject({ State: 'unused', Reason: expect.stringMatching(/grace window/) });

    await sql(`UPDATE "StorageBucket" SET "createdAt" = "createdAt" - interval '25 hours' WHERE id = ANY($1)`, [[doomed, kept, tenantBucket]]);
    await prune();
    expect(await verdict(topLevel, doomed)).toMatchObject({ State: 'quarantined' });
    expect(Object.keys(await root.ok('/api/v1/admin/storage/list-buckets'))).toContain(doomed);

    // A vault pointing at it again lifts the quarantine; dropping it starts the count from scratch.
    await pointVaultAt(root, holder.username, doomed, 'vault-doomed');
    await prune();
    expect(await verdict(topLevel, doomed)).toMatchObject({ State: 'in-use' });
    const [lifted] = await sql(`SELECT "quarantinedAt", "unusedStreak" FROM "ConstellationBucket" WHERE "bucketId" = $1`, [doomed]);
    expect(lifted).toMatchObject({ quarantinedAt: null, unusedStreak: 0 });
    await dropVaults(root, holder.username);
    await pointVaultAt(root, holder.username, kept);
    for (let i = 0; i < 3; i++) await prune();
    await sql(`UPDATE "ConstellationBucket" SET "unusedSince" = "unusedSince" - 25 * 3600 WHERE "bucketId" = $1`, [doomed]);
    await prune();
    expect(await verdict(topLevel, doomed)).toMatchObject({ State: 'quarantined' });
    await prune();
    expect(await verdict(topLevel, doomed)).toMatchObject({ State: 'quarantined', Reason: expect.stringMatching(/destroyed in/) });

    await sql(`UPDATE "ConstellationBucket" SET "quarantinedAt" = "quarantinedAt" - 73 * 3600 WHERE "bucketId" = $1`, [doomed]);
    await prune();
    expect(await verdict(topLevel, doomed)).toMatchObject({ State: 'deleted' });
    const buckets = Object.keys(await root.ok('/api/v1/admin/storage/list-buckets'));
    expect(buckets).not.toContain(doomed);
    expect(buckets).toContain(kept);
    expect(buckets).toContain(tenantBucket);
    const [ev] = await sql<{ n: string }>(`SELECT count(*) AS n FROM "Event" WHERE type = $1 AND "resourceId" = $2`, [SEVT_BUCKET_REMOVED, doomed]);
    expect(Number(ev.n)).toBe(1);
    // Other files' top-level sweeps may have deleted buckets before: this one adds one.
    expect((await root.ok('/api/v1/admin/constellation/status')).Stats.TotalBucketsDeleted).toBe(statusBefore.Stats.TotalBucketsDeleted + 1);
    expect((await tenant.admin.ok('/api/v1/admin/constellation/status')).Stats.TotalBucketsDeleted).toBe(0);
  });
});
