// Constellation across two Halley servers (issue 16): the suite's server A (users, "Auth Role") lists a second
// Halley process B (own database, own storage, "Storage Role") in its ConstellationRoleOptions.Servers. A reads B
// through B's admin API (list-buckets, list-users-full; credentials sealed, config/get blanks them) and reports
// every bucket with the servers it exists on and the users (of A or of B) whose vaults point at it. A target that
// does not answer makes the run partial (nothing decided, nothing deleted); a bucket another Constellation also
// sees (B's own, or another organization's on A) is never deleted; an unused bucket on B goes through every guard
// and quarantine and is then deleted on B through its delete-bucket; a vault pointing at a bucket that no longer
// exists is reported (event 14601); a removal interrupted between files is finished by the next sweep. Also a
// tenant-admin case (a tenant of A lists an organization of B: it sees that organization's buckets only) and bad input.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CometClient } from '../helpers/comet-client';
import { makeTenant, makeUser, rootClient, type TenantFixture } from '../helpers/fixtures';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';
import { firstAdmin, servicesDir, startIsolatedServices, type IsolatedServices } from '../helpers/isolated-services';
import { allowPrivateTargets } from '../helpers/private-targets';
import { sql } from '../helpers/security';
import { halleyUrl } from '../helpers/server';

const TOP = '00000000-0000-0000-0000-000000000000';
const OFF = { RoleEnabled: false, DeleteUnusedData: false, Servers: [] };
const MISSING_EVENT = 14601;

let services: IsolatedServices;
let b: HalleyProcess;
let rootA: CometClient;
let rootB: CometClient;
let rootBCreds: { username: string; password: string };
let tenantA: TenantFixture;
let orgBAdmin: CometClient;
let orgBCreds: { username: string; password: string };
let restorePrivate: (() => Promise<void>) | undefined;

async function sqlB<R extends pg.QueryResultRow = any>(text: string, params: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: services.databaseUrl });
  await c.connect();
  try {
    return (await c.query<R>(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** Gives `username` (on the server of `by`) a Comet-type vault pointing at `bucket` on `server`. */
async function pointVaultAt(by: CometClient, username: string, server: string, bucket: string, vaultId = 'vault-remote'): Promise<void> {
  const { Profile, ProfileHash } = await by.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: username });
  const Destinations = { ...(Profile.Destinations ?? {}), [vaultId]: { Description: 'Bucket on B', DestinationType: 1003, CometServer: server, CometBucket: bucket, CometBucketKey: 'bucket-key-value' } };
  await by.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: username, ProfileData: { ...Profile, Destinations }, RequireHash: ProfileHash });
}

const serverB = (creds: { username: string; password: string }, extra: Record<string, unknown> = {}) => ({ Type: 'comet', Description: 'Storage server B', RemoteAddress: b.url, Username: creds.username, Password: creds.password, ...extra });

async function verdictA(tenantId: string, bucket: string): Promise<{ State: string; Reason: string }> {
  const [row] = await sql<{ v: { State: string; Reason: string } }>(
    `SELECT r.verdicts->$2 AS v FROM "ConstellationBucket" c JOIN "ConstellationReport" r ON r.id = c."lastReportId" WHERE c."tenantId" = $1 AND c."bucketId" = $2`,
    [tenantId, bucket],
  );
  return row?.v;
}

const prune = async () => expect((await rootA.ok('/api/v1/admin/constellation/prune-now')).Status).toBe(200);
const bucketsOnB = async (by: CometClient = rootB) => Object.keys(await by.ok('/api/v1/admin/storage/list-buckets'));

beforeAll(async () => {
  rootA = await rootClient();
  tenantA = await makeTenant('constel-srv');
  services = await startIsolatedServices('constel-b');
  b = await startHalley({ name: 'constel-b', databaseUrl: services.databaseUrl, logDir: servicesDir, env: { REDIS_URL: services.redisUrl } });
  rootB = await firstAdmin(b.url);
  rootBCreds = rootB.creds as { username: string; password: string };
  const org = (await rootB.ok('/api/v1/admin/organization/set', { Organization: { Name: 'Customer org on B', Hosts: [] } })).ID;
  orgBCreds = { username: 'org-b-admin', password: 'Correct-Horse-42' };
  await rootB.ok('/api/v1/admin/admin-user/new', { TargetUser: orgBCreds.username, TargetPassword: orgBCreds.password, TargetOrgID: org });
  orgBAdmin = new CometClient(b.url, orgBCreds);
}, 240_000);

afterAll(async () => {
  await rootA?.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: OFF }).catch(() => undefined);
  await tenantA?.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: OFF }).catch(() => undefined);
  await restorePrivate?.();
  await b?.stop();
  await services?.stop();
});

describe('Constellation Servers: configuration', () => {
  it('refuses bad Servers entries and a private address while private targets are off', async () => {
    const set = (Servers: unknown[]) => tenantA.admin.fails('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { RoleEnabled: true, DeleteUnusedData: false, Servers } });
    const ok = { Type: 'comet', Description: 'x', RemoteAddress: 'http://127.0.0.1:9', Username: 'a', Password: 'Correct-Horse-42' };
    // The setting is server-wide and another file may have left it on: turn it off here, restore it in afterAll.
    restorePrivate = await allowPrivateTargets(false);
    const refused = await set([ok]);
    expect(refused.Status).toBe(400);
    expect(refused.Message).toMatch(/Servers\[0\]\.RemoteAddress/);
    await allowPrivateTargets(true);
    expect((await set([{ ...ok, Type: 'ldap' }])).Message).toMatch(/Servers\[0\]\.Type 'ldap' is not supported/);
    expect((await set([{ ...ok, RemoteAddress: 'ftp://127.0.0.1/' }])).Message).toMatch(/RemoteAddress must be the http/);
    expect((await set([{ ...ok, RemoteAddress: 'http://user:pw@127.0.0.1/' }])).Status).toBe(400);
    expect((await set([{ ...ok, Username: '' }])).Message).toMatch(/Username/);
    expect((await set([{ ...ok, Password: '' }])).Message).toMatch(/Password must not be empty/);
    expect((await set(['not an object'])).Status).toBe(400);
    expect((await set(Array.from({ length: 21 }, () => ok))).Message).toMatch(/at most 20/);
  });

  it('seals the credentials, blanks them in config/get and keeps them when Password comes back empty', async () => {
    await tenantA.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { RoleEnabled: true, DeleteUnusedData: false, Servers: [serverB(orgBCreds)] } });
    const got = await tenantA.admin.ok('/api/v1/admin/meta/constellation/config/get');
    expect(got.Servers).toEqual([{ Type: 'comet', Description: 'Storage server B', RemoteAddress: b.url, Username: orgBCreds.username, Password: '' }]);
    const [stored] = await sql<{ servers: string }>(`SELECT servers FROM "ConstellationConfig" WHERE "tenantId" = $1`, [tenantA.id]);
    expect(stored.servers).not.toContain(orgBCreds.password);
    // Saving what config/get answered (Password "") keeps the stored password: the report still reads B.
    await tenantA.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: got });
    const status = await tenantA.admin.ok('/api/v1/admin/constellation/status');
    expect(status.Targets).toEqual([expect.any(String), b.url]);
    expect(status.TargetNames).toEqual([expect.any(String), 'Storage server B']);
  });
});

describe('Constellation Servers: reports across two servers', () => {
  it("a tenant's Constellation sees the buckets of the organization on B it signs in as, and users on both servers", async () => {
    const mineOnB = (await orgBAdmin.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    const otherOnB = (await rootB.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    const localUser = await makeUser(tenantA.admin);
    await pointVaultAt(tenantA.admin, localUser.username, b.url, mineOnB);
    const userOnB = await makeUser(orgBAdmin);
    await pointVaultAt(orgBAdmin, userOnB.username, b.url, mineOnB, 'vault-b');

    const report = await tenantA.admin.ok('/api/v1/admin/constellation/new-report');
    expect(report.Usage[mineOnB].ExistsOnServers).toEqual([1]);
    expect(report.Usage[mineOnB].InUseBy).toEqual(expect.arrayContaining([{ ServerID: 0, Username: localUser.username }, { ServerID: 1, Username: userOnB.username }]));
    expect(report.Usage[otherOnB]).toBeUndefined();
    const listed = await tenantA.admin.ok('/api/v1/admin/constellation/buckets');
    expect(listed.Complete).toBe(true);
    expect(listed.Targets.map((t: { Name: string; OK: boolean }) => [t.Name, t.OK])).toEqual([[expect.any(String), true], ['Storage server B', true]]);
    expect(listed.Buckets.find((x: { BucketID: string }) => x.BucketID === mineOnB)).toMatchObject({ State: 'in-use', ExistsOnServers: [1] });
    // Top-level A does not see the tenant's bucket on B (it does not list B yet).
    expect((await rootA.ok('/api/v1/admin/meta/constellation/config/get')).Servers).toEqual([]);
  });

  it('sweeps a bucket on B through every guard, refuses while a target is down or another Constellation sees it, then deletes it on B', async () => {
    await rootA.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { RoleEnabled: true, DeleteUnusedData: true, Servers: [serverB(rootBCreds)] } });
    const doomed = (await rootB.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    const kept = (await rootB.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    const keptByB = (await rootB.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    const holderA = await makeUser(rootA);
    await pointVaultAt(rootA, holderA.username, b.url, kept);
    const holderB = await makeUser(rootB);
    await pointVaultAt(rootB, holderB.username, b.url, keptByB);
    const mine = [doomed, kept, keptByB];

    for (let i = 0; i < 3; i++) await prune();
    await sql(`UPDATE "ConstellationBucket" SET "unusedSince" = "unusedSince" - 25 * 3600 WHERE "tenantId" = $1 AND "bucketId" = ANY($2)`, [TOP, mine]);
    await prune();
    // B's creation time is the grace window's clock.
    expect(await verdictA(TOP, doomed)).toMatchObject({ State: 'unused', Reason: expect.stringMatching(/grace window/) });
    await sqlB(`UPDATE "StorageBucket" SET "createdAt" = "createdAt" - interval '25 hours' WHERE id = ANY($1)`, [mine]);
    await prune();
    expect(await verdictA(TOP, doomed)).toMatchObject({ State: 'quarantined' });
    expect(await verdictA(TOP, kept)).toMatchObject({ State: 'in-use' });
    expect(await verdictA(TOP, keptByB)).toMatchObject({ State: 'in-use' });
    await sql(`UPDATE "ConstellationBucket" SET "quarantinedAt" = "quarantinedAt" - 73 * 3600 WHERE "tenantId" = $1 AND "bucketId" = $2`, [TOP, doomed]);

    // A second target that does not answer: the run is partial, nothing is decided or deleted.
    const dead = { Type: 'comet', Description: 'Server that is down', RemoteAddress: 'http://127.0.0.1:9', Username: 'x', Password: 'Correct-Horse-42' };
    await rootA.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { RoleEnabled: true, DeleteUnusedData: true, Servers: [serverB(rootBCreds), dead] } });
    await prune();
    expect(await verdictA(TOP, doomed)).toMatchObject({ State: 'unknown' });
    expect(await bucketsOnB()).toContain(doomed);
    const partial = await rootA.ok('/api/v1/admin/constellation/buckets');
    expect(partial.Complete).toBe(false);
    expect(partial.Targets[2]).toMatchObject({ Name: 'Server that is down', OK: false, Error: expect.any(String) });
    expect(partial.Targets[2].Error).not.toBe('');

    // B's own Constellation also sees B's buckets: A never deletes them.
    await rootA.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { RoleEnabled: true, DeleteUnusedData: true, Servers: [serverB(rootBCreds)] } });
    await rootB.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { RoleEnabled: true, DeleteUnusedData: false, Servers: [] } });
    await prune();
    expect(await verdictA(TOP, doomed)).toMatchObject({ State: 'unused', Reason: expect.stringMatching(/Constellation of Storage server B also sees it/) });
    await rootB.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: OFF });

    // Another organization of A whose Constellation lists the same server with the same view: overlap again.
    await tenantA.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { RoleEnabled: true, DeleteUnusedData: false, Servers: [serverB(rootBCreds)] } });
    await tenantA.admin.ok('/api/v1/admin/constellation/new-report');
    await prune();
    expect(await verdictA(TOP, doomed)).toMatchObject({ State: 'unused', Reason: expect.stringMatching(/another organization's Constellation also sees it/) });
    expect(await bucketsOnB()).toContain(doomed);
    await tenantA.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: OFF });

    // Every guard again (the lifted quarantine starts over), then the deletion on B.
    for (let i = 0; i < 3; i++) await prune();
    await sql(`UPDATE "ConstellationBucket" SET "unusedSince" = "unusedSince" - 25 * 3600 WHERE "tenantId" = $1 AND "bucketId" = $2`, [TOP, doomed]);
    await prune();
    expect(await verdictA(TOP, doomed)).toMatchObject({ State: 'quarantined' });
    await sql(`UPDATE "ConstellationBucket" SET "quarantinedAt" = "quarantinedAt" - 73 * 3600 WHERE "tenantId" = $1 AND "bucketId" = $2`, [TOP, doomed]);
    await prune();
    expect(await verdictA(TOP, doomed)).toMatchObject({ State: 'deleted' });
    const left = await bucketsOnB();
    expect(left).not.toContain(doomed);
    expect(left).toEqual(expect.arrayContaining([kept, keptByB]));
    const [removed] = await sql<{ n: string }>(`SELECT count(*) AS n FROM "Event" WHERE type = 4301 AND "resourceId" = $1 AND "tenantId" = $2`, [doomed, TOP]);
    expect(Number(removed.n)).toBe(1);
    const [memory] = await sql(`SELECT "removalPending", "deletedAt" FROM "ConstellationBucket" WHERE "tenantId" = $1 AND "bucketId" = $2`, [TOP, doomed]);
    expect(memory.removalPending).toBe('');
    expect(Number(memory.deletedAt)).toBeGreaterThan(0);
  });

  it('reports vaults pointing at a bucket that no longer exists, with one event per new finding', async () => {
    const vanishing = (await rootB.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    const owner = await makeUser(rootA);
    await pointVaultAt(rootA, owner.username, b.url, vanishing);
    await rootA.ok('/api/v1/admin/constellation/new-report');
    await rootB.ok('/api/v1/admin/storage/delete-bucket', { BucketID: vanishing });
    await rootA.ok('/api/v1/admin/constellation/new-report');
    const listed = await rootA.ok('/api/v1/admin/constellation/buckets');
    expect(listed.Missing).toContainEqual({ Username: owner.username, ServerID: 0, BucketID: vanishing });
    const events = () => sql<{ data: { Missing: Array<{ BucketID: string }> } }>(`SELECT data FROM "Event" WHERE type = $1 AND "tenantId" = $2`, [MISSING_EVENT, TOP]);
    const count = async () => (await events()).filter((e) => e.data.Missing.some((m) => m.BucketID === vanishing)).length;
    expect(await count()).toBe(1);
    // The same finding in the next report is not alerted again.
    await rootA.ok('/api/v1/admin/constellation/new-report');
    expect(await count()).toBe(1);
    // The tenant of A does not see the top level's finding.
    expect(JSON.stringify(await tenantA.admin.ok('/api/v1/admin/constellation/buckets'))).not.toContain(vanishing);
  });

  it('finishes a removal that a killed sweep left between files', async () => {
    await rootA.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { RoleEnabled: true, DeleteUnusedData: true, Servers: [] } });
    const local = (await rootA.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    const storage = path.join(servicesDir, `storage-${new URL(halleyUrl('')).port}`);
    const dir = path.join(storage, local);
    fs.mkdirSync(path.join(dir, 'objects'), { recursive: true });
    for (let i = 0; i < 6; i++) fs.writeFileSync(path.join(dir, 'objects', `chunk-${i}`), `data ${i}`);
    // The state a sweep killed mid-delete leaves: the deletion committed (row gone, removal pending), some files gone.
    await sql(`DELETE FROM "StorageBucket" WHERE id = $1`, [local]);
    await sql(
      `INSERT INTO "ConstellationBucket" ("tenantId", "bucketId", "unusedStreak", "deletedAt", "removalPending") VALUES ($1, $2, 4, extract(epoch from now())::bigint, '["local"]')`,
      [TOP, local],
    );
    for (let i = 0; i < 3; i++) fs.rmSync(path.join(dir, 'objects', `chunk-${i}`));
    expect(fs.readdirSync(path.join(dir, 'objects'))).toHaveLength(3);
    // And an earlier removal killed while emptying the trash (its folder already renamed away, half empty).
    const trashed = path.join(storage, '.trash', `${local}-0badf00d`, 'objects');
    fs.mkdirSync(trashed, { recursive: true });
    fs.writeFileSync(path.join(trashed, 'chunk-9'), 'data 9');

    await prune();
    expect(fs.existsSync(dir)).toBe(false);
    const trash = path.join(storage, '.trash');
    expect(fs.existsSync(trash) ? fs.readdirSync(trash).filter((name) => name.startsWith(local)) : []).toEqual([]);
    const listed = await rootA.ok('/api/v1/admin/constellation/buckets');
    expect(listed.Buckets.find((x: { BucketID: string }) => x.BucketID === local)).toMatchObject({ State: 'deleted', Reason: expect.stringMatching(/interrupted removal was finished/) });
    const [memory] = await sql(`SELECT "removalPending" FROM "ConstellationBucket" WHERE "tenantId" = $1 AND "bucketId" = $2`, [TOP, local]);
    expect(memory.removalPending).toBe('');
  });
});
