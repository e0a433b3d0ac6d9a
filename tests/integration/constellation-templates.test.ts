// Constellation over Storage Templates (issue 16): the top-level organization's "s3" templates on s3rver are
// targets of its Constellation. A per-vault-bucket template's buckets (named <prefix>-<16 hex>) and a shared
// bucket template's per-vault prefixes (<Prefix>/<16 hex>/) are listed through the provider; anything else in
// the S3 account is never looked at. Vaults pointing at them (S3BucketName/S3Subdir) keep them; an unused one
// goes through every guard and quarantine and is then emptied and deleted on the provider, with the grace window
// counted from the Constellation's first sighting (the provider's clock is not this server's).
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CometClient } from '../helpers/comet-client';
import { makeTenant, makeUser, rootClient, type TenantFixture } from '../helpers/fixtures';
import { allowPrivateTargets } from '../helpers/private-targets';
import { sql } from '../helpers/security';

const TOP = '00000000-0000-0000-0000-000000000000';
const OFF = { RoleEnabled: false, DeleteUnusedData: false, Servers: [] };

let root: CometClient;
let tenant: TenantFixture;
let s3: S3rver;
let s3Port: number;
let client: S3Client;
let dir: string;
let restorePrivate: (() => Promise<void>) | undefined;
let templatesBefore: unknown[] = [];

beforeAll(async () => {
  root = await rootClient();
  tenant = await makeTenant('constel-s3');
  restorePrivate = await allowPrivateTargets(true);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'constel-s3rver-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: 'constel-master', configs: [] }, { name: 'unrelated-bucket', configs: [] }] });
  s3Port = ((await s3.run()) as AddressInfo).port;
  client = new S3Client({ endpoint: `http://127.0.0.1:${s3Port}`, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  templatesBefore = await root.ok('/api/v1/admin/meta/remote-storage-vault/get');
});

afterAll(async () => {
  await root?.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: OFF }).catch(() => undefined);
  await root?.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: templatesBefore }).catch(() => undefined);
  await restorePrivate?.();
  client?.destroy();
  await s3?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const endpoint = () => `http://127.0.0.1:${s3Port}`;
const host = () => `127.0.0.1:${s3Port}`;
const perVault = () => ({ Type: 's3', Description: 'Constellation S3 per vault', ID: 'constel-s3-buckets', S3: { S3Endpoint: endpoint(), AccessKey: 'S3RVER', SecretKey: 'S3RVER', Region: 'us-east-1', Prefix: 'cvault' } });
const shared = () => ({ Type: 's3', Description: 'Constellation S3 shared', ID: 'constel-s3-master', S3: { S3Endpoint: endpoint(), AccessKey: 'S3RVER', SecretKey: 'S3RVER', Region: 'us-east-1', MasterBucket: 'constel-master', Prefix: 'cten' } });

async function verdict(bucket: string): Promise<{ State: string; Reason: string }> {
  const [row] = await sql<{ v: { State: string; Reason: string } }>(
    `SELECT r.verdicts->$2 AS v FROM "ConstellationBucket" c JOIN "ConstellationReport" r ON r.id = c."lastReportId" WHERE c."tenantId" = $1 AND c."bucketId" = $2`,
    [TOP, bucket],
  );
  return row?.v;
}

const prune = async () => expect((await root.ok('/api/v1/admin/constellation/prune-now')).Status).toBe(200);
const bucketNames = async () => ((await client.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);
const keysUnder = async (prefix: string) => ((await client.send(new ListObjectsV2Command({ Bucket: 'constel-master', Prefix: prefix }))).Contents ?? []).map((o) => o.Key);

describe('Constellation over S3 Storage Templates', () => {
  it('reports template buckets and prefixes with their users, and deletes an unused one on the provider after every guard', async () => {
    await root.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: [perVault(), shared()] });
    await root.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { RoleEnabled: true, DeleteUnusedData: true, Servers: [] } });
    const user = await makeUser(root);
    const a = await root.ok('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 'constel-s3-buckets' });
    const usedBucket = a.Profile.Destinations[a.DestinationID].S3BucketName as string;
    const b = await root.ok('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 'constel-s3-master', ProfileHash: a.ProfileHash });
    const usedPrefix = b.Profile.Destinations[b.DestinationID].S3Subdir as string;
    // Left behind by customers who are gone: a bucket of the template's pattern and a prefix in the shared bucket.
    await client.send(new CreateBucketCommand({ Bucket: 'cvault-00112233445566ff' }));
    await client.send(new PutObjectCommand({ Bucket: 'cvault-00112233445566ff', Key: 'chunks/one', Body: 'x' }));
    for (const k of ['a', 'b/c']) await client.send(new PutObjectCommand({ Bucket: 'constel-master', Key: `cten/ffeeddccbbaa0099/${k}`, Body: 'x' }));
    const unusedBucket = `s3:${host()}/cvault-00112233445566ff`;
    const unusedPrefix = `s3:${host()}/constel-master/cten/ffeeddccbbaa0099`;

    const status = await root.ok('/api/v1/admin/constellation/status');
    expect(status.TargetNames).toEqual([expect.any(String), 'Storage Template: Constellation S3 per vault', 'Storage Template: Constellation S3 shared']);
    const report = await root.ok('/api/v1/admin/constellation/new-report');
    expect(report.Usage[`s3:${host()}/${usedBucket}`]).toEqual({ AccessKey: '', ExistsOnServers: [1], InUseBy: [{ ServerID: 0, Username: user.username }] });
    expect(report.Usage[`s3:${host()}/constel-master/${usedPrefix}`]).toEqual({ AccessKey: '', ExistsOnServers: [2], InUseBy: [{ ServerID: 0, Username: user.username }] });
    expect(report.Usage[unusedBucket]).toEqual({ AccessKey: '', ExistsOnServers: [1], InUseBy: [] });
    expect(report.Usage[unusedPrefix]).toEqual({ AccessKey: '', ExistsOnServers: [2], InUseBy: [] });
    expect(Object.keys(report.Usage).filter((k) => k.includes('unrelated-bucket') || k.endsWith('/constel-master'))).toEqual([]);
    // Another organization's Constellation does not see the top level's templates.
    await tenant.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { RoleEnabled: true, DeleteUnusedData: false, Servers: [] } });
    expect(Object.keys((await tenant.admin.ok('/api/v1/admin/constellation/new-report')).Usage).filter((k) => k.startsWith('s3:'))).toEqual([]);
    await tenant.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: OFF });

    const ids = [unusedBucket, unusedPrefix, `s3:${host()}/${usedBucket}`, `s3:${host()}/constel-master/${usedPrefix}`];
    for (let i = 0; i < 3; i++) await prune();
    await sql(`UPDATE "ConstellationBucket" SET "unusedSince" = "unusedSince" - 25 * 3600 WHERE "tenantId" = $1 AND "bucketId" = ANY($2)`, [TOP, ids]);
    await prune();
    expect(await verdict(unusedBucket)).toMatchObject({ State: 'unused', Reason: expect.stringMatching(/grace window/) });
    await sql(`UPDATE "ConstellationBucket" SET "firstSeen" = "firstSeen" - 25 * 3600 WHERE "tenantId" = $1 AND "bucketId" = ANY($2)`, [TOP, ids]);
    await prune();
    expect(await verdict(unusedBucket)).toMatchObject({ State: 'quarantined' });
    expect(await verdict(unusedPrefix)).toMatchObject({ State: 'quarantined' });
    expect(await bucketNames()).toContain('cvault-00112233445566ff');
    await sql(`UPDATE "ConstellationBucket" SET "quarantinedAt" = "quarantinedAt" - 73 * 3600 WHERE "tenantId" = $1 AND "bucketId" = ANY($2)`, [TOP, ids]);
    await prune();
    expect(await verdict(unusedBucket)).toMatchObject({ State: 'deleted' });
    expect(await verdict(unusedPrefix)).toMatchObject({ State: 'deleted' });
    expect(await verdict(`s3:${host()}/${usedBucket}`)).toMatchObject({ State: 'in-use' });

    const names = await bucketNames();
    expect(names).not.toContain('cvault-00112233445566ff');
    expect(names).toEqual(expect.arrayContaining([usedBucket, 'constel-master', 'unrelated-bucket']));
    expect(await keysUnder('cten/ffeeddccbbaa0099/')).toEqual([]);
    expect((await keysUnder(`${usedPrefix}/`)).length).toBeGreaterThan(0);
    const [pending] = await sql(`SELECT count(*)::int AS n FROM "ConstellationBucket" WHERE "tenantId" = $1 AND "bucketId" = ANY($2) AND "removalPending" <> ''`, [TOP, ids]);
    expect(pending.n).toBe(0);
  });
});
