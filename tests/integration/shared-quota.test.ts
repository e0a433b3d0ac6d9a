// Comet shared storage quotas (issue 18): admin/squota/* (create-or-update guarded by hash, list, get with the
// current usage, delete; events 4803-4805), ids per organization (another tenant's quota of the same id is never
// reached), bad input, and enforcement: the reference agent stops a backup with JOB_STATUS_FAILED_QUOTA once the
// vaults sharing a quota have used it up.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentDevice } from '../../agent/device';
import { halleyUrl } from '../helpers/server';
import { makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import type { CometClient } from '../helpers/comet-client';
import { finishedJob, liveConnectionId, makeSourceTree, startAgent, tempDir } from '../helpers/live';

let db: pg.Client;
let a: TenantFixture;
let b: TenantFixture;
let root: CometClient;
const agents: AgentDevice[] = [];

beforeAll(async () => {
  db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  root = await rootClient();
  [a, b] = await Promise.all([makeTenant('sq-a'), makeTenant('sq-b')]);
});

afterAll(async () => {
  for (const agent of agents) agent.stop();
  await db?.end();
});

const events = async (tenantId: string, id: string) =>
  (await db.query(`SELECT type FROM "Event" WHERE "tenantId" = $1 AND "resourceId" = $2 ORDER BY id`, [tenantId, id])).rows.map((r) => r.type);

describe('admin/squota', () => {
  it('creates, lists, reads with hash and usage, updates under the hash, and deletes a quota', async () => {
    const id = uniq('quota');
    const made = await a.admin.ok('/api/v1/admin/squota/set-with-hash', { SharedStorageQuotaID: id, SharedStorageQuota: { Description: 'Acme pool', LimitBytes: 5_000_000 } });
    expect(made).toMatchObject({ Status: 200, SharedStorageQuotaHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const listed = await a.admin.ok('/api/v1/admin/squota/list-all');
    expect(listed.Entries).toEqual({ [id]: { Description: 'Acme pool', OrganizationID: a.id, LimitBytes: 5_000_000 } });
    const got = await a.admin.ok('/api/v1/admin/squota/get-with-hash', { SharedStorageQuotaID: id });
    expect(got).toMatchObject({ SharedStorageQuota: listed.Entries[id], SharedStorageQuotaHash: made.SharedStorageQuotaHash, CurrentUsage: 0 });

    const changed = await a.admin.ok('/api/v1/admin/squota/set-with-hash', { SharedStorageQuotaID: id, SharedStorageQuota: { ...got.SharedStorageQuota, LimitBytes: 6_000_000 }, CheckHash: got.SharedStorageQuotaHash });
    expect(changed.SharedStorageQuotaHash).not.toBe(got.SharedStorageQuotaHash);
    // A stale hash is a conflict and changes nothing.
    const stale = await a.admin.fails('/api/v1/admin/squota/set-with-hash', { SharedStorageQuotaID: id, SharedStorageQuota: { Description: 'x', LimitBytes: 1 }, CheckHash: got.SharedStorageQuotaHash });
    expect(stale.Status).toBe(409);
    expect((await a.admin.ok('/api/v1/admin/squota/get-with-hash', { SharedStorageQuotaID: id })).SharedStorageQuota.LimitBytes).toBe(6_000_000);

    await a.admin.ok('/api/v1/admin/squota/delete', { SharedStorageQuotaID: id });
    expect((await a.admin.fails('/api/v1/admin/squota/get-with-hash', { SharedStorageQuotaID: id })).Status).toBe(404);
    expect((await a.admin.fails('/api/v1/admin/squota/delete', { SharedStorageQuotaID: id })).Status).toBe(404);
    // A hash-guarded set of a deleted quota does not resurrect it.
    expect((await a.admin.fails('/api/v1/admin/squota/set-with-hash', { SharedStorageQuotaID: id, SharedStorageQuota: { LimitBytes: 1 }, CheckHash: changed.SharedStorageQuotaHash })).Status).toBe(409);
    expect(await events(a.id, id)).toEqual([4803, 4805, 4804]);
  });

  it('refuses bad input with a clear message', async () => {
    const set = (quota: unknown, id = uniq('bad')) => a.admin.fails('/api/v1/admin/squota/set-with-hash', { SharedStorageQuotaID: id, SharedStorageQuota: quota as object });
    expect((await set({ LimitBytes: -1 })).Message).toMatch(/LimitBytes/);
    expect((await set({ LimitBytes: 0 })).Message).toMatch(/LimitBytes/);
    expect((await set({ LimitBytes: 1.5 })).Message).toMatch(/LimitBytes/);
    expect((await set({ Description: 'x'.repeat(256), LimitBytes: 10 })).Message).toMatch(/Description/);
    expect((await set({ LimitBytes: 10 }, '   ')).Message).toMatch(/SharedStorageQuotaID/);
    const notJson = await a.admin.call('/api/v1/admin/squota/set-with-hash', { SharedStorageQuotaID: 'q', SharedStorageQuota: '{nope' });
    expect(notJson.body.Status).toBe(400);
    expect(Object.keys((await a.admin.ok('/api/v1/admin/squota/list-all')).Entries).filter((k) => k.startsWith('bad'))).toEqual([]);
  });

  it('keeps quotas in their organization: a foreign id answers like a missing one and is never changed', async () => {
    const id = uniq('shared-name');
    await b.admin.ok('/api/v1/admin/squota/set-with-hash', { SharedStorageQuotaID: id, SharedStorageQuota: { Description: 'B pool', LimitBytes: 1000 } });
    expect((await a.admin.ok('/api/v1/admin/squota/list-all')).Entries[id]).toBeUndefined();
    const foreign = await a.admin.fails('/api/v1/admin/squota/get-with-hash', { SharedStorageQuotaID: id });
    const missing = await a.admin.fails('/api/v1/admin/squota/get-with-hash', { SharedStorageQuotaID: uniq('nobody') });
    expect(foreign.Status).toBe(missing.Status);
    expect(foreign.Message.replace(id, 'X')).toBe(missing.Message.replace(/'[^']*'/, "'X'"));
    expect((await a.admin.fails('/api/v1/admin/squota/delete', { SharedStorageQuotaID: id })).Status).toBe(404);
    // Setting the same id as tenant A creates A's own quota (OrganizationID cannot point elsewhere) and leaves B's alone.
    await a.admin.ok('/api/v1/admin/squota/set-with-hash', { SharedStorageQuotaID: id, SharedStorageQuota: { Description: 'A pool', OrganizationID: b.id, LimitBytes: 2000 } });
    expect((await a.admin.ok('/api/v1/admin/squota/get-with-hash', { SharedStorageQuotaID: id })).SharedStorageQuota).toEqual({ Description: 'A pool', OrganizationID: a.id, LimitBytes: 2000 });
    expect((await b.admin.ok('/api/v1/admin/squota/get-with-hash', { SharedStorageQuotaID: id })).SharedStorageQuota).toEqual({ Description: 'B pool', OrganizationID: b.id, LimitBytes: 1000 });
    // The top-level admin sees both organizations' quotas and creates one for a tenant through OrganizationID.
    const own = uniq('root-made');
    await root.ok('/api/v1/admin/squota/set-with-hash', { SharedStorageQuotaID: own, SharedStorageQuota: { OrganizationID: b.id, LimitBytes: 3000 } });
    expect((await b.admin.ok('/api/v1/admin/squota/list-all')).Entries[own]).toEqual({ Description: '', OrganizationID: b.id, LimitBytes: 3000 });
    expect((await root.ok('/api/v1/admin/squota/list-all')).Entries[own]).toBeDefined();
  });
});

describe('shared quota enforcement by the reference agent', () => {
  it('counts the vaults that name the quota and fails the backup that would cross it with JOB_STATUS_FAILED_QUOTA', async () => {
    const quota = uniq('pool');
    const user = await makeUser(a.admin);
    const sourceDir = tempDir('sq-source');
    const tree = makeSourceTree(sourceDir); // ~1 MB
    // Room for one copy of the tree (with the vault's own overhead), not two.
    await a.admin.ok('/api/v1/admin/squota/set-with-hash', { SharedStorageQuotaID: quota, SharedStorageQuota: { Description: 'Two vaults', LimitBytes: Math.round(tree.bytes * 1.6) } });
    const { Profile, ProfileHash } = await a.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username });
    Profile.Destinations = {
      first: { Description: 'First', DestinationType: 1002, LocalcopyPath: tempDir('sq-v1'), StorageLimitID: quota },
      second: { Description: 'Second', DestinationType: 1002, LocalcopyPath: tempDir('sq-v2'), StorageLimitID: quota },
    };
    Profile.Sources = { item: { Engine: 'engine1/file', Description: 'Documents', EngineProps: { INCLUDE0: sourceDir } } };
    await a.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: user.username, ProfileData: Profile, RequireHash: ProfileHash });
    // The admin's view keeps what was saved; only the device's copy carries the shared limit.
    const saved = (await a.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: user.username })).Destinations.first;
    expect(saved).toMatchObject({ StorageLimitID: quota, StorageLimitEnabled: false });

    const agent = startAgent(halleyUrl(), user);
    agents.push(agent);
    const conn = await liveConnectionId(a.admin, agent.state.deviceId);
    const run = async (destination: string) =>
      finishedJob(a.admin, (await a.admin.ok('/api/v1/admin/dispatcher/run-backup-custom', { TargetID: conn, Source: 'item', Destination: destination })).JobID);

    expect((await run('first')).Status).toBe(5000);
    const used = (await a.admin.ok('/api/v1/admin/squota/get-with-hash', { SharedStorageQuotaID: quota })).CurrentUsage;
    expect(used).toBeGreaterThan(tree.bytes * 0.9);
    expect((await run('second')).Status).toBe(7003);

    // Raising the shared limit lets the next job through.
    const now = await a.admin.ok('/api/v1/admin/squota/get-with-hash', { SharedStorageQuotaID: quota });
    await a.admin.ok('/api/v1/admin/squota/set-with-hash', { SharedStorageQuotaID: quota, SharedStorageQuota: { ...now.SharedStorageQuota, LimitBytes: tree.bytes * 10 }, CheckHash: now.SharedStorageQuotaHash });
    expect((await run('second')).Status).toBe(5000);
  });
});
