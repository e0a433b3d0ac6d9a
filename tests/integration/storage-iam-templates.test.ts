// IAM-style Storage Templates (aws, wasabi, idrivee2, s3 with an IAMEndpoint) and b2, against local
// stand-ins of the providers' APIs (tests/helpers/fake-iam.ts, fake-b2.ts: mocks only because the real
// services cannot run here) and s3rver for the S3 side. Each vault gets its own IAM user with a policy
// scoped to its bucket or prefix and its own key (registered with s3rver by the fake IAM, so the vault's
// key really writes there), or a B2 application key restricted to its bucket/prefix; master secrets are
// sealed and write-only; a failed provisioning removes what it made; bad input is refused per field.
// Also: request-storage-vault's DeviceID (the vault is for that device: AssociatedDevices; a device the
// user does not have is refused), and the automatic vault of a device registered from the lobby points at
// the address the device dialled.
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import AWSAccount from 's3rver/lib/models/account.js';
import { ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CometClient } from '../helpers/comet-client';
import { startFakeB2, type FakeB2 } from '../helpers/fake-b2';
import { startFakeIam, type FakeIam } from '../helpers/fake-iam';
import { makeTenant, makeUser, rootClient, type TenantFixture } from '../helpers/fixtures';
import { liveConnectionId, startAgent, tempDir } from '../helpers/live';
import { halleyUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';
import type { AgentDevice } from '../../agent/device';
import { allowPrivateTargets } from '../helpers/private-targets';

const MASTER = { accessKey: 'S3RVER', secretKey: 'S3RVER' };
let root: CometClient;
let t: TenantFixture;
let s3: S3rver;
let s3Url: string;
let iam: FakeIam;
let b2: FakeB2;
let direct: S3Client;
let restorePrivate: () => Promise<void>;
/** Keys the fake IAM minted: id -> secret (the profile never shows a vault's secret). */
const minted = new Map<string, string>();
const agents: AgentDevice[] = [];

beforeAll(async () => {
  root = await rootClient();
  t = await makeTenant('iamtpl');
  await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: t.adminName, Permissions: { AllowEditRemoteStorage: true } });
  restorePrivate = await allowPrivateTargets(true);
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: tempDir('s3rver-iam'), configureBuckets: [{ name: 'wasabi-master', configs: [] }] });
  s3Url = `http://127.0.0.1:${((await s3.run()) as AddressInfo).port}`;
  iam = await startFakeIam(MASTER, {
    onKey: (id, secret) => {
      minted.set(id, secret);
      AWSAccount.DUMMY_ACCOUNT.createKeyPair(id, secret);
    },
    onKeyDeleted: (id) => AWSAccount.DUMMY_ACCOUNT.revokeAccessKey(id),
  });
  b2 = await startFakeB2({ keyId: '0051master', appKey: 'K005master-application-key' }, ['shared-master']);
  direct = new S3Client({ endpoint: s3Url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: MASTER.accessKey, secretAccessKey: MASTER.secretKey } });
}, 60_000);

afterAll(async () => {
  for (const a of agents) a.stop();
  await restorePrivate?.();
  direct?.destroy();
  await iam?.close();
  await b2?.close();
  await s3?.close();
});

const aws = () => ({ Type: 'aws', Description: 'AWS per bucket', ID: 'aws-1', AWS: { AccessKey: MASTER.accessKey, SecretKey: MASTER.secretKey, ObjectLockMode: 2, RemoveDeleted: true, S3Endpoint: s3Url, IAMEndpoint: iam.url } });
const wasabi = () => ({ Type: 'wasabi', Description: 'Wasabi shared', ID: 'wasabi-1', StorageLimitEnabled: true, StorageLimitBytes: 5_000_000_000, Wasabi: { AccessKey: MASTER.accessKey, SecretKey: MASTER.secretKey, MasterBucket: 'wasabi-master', S3Endpoint: s3Url, IAMEndpoint: iam.url } });
const idrive = () => ({ Type: 'idrivee2', Description: 'iDrive e2', ID: 'idrive-1', S3: { S3Endpoint: s3Url, IAMEndpoint: iam.url, AccessKey: MASTER.accessKey, SecretKey: MASTER.secretKey, Region: 'us-east-1', Prefix: 'e2' } });
const b2Tpl = (extra: Record<string, unknown> = {}) => ({ Type: 'b2', Description: 'Backblaze', ID: 'b2-1', B2: { KeyID: '0051master', AppKey: 'K005master-application-key', APIEndpoint: b2.url, HideDeletedFiles: true, ...extra } });
async function writeWithVaultKey(accessKeyId: string, bucket: string, key: string): Promise<void> {
  const own = new S3Client({ endpoint: s3Url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId, secretAccessKey: minted.get(accessKeyId)! } });
  try {
    await own.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'data' }));
  } finally {
    own.destroy();
  }
  const listed = await direct.send(new ListObjectsV2Command({ Bucket: bucket }));
  expect(listed.Contents?.map((o) => o.Key)).toContain(key);
}
const bucketNames = async () => ((await direct.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);

describe('IAM-style storage templates', () => {
  it('stores aws / wasabi / idrivee2 / b2 templates with sealed, write-only secrets and tests them', async () => {
    await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: [aws(), wasabi(), idrive(), b2Tpl()] });
    const got = await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/get');
    expect(got.map((x: { Type: string }) => x.Type)).toEqual(['aws', 'wasabi', 'idrivee2', 'b2']);
    expect([got[0].AWS.SecretKey, got[1].Wasabi.SecretKey, got[2].S3.SecretKey, got[3].B2.AppKey]).toEqual(['', '', '', '']);
    expect(got[0].AWS.AccessKey).toBe(MASTER.accessKey);
    // Saving what get answered keeps the stored secrets (the tests below provision with them).
    await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: got });
    for (const tpl of got) expect(await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/test', { TemplateOptions: tpl }), tpl.Type).toMatchObject({ Status: 200 });
    expect(iam.calls.some((c) => c.action === 'ListUsers')).toBe(true);

    const wrongKey = await t.admin.fails('/api/v1/admin/meta/remote-storage-vault/test', { TemplateOptions: { ...aws(), ID: '', AWS: { ...aws().AWS, SecretKey: 'not-the-secret' } } });
    expect(wrongKey.Message).toMatch(/Test failed/);
    const wrongB2 = await t.admin.fails('/api/v1/admin/meta/remote-storage-vault/test', { TemplateOptions: { ...b2Tpl({ AppKey: 'wrong' }), ID: '' } });
    expect(wrongB2.Message).toMatch(/Test failed: B2 b2_authorize_account failed \(HTTP 401\)/);
  });

  it('refuses incomplete templates naming the field', async () => {
    const refuse = async (tpl: Record<string, unknown>) => (await t.admin.fails('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: [tpl] })).Message as string;
    expect(await refuse({ ...idrive(), S3: { ...idrive().S3, IAMEndpoint: '' } })).toMatch(/RemoteStorageOptions\[0\]\.S3\.IAMEndpoint must not be empty/);
    expect(await refuse({ ...aws(), AWS: { ...aws().AWS, AccessKey: '' } })).toMatch(/RemoteStorageOptions\[0\]\.AWS\.AccessKey must not be empty/);
    expect(await refuse({ ...wasabi(), Wasabi: { ...wasabi().Wasabi, IAMEndpoint: 'not a url' } })).toMatch(/Wasabi\.IAMEndpoint 'not a url' is not a host name/);
    expect(await refuse({ Type: 'b2', Description: 'x', B2: { AppKey: 'k' } })).toMatch(/B2\.KeyID must not be empty/);
    expect(await refuse({ ...b2Tpl({ APIEndpoint: 'ftp://x' }) })).toMatch(/B2\.APIEndpoint must be an http/);
    // The outbound guard checks the IAM endpoint too.
    await root.ok('/api/v1/admin/meta/webhook-settings/set', { AllowPrivateTargets: false });
    try {
      expect(await refuse({ ...aws(), AWS: { ...aws().AWS, S3Endpoint: 'https://s3.amazonaws.com' } })).toMatch(/Refused storage endpoint/);
    } finally {
      await root.ok('/api/v1/admin/meta/webhook-settings/set', { AllowPrivateTargets: true });
    }
  });

  it('gives an aws vault its own bucket, IAM user, bucket-scoped policy and working key', async () => {
    const user = await makeUser(t.admin);
    const made = await t.admin.ok('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 'aws-1' });
    const vault = made.Profile.Destinations[made.DestinationID];
    expect(vault).toMatchObject({ DestinationType: 1000, S3Server: new URL(s3Url).host, S3UsesTLS: false, S3SecretKey: '', S3Subdir: '', S3RemoveDeleted: true, Description: 'AWS per bucket' });
    expect(vault.S3AccessKey).toMatch(/^AKIA[0-9A-F]{16}$/);
    expect(await bucketNames()).toContain(vault.S3BucketName);
    const userName = iam.calls.findLast((c) => c.action === 'CreateUser')!.params.UserName;
    expect(userName).toContain(user.username);
    const policy = JSON.parse(iam.users.get(userName)!.policies.get('halley-vault')!);
    const resources = policy.Statement.flatMap((s: { Resource: string[] }) => s.Resource);
    expect(resources.sort()).toEqual([`arn:aws:s3:::${vault.S3BucketName}`, `arn:aws:s3:::${vault.S3BucketName}/*`]);
    expect(iam.calls.every((c) => c.signedBy === MASTER.accessKey)).toBe(true);

    expect([...iam.users.get(userName)!.keys]).toEqual([vault.S3AccessKey]);
    // The vault's own key writes into its bucket (s3rver learnt the key from the fake IAM).
    await writeWithVaultKey(vault.S3AccessKey, vault.S3BucketName, 'chunks/one');
  });

  it('gives a wasabi vault a prefix in the master bucket, a prefix-scoped policy, and the template quota', async () => {
    const user = await makeUser(t.admin);
    const made = await t.admin.ok('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 'wasabi-1' });
    const vault = made.Profile.Destinations[made.DestinationID];
    expect(vault).toMatchObject({ DestinationType: 1000, S3BucketName: 'wasabi-master', StorageLimitEnabled: true, StorageLimitBytes: 5_000_000_000 });
    expect(vault.S3Subdir).toMatch(/^[0-9a-f]{16}$/);
    const marker = await direct.send(new ListObjectsV2Command({ Bucket: 'wasabi-master', Prefix: `${vault.S3Subdir}/` }));
    expect(marker.Contents?.map((o) => o.Key)).toEqual([`${vault.S3Subdir}/halley-vault-marker`]);
    const userName = iam.calls.findLast((c) => c.action === 'CreateUser')!.params.UserName;
    const policy = JSON.parse(iam.users.get(userName)!.policies.get('halley-vault')!);
    const list = policy.Statement.find((s: { Action: string[] }) => s.Action.includes('s3:ListBucket'));
    expect(list.Condition.StringLike['s3:prefix']).toEqual([vault.S3Subdir, `${vault.S3Subdir}/*`]);
    const objects = policy.Statement.find((s: { Action: string[] }) => s.Action.includes('s3:PutObject'));
    expect(objects.Resource).toEqual([`arn:aws:s3:::wasabi-master/${vault.S3Subdir}/*`]);
  });

  it('gives an idrivee2 vault a key that really writes to its bucket', async () => {
    const user = await makeUser(t.admin);
    const keysBefore = new Set(iam.calls.filter((c) => c.action === 'CreateAccessKey').map((c) => c.params.UserName));
    const made = await t.admin.ok('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 'idrive-1' });
    const vault = made.Profile.Destinations[made.DestinationID];
    expect(vault.S3BucketName).toMatch(/^e2-[0-9a-f]{16}$/);
    const userName = iam.calls.filter((c) => c.action === 'CreateAccessKey').map((c) => c.params.UserName).find((u) => !keysBefore.has(u))!;
    expect([...iam.users.get(userName)!.keys]).toEqual([vault.S3AccessKey]);
    await writeWithVaultKey(vault.S3AccessKey, vault.S3BucketName, 'index/a');
  });

  it('removes the bucket, user and policy when the access key cannot be made, and says why', async () => {
    const user = await makeUser(t.admin);
    const buckets = (await bucketNames()).length;
    const users = iam.users.size;
    iam.failOn.add('CreateAccessKey');
    try {
      const res = await t.admin.fails('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 'aws-1' });
      expect(res.Status).toBe(400);
      expect(res.Message).toMatch(/Provisioning from 'AWS per bucket' failed: IAM CreateAccessKey .*LimitExceeded/);
    } finally {
      iam.failOn.delete('CreateAccessKey');
    }
    expect((await bucketNames()).length).toBe(buckets);
    expect(iam.users.size).toBe(users);
    const profile = await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: user.username });
    expect(Object.keys(profile.Destinations ?? {})).toEqual([]);
  });
});

describe('b2 storage templates', () => {
  it('makes a bucket and a key restricted to it; with MasterBucket a prefix; nothing left on failure', async () => {
    const user = await makeUser(t.admin);
    const made = await t.admin.ok('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 'b2-1' });
    const vault = made.Profile.Destinations[made.DestinationID];
    expect(vault).toMatchObject({ DestinationType: 1008, B2: { HideDeletedFiles: true } });
    expect(vault.B2.Key ?? '').toBe(''); // write-only (omitempty on the wire)
    expect(vault.B2.Prefix ?? '').toBe('');
    expect(vault.B2.Bucket).toMatch(/^halley-[0-9a-f]{16}$/);
    const key = b2.keys.get(vault.B2.AccountID)!;
    const bucketId = [...b2.buckets.entries()].find(([, b]) => b.bucketName === vault.B2.Bucket)![0];
    expect(key).toMatchObject({ bucketId, capabilities: ['listBuckets', 'listFiles', 'readFiles', 'writeFiles', 'deleteFiles'] });
    expect(b2.buckets.get(bucketId)!.bucketType).toBe('allPrivate');

    await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/set', {
      RemoteStorageOptions: [...(await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/get')), { ...b2Tpl({ MasterBucket: 'shared-master' }), ID: 'b2-shared', Description: 'B2 shared' }],
    });
    const shared = await t.admin.ok('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 'b2-shared' });
    const sv = shared.Profile.Destinations[shared.DestinationID];
    expect(sv.B2.Bucket).toBe('shared-master');
    expect(sv.B2.Prefix).toMatch(/^[0-9a-f]{16}\/$/);
    expect(b2.keys.get(sv.B2.AccountID)).toMatchObject({ namePrefix: sv.B2.Prefix });

    const bucketsBefore = b2.buckets.size;
    const keysBefore = b2.keys.size;
    b2.failOn.add('b2_create_key');
    try {
      expect((await t.admin.fails('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 'b2-1' })).Message).toMatch(/b2_create_key failed \(HTTP 403\): cap_exceeded/);
    } finally {
      b2.failOn.delete('b2_create_key');
    }
    expect(b2.buckets.size).toBe(bucketsBefore);
    expect(b2.keys.size).toBe(keysBefore);
  });
});

describe('DeviceID and devices registered from the lobby', () => {
  it('associates the vault with the device, refuses a device the user does not have, and the lobby path gets an address', async () => {
    const lob = await makeTenant('iamtpl-lobby');
    await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: lob.adminName, Permissions: { AllowEditRemoteStorage: true } });
    await lob.admin.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: [{ Type: 'comet', Description: 'Lobby Halley', ID: 'here', Default: true }] });
    const user = await makeUser(lob.admin);
    const device = startAgent(halleyUrl(), { username: '' }, { lobby: true, name: 'lobby-vault-pc' });
    agents.push(device);
    await waitFor('the lobby device', async () => Object.values((await root.ok('/api/v1/admin/installation/list-active')) as Record<string, any>).some((l) => l.DeviceID === device.state.deviceId));
    const r = await root.call('/api/v1/admin/installation/dispatch/register-device', { DeviceID: device.state.deviceId, TargetUser: user.username, TargetPassword: user.password });
    expect(r.text).toBe('OK');
    await liveConnectionId(lob.admin, device.state.deviceId);
    const vaults = async () => Object.values<any>((await lob.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: user.username })).Destinations ?? {});
    await waitFor('the automatic vault', async () => (await vaults()).length === 1, 30_000);
    const [auto] = await vaults();
    expect(auto).toMatchObject({ DestinationType: 1003, Description: 'Lobby Halley', CometServer: `http://${new URL(halleyUrl()).host}`, AssociatedDevices: [device.state.deviceId] });

    const made = await lob.admin.ok('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 'here', DeviceID: device.state.deviceId });
    expect(made.Profile.Destinations[made.DestinationID].AssociatedDevices).toEqual([device.state.deviceId]);
    const bucketsBefore = Object.keys(await lob.admin.ok('/api/v1/admin/storage/list-buckets')).length;
    const unknown = await lob.admin.fails('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 'here', DeviceID: 'no-such-device' });
    expect(unknown).toMatchObject({ Status: 400, Message: `Device 'no-such-device' is not registered to user '${user.username}'` });
    // Another user's device (here: of another tenant) answers exactly like a missing one.
    const other = await makeUser(t.admin);
    const foreign = await t.admin.fails('/api/v1/admin/request-storage-vault', { TargetUser: other.username, StorageProvider: 'aws-1', DeviceID: device.state.deviceId });
    expect(foreign.Message).toBe(`Device '${device.state.deviceId}' is not registered to user '${other.username}'`);
    expect(Object.keys(await lob.admin.ok('/api/v1/admin/storage/list-buckets')).length).toBe(bucketsBefore);
  }, 90_000);
});
