// Storage Role and Storage Templates against the shared test server: buckets (register, list, properties
// with a background measurement, delete, free-space, events, tenant scoping, bad input), the streaming
// object API with bucket-key auth, templates (comet, s3 on s3rver, custom on a local HTTP provisioner)
// with sealed credentials, request-storage-vault for admins and end users (policy honoured, nothing left
// behind on failure), and the reference agent backing up into a Halley bucket and an S3 bucket, its
// Test connection per type, and StorageLimitBytes -> JOB_STATUS_FAILED_QUOTA.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import S3rver from 's3rver';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentDevice } from '../../agent/device';
import type { CometClient } from '../helpers/comet-client';
import { client, makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { finishedJob, liveConnectionId, makeSourceTree, startAgent, tempDir } from '../helpers/live';
import { allowPrivateTargets } from '../helpers/private-targets';
import { sql } from '../helpers/security';
import { halleyUrl } from '../helpers/server';

const SEVT_BUCKET_NEW = 4300;
const SEVT_BUCKET_REMOVED = 4301;

let root: CometClient;
let tenant: TenantFixture;
let restorePrivate: () => Promise<void>;
let s3: S3rver;
let s3Port: number;
let provisioner: http.Server;
let provisionerUrl: string;
const provisionerCalls: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
const agents: AgentDevice[] = [];

beforeAll(async () => {
  root = await rootClient();
  tenant = await makeTenant('storage');
  restorePrivate = await allowPrivateTargets(true);
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: tempDir('s3rver'), configureBuckets: [{ name: 'master-bucket', configs: [] }] });
  const addr = (await s3.run()) as AddressInfo;
  s3Port = addr.port;
  provisioner = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      provisionerCalls.push({ headers: req.headers, body });
      if (req.headers.authorization !== 'Bearer provision-token') {
        res.writeHead(401, { 'content-type': 'application/json' });
        return void res.end('{"error":"unauthorised"}');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ DestinationType: 1002, LocalcopyPath: '/srv/custom-vaults/one' }));
    });
  });
  await new Promise<void>((r) => provisioner.listen(0, '127.0.0.1', r));
  provisionerUrl = `http://127.0.0.1:${(provisioner.address() as AddressInfo).port}/provision`;
});

afterAll(async () => {
  for (const a of agents) a.stop();
  await restorePrivate?.();
  await s3?.close();
  await new Promise((r) => provisioner?.close(r));
});

function objectUrl(bucket: string, key = '', query = ''): string {
  return halleyUrl(`/storage/v1/${bucket}${key ? `/${key}` : ''}${query}`);
}

async function events(type: number, resourceId: string): Promise<number> {
  const rows = await sql<{ n: string }>(`SELECT count(*) AS n FROM "Event" WHERE type = $1 AND "resourceId" = $2`, [type, resourceId]);
  return Number(rows[0].n);
}

describe('Storage Role buckets', () => {
  it('registers, lists, measures and deletes buckets, with events and a hashed key', async () => {
    const made = await tenant.admin.ok('/api/v1/admin/storage/register-bucket');
    expect(made.NewBucketID).toMatch(/^halley-/);
    expect(made.NewBucketKey.length).toBeGreaterThanOrEqual(24);
    const [row] = await sql<{ keyHash: string; tenantId: string }>(`SELECT "keyHash", "tenantId" FROM "StorageBucket" WHERE id = $1`, [made.NewBucketID]);
    expect(row.keyHash).toMatch(/^scrypt\$/);
    expect(row.keyHash).not.toContain(made.NewBucketKey);
    expect(row.tenantId).toBe(tenant.id);
    expect(await events(SEVT_BUCKET_NEW, made.NewBucketID)).toBe(1);

    const mine = await tenant.admin.ok('/api/v1/admin/storage/list-buckets');
    expect(Object.keys(mine)).toEqual([made.NewBucketID]);
    expect(mine[made.NewBucketID]).toMatchObject({ OrganizationID: tenant.id, ReadWriteKey: '' });
    expect(Object.keys(await root.ok('/api/v1/admin/storage/list-buckets'))).toContain(made.NewBucketID);
    const other = await makeTenant('storage-other');
    expect(await other.admin.ok('/api/v1/admin/storage/list-buckets')).toEqual({});
    const foreign = await other.admin.fails('/api/v1/admin/storage/bucket-properties', { BucketID: made.NewBucketID });
    const missing = await other.admin.fails('/api/v1/admin/storage/bucket-properties', { BucketID: 'halley-doesnotexist' });
    expect(foreign.Status).toBe(404);
    expect(foreign.Message.replace(made.NewBucketID, 'X')).toBe(missing.Message.replace('halley-doesnotexist', 'X'));
    expect((await other.admin.fails('/api/v1/admin/storage/delete-bucket', { BucketID: made.NewBucketID })).Status).toBe(404);

    // Objects, then a measurement that started after now.
    const put = await fetch(objectUrl(made.NewBucketID, 'chunks/ab/one'), { method: 'PUT', headers: { authorization: `Bearer ${made.NewBucketKey}` }, body: Buffer.alloc(5000, 7) });
    expect(put.status).toBe(200);
    const after = Math.floor(Date.now() / 1000);
    const props = await tenant.admin.ok('/api/v1/admin/storage/bucket-properties', { BucketID: made.NewBucketID, AfterTimestamp: after });
    expect(props.Size.Size).toBe(5000);
    expect(props.Size.MeasureStarted).toBeGreaterThanOrEqual(after);
    expect(props.Size.MeasureCompleted).toBeGreaterThanOrEqual(props.Size.MeasureStarted);

    await tenant.admin.ok('/api/v1/admin/storage/delete-bucket', { BucketID: made.NewBucketID });
    expect(await events(SEVT_BUCKET_REMOVED, made.NewBucketID)).toBe(1);
    expect(await tenant.admin.ok('/api/v1/admin/storage/list-buckets')).toEqual({});
    expect((await fetch(objectUrl(made.NewBucketID, 'chunks/ab/one'), { headers: { authorization: `Bearer ${made.NewBucketKey}` } })).status).toBe(403);
  });

  it('accepts a caller-supplied ID and key, refuses bad input and other organizations for tenant admins', async () => {
    const id = uniq('own-bucket');
    const made = await tenant.admin.ok('/api/v1/admin/storage/register-bucket', { SetBucketValue: id, SetKeyHashFormat: '0', SetKeyHashValue: 'a-long-bucket-key-123' });
    expect(made).toMatchObject({ NewBucketID: id, NewBucketKey: 'a-long-bucket-key-123' });
    expect((await tenant.admin.fails('/api/v1/admin/storage/register-bucket', { SetBucketValue: id })).Status).toBe(409);
    expect((await tenant.admin.fails('/api/v1/admin/storage/register-bucket', { SetBucketValue: '../etc' })).Message).toMatch(/SetBucketValue/);
    expect((await tenant.admin.fails('/api/v1/admin/storage/register-bucket', { SetKeyHashFormat: '0', SetKeyHashValue: 'short' })).Message).toMatch(/at least 12/);
    expect((await tenant.admin.fails('/api/v1/admin/storage/register-bucket', { SetKeyHashFormat: '7', SetKeyHashValue: 'whatever-hash-value' })).Message).toMatch(/not supported/);
    expect((await tenant.admin.fails('/api/v1/admin/storage/register-bucket', { SetOrganizationID: '00000000-0000-0000-0000-000000000000' })).Status).toBe(403);
    const forTenant = await root.ok('/api/v1/admin/storage/register-bucket', { SetOrganizationID: tenant.id });
    expect(Object.keys(await tenant.admin.ok('/api/v1/admin/storage/list-buckets'))).toContain(forTenant.NewBucketID);
    expect((await tenant.admin.fails('/api/v1/admin/storage/free-space')).Status).toBe(403);
    const free = await root.ok('/api/v1/admin/storage/free-space');
    expect(free.Unlimited).toBe(false);
    expect(free.AvailableBytes).toBeGreaterThan(0);
  });
});

describe('object API', () => {
  it('streams objects in and out with bucket-key auth, lists by prefix and refuses unsafe keys', async () => {
    const { NewBucketID: bucket, NewBucketKey: key } = await tenant.admin.ok('/api/v1/admin/storage/register-bucket');
    const auth = { authorization: `Bearer ${key}` };
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 0x5a);
    expect((await fetch(objectUrl(bucket, 'chunks/aa/big'), { method: 'PUT', headers: auth, body: big })).status).toBe(200);
    expect((await fetch(objectUrl(bucket, 'snapshots/s1'), { method: 'PUT', headers: auth, body: 'snap' })).status).toBe(200);
    const got = await fetch(objectUrl(bucket, 'chunks/aa/big'), { headers: auth });
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(big)).toBe(true);
    const head = await fetch(objectUrl(bucket, 'snapshots/s1'), { method: 'HEAD', headers: auth });
    expect(head.headers.get('content-length')).toBe('4');
    const list = await (await fetch(objectUrl(bucket, '', '?prefix=chunks/'), { headers: auth })).json();
    expect(list).toEqual({ Objects: [{ Key: 'chunks/aa/big', Size: big.length, Modified: expect.any(Number) }], NextAfter: '' });
    const paged = await (await fetch(objectUrl(bucket, '', '?limit=1'), { headers: auth })).json();
    expect(paged.Objects.map((o: { Key: string }) => o.Key)).toEqual(['chunks/aa/big']);
    const rest = await (await fetch(objectUrl(bucket, '', `?limit=1&after=${encodeURIComponent(paged.NextAfter)}`), { headers: auth })).json();
    expect(rest.Objects.map((o: { Key: string }) => o.Key)).toEqual(['snapshots/s1']);
    expect((await fetch(objectUrl(bucket, 'snapshots/s1'), { method: 'DELETE', headers: auth })).status).toBe(204);
    expect((await fetch(objectUrl(bucket, 'snapshots/s1'), { headers: auth })).status).toBe(404);

    expect((await fetch(objectUrl(bucket, 'chunks/aa/big'), { headers: { authorization: 'Bearer wrong-key-wrong-key' } })).status).toBe(403);
    expect((await fetch(objectUrl(bucket, 'chunks/aa/big'))).status).toBe(403);
    for (const bad of ['..%2F..%2Fetc%2Fpasswd', '.hidden', 'a//b', '%2E%2E%2Fx']) {
      const r = await fetch(objectUrl(bucket, bad), { method: 'PUT', headers: auth, body: 'x' });
      expect(r.status, bad).toBe(400);
    }
    // A key under an object, or an object where a folder is: 409, and nothing written.
    expect((await fetch(objectUrl(bucket, 'chunks/aa/big/inner'), { method: 'PUT', headers: auth, body: 'x' })).status).toBe(409);
    expect((await fetch(objectUrl(bucket, 'chunks/aa'), { method: 'PUT', headers: auth, body: 'x' })).status).toBe(409);
  });

  it('writes into a folder that was removed since an earlier object went there (a bucket deleted and registered again)', async () => {
    const id = uniq('again-bucket');
    const key = 'a-long-bucket-key-456';
    const put = (k: string, body: string) => fetch(objectUrl(id, k), { method: 'PUT', headers: { authorization: `Bearer ${key}` }, body });
    await tenant.admin.ok('/api/v1/admin/storage/register-bucket', { SetBucketValue: id, SetKeyHashFormat: '0', SetKeyHashValue: key });
    expect((await put('chunks/bb/one', 'one')).status).toBe(200);
    await tenant.admin.ok('/api/v1/admin/storage/delete-bucket', { BucketID: id });
    await tenant.admin.ok('/api/v1/admin/storage/register-bucket', { SetBucketValue: id, SetKeyHashFormat: '0', SetKeyHashValue: key });
    expect((await put('chunks/bb/two', 'two')).status).toBe(200);
    const got = await fetch(objectUrl(id, 'chunks/bb/two'), { headers: { authorization: `Bearer ${key}` } });
    expect(await got.text()).toBe('two');
    expect((await fetch(objectUrl(id, 'chunks/bb/one'), { headers: { authorization: `Bearer ${key}` } })).status).toBe(404);
  });
});

describe('Storage Templates and request-storage-vault', () => {
  const s3Template = () => ({ Type: 's3', Description: 'S3 per vault', ID: 's3-buckets', S3: { S3Endpoint: `http://127.0.0.1:${s3Port}`, AccessKey: 'S3RVER', SecretKey: 'S3RVER', Region: 'us-east-1', Prefix: 'vault' } });
  const s3Master = () => ({ Type: 's3', Description: 'S3 shared bucket', ID: 's3-master', S3: { S3Endpoint: `http://127.0.0.1:${s3Port}`, AccessKey: 'S3RVER', SecretKey: 'S3RVER', MasterBucket: 'master-bucket', Prefix: 'tenants' } });

  it('keeps templates per organization with sealed credentials, gated by AllowEditRemoteStorage', async () => {
    expect((await tenant.admin.fails('/api/v1/admin/meta/remote-storage-vault/get')).Status).toBe(403);
    await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: tenant.adminName, Permissions: { AllowEditRemoteStorage: true } });
    const custom = { Type: 'custom', Description: 'Custom provisioner', ID: 'custom-1', Custom: { URL: provisionerUrl, CustomHeaders: { Authorization: 'Bearer provision-token' }, CustomBody: '{"plan":"gold"}', CustomBodyType: 'json' } };
    await tenant.admin.ok('/api/v1/admin/meta/remote-storage-vault/set', {
      RemoteStorageOptions: [{ Type: 'comet', Description: 'This Halley', ID: 'halley', StorageLimitEnabled: true, StorageLimitBytes: 200_000 }, s3Template(), s3Master(), custom],
    });
    const got = await tenant.admin.ok('/api/v1/admin/meta/remote-storage-vault/get');
    expect(got.map((t: { ID: string }) => t.ID)).toEqual(['halley', 's3-buckets', 's3-master', 'custom-1']);
    expect(got[1].S3.SecretKey).toBe('');
    expect(got[3].Custom.CustomHeaders).toEqual({ Authorization: '' });
    const [row] = await sql<{ secrets: string; data: unknown }>(`SELECT secrets, data FROM "StorageTemplate" WHERE "tenantId" = $1 AND "templateId" = 'custom-1'`, [tenant.id]);
    expect(row.secrets).toMatch(/^v1:/);
    expect(JSON.stringify(row.data)).not.toContain('provision-token');
    // Saving what get returned keeps the credentials.
    await tenant.admin.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: got });
    expect(await tenant.admin.ok('/api/v1/admin/meta/remote-storage-vault/test', { TemplateOptions: got[1] })).toMatchObject({ Status: 200 });
    expect(await tenant.admin.ok('/api/v1/admin/meta/remote-storage-vault/test', { TemplateOptions: got[0] })).toMatchObject({ Status: 200 });
    const wrong = await tenant.admin.fails('/api/v1/admin/meta/remote-storage-vault/test', { TemplateOptions: { ...s3Template(), ID: '', S3: { ...s3Template().S3, S3Endpoint: 'http://127.0.0.1:1' } } });
    expect(wrong.Message).toMatch(/Test failed/);
    expect((await tenant.admin.fails('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: [{ Type: 'ftp', Description: 'x' }] })).Message).toMatch(/not supported/);
    expect((await tenant.admin.fails('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: [{ Type: 's3', Description: 'x', S3: { AccessKey: 'a' } }] })).Message).toMatch(/S3Endpoint/);
    expect((await tenant.admin.fails('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: 'nope' })).Status).toBe(400);
    // The SSRF guard refuses private endpoints while private targets are not allowed.
    await root.ok('/api/v1/admin/meta/webhook-settings/set', { AllowPrivateTargets: false });
    try {
      expect((await tenant.admin.fails('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: [s3Template()] })).Message).toMatch(/Refused storage endpoint/);
    } finally {
      await root.ok('/api/v1/admin/meta/webhook-settings/set', { AllowPrivateTargets: true });
    }
    // Top-level templates are the server's, not the tenant's.
    expect(await tenant.admin.ok('/api/v1/admin/request-storage-vault-providers')).toEqual({ halley: 'This Halley', 's3-buckets': 'S3 per vault', 's3-master': 'S3 shared bucket', 'custom-1': 'Custom provisioner' });
    expect(await root.ok('/api/v1/admin/request-storage-vault-providers', { TargetOrganization: tenant.id })).toHaveProperty('halley');
  });

  it('provisions vaults of every type for a user, with the quota and nothing half-made on failure', async () => {
    const user = await makeUser(tenant.admin);
    const comet = await tenant.admin.ok('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 'halley', SelfAddress: halleyUrl() });
    const vault = comet.Profile.Destinations[comet.DestinationID];
    expect(vault).toMatchObject({ DestinationType: 1003, CometServer: halleyUrl(), StorageLimitEnabled: true, StorageLimitBytes: 200_000, Description: 'This Halley', CometBucketKey: '' });
    expect(Object.keys(await tenant.admin.ok('/api/v1/admin/storage/list-buckets'))).toContain(vault.CometBucket);

    const perBucket = await tenant.admin.ok('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 's3-buckets', ProfileHash: comet.ProfileHash });
    const s3Vault = perBucket.Profile.Destinations[perBucket.DestinationID];
    expect(s3Vault).toMatchObject({ DestinationType: 1000, S3Server: `127.0.0.1:${s3Port}`, S3UsesTLS: false, S3SecretKey: '' });
    expect(s3Vault.S3BucketName).toMatch(/^vault-[0-9a-f]{16}$/);
    const shared = await tenant.admin.ok('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 's3-master' });
    expect(shared.Profile.Destinations[shared.DestinationID]).toMatchObject({ S3BucketName: 'master-bucket', S3Subdir: expect.stringMatching(/^tenants\/[0-9a-f]{16}$/) });

    const custom = await tenant.admin.ok('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 'custom-1' });
    expect(custom.Profile.Destinations[custom.DestinationID]).toMatchObject({ DestinationType: 1002, LocalcopyPath: '/srv/custom-vaults/one', Description: 'Custom provisioner' });
    const call = provisionerCalls.at(-1)!;
    expect(call.body).toBe('{"plan":"gold"}');
    expect(call.headers['content-type']).toBe('application/json');

    // A stale ProfileHash fails before anything is made; a failure after provisioning removes the bucket.
    const bucketsBefore = Object.keys(await tenant.admin.ok('/api/v1/admin/storage/list-buckets')).length;
    expect((await tenant.admin.fails('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 'halley', ProfileHash: comet.ProfileHash })).Status).toBe(409);
    expect(Object.keys(await tenant.admin.ok('/api/v1/admin/storage/list-buckets')).length).toBe(bucketsBefore);
    expect((await tenant.admin.fails('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 'nope' })).Status).toBe(404);
    expect((await tenant.admin.fails('/api/v1/admin/request-storage-vault', { TargetUser: 'nobody-here', StorageProvider: 'halley' })).Status).toBe(400);
  });

  it('lets end users request vaults as their policy allows', async () => {
    const user = await makeUser(tenant.admin);
    const asUser = client({ username: user.username, password: user.password });
    expect(Object.keys(await asUser.ok('/api/v1/user/web/request-storage-vault-providers'))).toEqual(['halley', 's3-buckets', 's3-master', 'custom-1']);
    const made = await asUser.ok('/api/v1/user/web/request-storage-vault', { StorageProvider: 'halley', SelfAddress: halleyUrl() });
    expect(made.Profile.Destinations[made.DestinationID].DestinationType).toBe(1003);

    const policyId = (await tenant.admin.ok('/api/v1/admin/policies/new', { Policy: { Description: uniq('s3-only'), Policy: { StorageVaultProviders: { ShouldRestrictProviderList: true, AllowedProvidersWhenRestricted: [1000] } } } })).PolicyID;
    const { Profile, ProfileHash } = await tenant.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username });
    await tenant.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: user.username, ProfileData: { ...Profile, PolicyID: policyId }, RequireHash: ProfileHash });
    // A custom provisioner's vault type is only known from its answer: it stays listed and is checked then.
    expect(Object.keys(await asUser.ok('/api/v1/user/web/request-storage-vault-providers'))).toEqual(['s3-buckets', 's3-master', 'custom-1']);
    expect((await asUser.fails('/api/v1/user/web/request-storage-vault', { StorageProvider: 'halley' })).Status).toBe(403);
    // A custom provisioner's answer (a local path) is refused by the policy afterwards.
    expect((await asUser.fails('/api/v1/user/web/request-storage-vault', { StorageProvider: 'custom-1' })).Status).toBe(403);
    const blocked = (await tenant.admin.ok('/api/v1/admin/policies/new', { Policy: { Description: uniq('no-requests'), Policy: { PreventRequestStorageVault: true } } })).PolicyID;
    const again = await tenant.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username });
    await tenant.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: user.username, ProfileData: { ...again.Profile, PolicyID: blocked }, RequireHash: again.ProfileHash });
    expect(await asUser.ok('/api/v1/user/web/request-storage-vault-providers')).toEqual({});
    expect((await asUser.fails('/api/v1/user/web/request-storage-vault', { StorageProvider: 's3-buckets' })).Message).toMatch(/policy/);
    // The admin API is not bound by the user's policy.
    expect(await tenant.admin.ok('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 'halley' })).toMatchObject({ Status: 200 });
  });
});

describe('the reference agent on Storage Role and S3 vaults', () => {
  async function backupInto(provider: string, opts: { limit?: boolean } = {}) {
    const user = await makeUser(tenant.admin);
    const made = await tenant.admin.ok('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: provider, SelfAddress: halleyUrl() });
    const sourceDir = tempDir('source');
    const tree = makeSourceTree(sourceDir);
    const { Profile, ProfileHash } = await tenant.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username });
    Profile.Sources = { item: { Engine: 'engine1/file', Description: 'Documents', EngineProps: { INCLUDE0: sourceDir } } };
    if (opts.limit === false) Profile.Destinations[made.DestinationID].StorageLimitEnabled = false;
    await tenant.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: user.username, ProfileData: Profile, RequireHash: ProfileHash });
    const agent = startAgent(halleyUrl(), user);
    agents.push(agent);
    const conn = await liveConnectionId(tenant.admin, agent.state.deviceId);
    const started = await tenant.admin.ok('/api/v1/admin/dispatcher/run-backup-custom', { TargetID: conn, Source: 'item', Destination: made.DestinationID });
    const job = await finishedJob(tenant.admin, started.JobID);
    return { user, made, tree, agent, conn, job, vault: Profile.Destinations[made.DestinationID] };
  }

  it('backs up into a Halley bucket, and StorageLimitBytes ends an oversize job with JOB_STATUS_FAILED_QUOTA', async () => {
    const ok = await backupInto('halley', { limit: false });
    expect(ok.job.Status).toBe(5000);
    expect(ok.job.TotalFiles).toBe(ok.tree.files);
    const props = await tenant.admin.ok('/api/v1/admin/storage/bucket-properties', { BucketID: ok.vault.CometBucket, AfterTimestamp: Math.floor(Date.now() / 1000) });
    expect(props.Size.Size).toBeGreaterThan(ok.tree.bytes);

    const quota = await backupInto('halley');
    expect(quota.job.Status).toBe(7003);
  });

  it('backs up into an S3 bucket, and tests each vault type from the device (a bad local path fails)', async () => {
    const run = await backupInto('s3-buckets');
    expect(run.job.Status).toBe(5000);
    const s3c = new S3Client({ endpoint: `http://127.0.0.1:${s3Port}`, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const listed = await s3c.send(new ListObjectsV2Command({ Bucket: run.vault.S3BucketName, Prefix: 'snapshots/' }));
    expect(listed.Contents?.length).toBe(1);
    s3c.destroy();

    const ping = (location: object) => tenant.admin.call('/api/v1/admin/dispatcher/ping-destination', { TargetID: run.conn, ExtraData: location });
    const okS3 = await ping({ DestinationType: 1000, S3Server: `127.0.0.1:${s3Port}`, S3UsesTLS: false, S3AccessKey: 'S3RVER', S3SecretKey: 'S3RVER', S3BucketName: run.vault.S3BucketName });
    expect(okS3.body.Status).toBe(200);
    const badS3 = await ping({ DestinationType: 1000, S3Server: `127.0.0.1:${s3Port}`, S3UsesTLS: false, S3AccessKey: 'S3RVER', S3SecretKey: 'S3RVER', S3BucketName: 'no-such-bucket' });
    expect(badS3.body.Status).toBeGreaterThanOrEqual(400);
    const bucket = await tenant.admin.ok('/api/v1/admin/storage/register-bucket');
    expect((await ping({ DestinationType: 1003, CometServer: halleyUrl(), CometBucket: bucket.NewBucketID, CometBucketKey: bucket.NewBucketKey })).body.Status).toBe(200);
    expect((await ping({ DestinationType: 1003, CometServer: halleyUrl(), CometBucket: bucket.NewBucketID, CometBucketKey: 'wrong-key-wrong-key' })).body.Status).toBeGreaterThanOrEqual(400);
    const badPath = await ping({ DestinationType: 1002, LocalcopyPath: path.join(tempDir('ping'), 'does', 'not', 'exist') });
    expect(badPath.body.Status).toBeGreaterThanOrEqual(400);
    const goodDir = tempDir('ping-ok');
    expect((await ping({ DestinationType: 1002, LocalcopyPath: goodDir })).body.Status).toBe(200);
    expect(fs.readdirSync(goodDir)).toEqual([]);

    // Halley's `Destination`: the device tests the user's stored vault with its stored (sealed) credentials, as
    // the console's device dialog does; ExtraData fields override it; a vault the account lacks is refused.
    const stored = (extra: object, Destination: string) => tenant.admin.call('/api/v1/admin/dispatcher/ping-destination', { TargetID: run.conn, ExtraData: extra, Destination });
    expect((await stored({}, run.made.DestinationID)).body).toMatchObject({ Status: 200 });
    expect((await stored({ S3BucketName: 'no-such-bucket' }, run.made.DestinationID)).body.Status).toBeGreaterThanOrEqual(400);
    expect((await stored({}, 'no-such-vault')).body.Status).toBe(404);

    // The server's own test (top level): the bucket on this Storage Role, and S3.
    expect(await root.ok('/api/v1/admin/storage/ping-destination', { ExtraData: { DestinationType: 1003, CometServer: halleyUrl(), CometBucket: bucket.NewBucketID, CometBucketKey: bucket.NewBucketKey } })).toMatchObject({ Status: 200 });
    expect((await root.fails('/api/v1/admin/storage/ping-destination', { ExtraData: { DestinationType: 1002, LocalcopyPath: '/tmp' } })).Message).toMatch(/from a device/);
    expect((await tenant.admin.fails('/api/v1/admin/storage/ping-destination', { ExtraData: { DestinationType: 1003 } })).Status).toBe(403);
  });
});
