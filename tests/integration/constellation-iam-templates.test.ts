// Constellation over the IAM-style Storage Templates and B2 (issue 16): aws / wasabi templates (reached over S3 with
// templateS3Access, on s3rver) and b2 templates (B2's native API, the local stand-in tests/helpers/fake-b2.ts) are
// targets of the top-level Constellation. A customer deleted from this server leaves its vaults' storage behind;
// after every guard and the quarantine, the sweep removes that storage and the credentials the template made for
// the vault (IAM user + access key + inline policy at the fake IAM endpoint; the B2 application key), never those
// of a vault still in use. An IAM user whose policy names other storage is kept, and the report says why; an IAM
// endpoint that fails leaves the removal pending (said in the report) and the next sweep finishes it.
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import AWSAccount from 's3rver/lib/models/account.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CometClient } from '../helpers/comet-client';
import { startFakeB2, type FakeB2 } from '../helpers/fake-b2';
import { startFakeIam, type FakeIam } from '../helpers/fake-iam';
import { makeUser, rootClient } from '../helpers/fixtures';
import { tempDir } from '../helpers/live';
import { allowPrivateTargets } from '../helpers/private-targets';
import { sql } from '../helpers/security';

const TOP = '00000000-0000-0000-0000-000000000000';
const OFF = { RoleEnabled: false, DeleteUnusedData: false, Servers: [] };
const MASTER = { accessKey: 'S3RVER', secretKey: 'S3RVER' };
const B2_MASTER = { keyId: '0051constel', appKey: 'K005constel-application-key' };

let root: CometClient;
let s3: S3rver;
let s3Url: string;
let iam: FakeIam;
let b2: FakeB2;
let direct: S3Client;
let restorePrivate: (() => Promise<void>) | undefined;
let templatesBefore: unknown[] = [];

beforeAll(async () => {
  root = await rootClient();
  restorePrivate = await allowPrivateTargets(true);
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: tempDir('s3rver-constel-iam'), configureBuckets: [{ name: 'ciw-master', configs: [] }] });
  s3Url = `http://127.0.0.1:${((await s3.run()) as AddressInfo).port}`;
  iam = await startFakeIam(MASTER, {
    onKey: (id, secret) => AWSAccount.DUMMY_ACCOUNT.createKeyPair(id, secret),
    onKeyDeleted: (id) => AWSAccount.DUMMY_ACCOUNT.revokeAccessKey(id),
  });
  b2 = await startFakeB2(B2_MASTER, ['cb2-master']);
  direct = new S3Client({ endpoint: s3Url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: MASTER.accessKey, secretAccessKey: MASTER.secretKey } });
  templatesBefore = await root.ok('/api/v1/admin/meta/remote-storage-vault/get');
}, 60_000);

afterAll(async () => {
  await root?.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: OFF }).catch(() => undefined);
  await root?.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: templatesBefore }).catch(() => undefined);
  await restorePrivate?.();
  direct?.destroy();
  await iam?.close();
  await b2?.close();
  await s3?.close();
});

const host = () => new URL(s3Url).host;
const templates = () => [
  { Type: 'aws', Description: 'Constellation AWS', ID: 'ci-aws', AWS: { ...{ AccessKey: MASTER.accessKey, SecretKey: MASTER.secretKey }, Prefix: 'cia', S3Endpoint: s3Url, IAMEndpoint: iam.url } },
  { Type: 'wasabi', Description: 'Constellation Wasabi', ID: 'ci-wasabi', Wasabi: { AccessKey: MASTER.accessKey, SecretKey: MASTER.secretKey, MasterBucket: 'ciw-master', Prefix: 'cw', S3Endpoint: s3Url, IAMEndpoint: iam.url } },
  { Type: 'b2', Description: 'Constellation B2', ID: 'ci-b2', B2: { KeyID: B2_MASTER.keyId, AppKey: B2_MASTER.appKey, APIEndpoint: b2.url } },
  { Type: 'b2', Description: 'Constellation B2 shared', ID: 'ci-b2-master', B2: { KeyID: B2_MASTER.keyId, AppKey: B2_MASTER.appKey, APIEndpoint: b2.url, MasterBucket: 'cb2-master' } },
];

type TVault = { id: string; iamUser?: string; b2Key?: string };

/** One vault of `username` from every template; answers each vault's Constellation bucket id and the credentials made for it. */
async function vaultsFor(username: string): Promise<TVault[]> {
  const out: TVault[] = [];
  let hash: string | undefined;
  for (const t of templates()) {
    const made = await root.ok('/api/v1/admin/request-storage-vault', { TargetUser: username, StorageProvider: t.ID, ...(hash ? { ProfileHash: hash } : {}) });
    hash = made.ProfileHash;
    const d = made.Profile.Destinations[made.DestinationID];
    if (d.DestinationType === 1000) {
      const id = d.S3Subdir ? `s3:${host()}/${d.S3BucketName}/${d.S3Subdir}` : `s3:${host()}/${d.S3BucketName}`;
      const user = [...iam.users.keys()].find((u) => u.endsWith(`-${String(d.S3Subdir || d.S3BucketName).slice(-16)}`));
      out.push({ id, iamUser: user });
    } else {
      const prefix = String(d.B2.Prefix ?? '').replace(/\/$/, '');
      // A vault in a shared B2 bucket shows in a listing once it holds a file.
      if (prefix) b2.putFile(d.B2.Bucket, `${prefix}/chunks/0001`);
      else b2.putFile(d.B2.Bucket, 'chunks/0001');
      out.push({ id: prefix ? `b2:${d.B2.Bucket}/${prefix}` : `b2:${d.B2.Bucket}`, b2Key: d.B2.AccountID });
    }
  }
  return out;
}

/** The bucket's verdict in the latest finished report (a finished interrupted removal is only in that one). */
async function verdict(bucket: string): Promise<{ State: string; Reason: string }> {
  const [row] = await sql<{ v: { State: string; Reason: string } }>(
    `SELECT verdicts->$2 AS v FROM "ConstellationReport" WHERE "tenantId" = $1 AND completed > 0 AND error = '' ORDER BY "createdAt" DESC LIMIT 1`,
    [TOP, bucket],
  );
  return row?.v;
}

const prune = async () => expect((await root.ok('/api/v1/admin/constellation/prune-now')).Status).toBe(200);
const bucketNames = async () => ((await direct.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);
const b2Buckets = () => [...b2.buckets.values()].map((b) => b.bucketName);

describe('Constellation over IAM-style and B2 Storage Templates', () => {
  it('deletes a gone customer\'s template storage and the credentials the template made for it, never a used vault\'s', async () => {
    await root.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: templates() });
    await root.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { RoleEnabled: true, DeleteUnusedData: true, Servers: [] } });
    const stays = await makeUser(root);
    const leaves = await makeUser(root);
    const used = await vaultsFor(stays.username);
    const gone = await vaultsFor(leaves.username);
    expect(used.filter((v) => v.iamUser || v.b2Key)).toHaveLength(4);
    expect(gone.filter((v) => v.iamUser || v.b2Key)).toHaveLength(4);
    await root.ok('/api/v1/admin/delete-user', { TargetUser: leaves.username });
    // Left behind without a vault, with an IAM user the template did not make for it (its policy names other storage).
    await direct.send(new CreateBucketCommand({ Bucket: 'cia-aabbccddeeff0011' }));
    iam.users.set('halley-ghost-aabbccddeeff0011', { policies: new Map([['halley-vault', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['s3:*'], Resource: ['arn:aws:s3:::somebody-else/*'] }] })]]), keys: new Set(['AKIAGHOST']), path: '/halley/' });
    const ghost = `s3:${host()}/cia-aabbccddeeff0011`;

    const status = await root.ok('/api/v1/admin/constellation/status');
    expect(status.TargetNames.slice(1)).toEqual(['Storage Template: Constellation AWS', 'Storage Template: Constellation Wasabi', 'Storage Template: Constellation B2', 'Storage Template: Constellation B2 shared']);
    const report = await root.ok('/api/v1/admin/constellation/new-report');
    used.forEach((v, i) => expect(report.Usage[v.id], v.id).toEqual({ AccessKey: '', ExistsOnServers: [i + 1], InUseBy: [{ ServerID: 0, Username: stays.username }] }));
    gone.forEach((v, i) => expect(report.Usage[v.id], v.id).toEqual({ AccessKey: '', ExistsOnServers: [i + 1], InUseBy: [] }));
    expect(report.Usage[ghost]).toEqual({ AccessKey: '', ExistsOnServers: [1], InUseBy: [] });
    expect(Object.keys(report.Usage).filter((k) => k.endsWith('/ciw-master') || k === 'b2:cb2-master')).toEqual([]);

    const ids = [...used, ...gone].map((v) => v.id).concat(ghost);
    for (let i = 0; i < 3; i++) await prune();
    await sql(`UPDATE "ConstellationBucket" SET "unusedSince" = "unusedSince" - 25 * 3600, "firstSeen" = "firstSeen" - 25 * 3600 WHERE "tenantId" = $1 AND "bucketId" = ANY($2)`, [TOP, ids]);
    await prune();
    for (const v of gone) expect(await verdict(v.id), v.id).toMatchObject({ State: 'quarantined' });
    await sql(`UPDATE "ConstellationBucket" SET "quarantinedAt" = "quarantinedAt" - 73 * 3600 WHERE "tenantId" = $1 AND "bucketId" = ANY($2)`, [TOP, ids]);
    // The IAM endpoint fails this sweep: the data goes, the credentials' removal stays pending and the report says so.
    iam.failOn.add('ListUsers');
    await prune();
    iam.failOn.clear();
    const [awsGone, wasabiGone, b2Gone, b2SharedGone] = gone;
    expect(await verdict(awsGone.id)).toMatchObject({ State: 'deleted', Reason: expect.stringMatching(/not finished on every target .*LimitExceeded/) });
    expect(iam.users.has(awsGone.iamUser!)).toBe(true);
    expect(await bucketNames()).not.toContain(awsGone.id.split('/').pop());
    expect(await verdict(b2Gone.id)).toMatchObject({ State: 'deleted', Reason: expect.stringMatching(/B2 application key halley-.* deleted/) });
    expect(await verdict(b2SharedGone.id)).toMatchObject({ State: 'deleted', Reason: expect.stringMatching(/1 B2 file version\(s\) deleted.*B2 application key halley-.* deleted/) });
    const [pending] = await sql(`SELECT count(*)::int AS n FROM "ConstellationBucket" WHERE "tenantId" = $1 AND "bucketId" = ANY($2) AND "removalPending" <> ''`, [TOP, ids]);
    expect(pending.n).toBe(3);

    await prune();
    expect(await verdict(awsGone.id)).toMatchObject({ State: 'deleted', Reason: expect.stringMatching(/interrupted removal was finished.*IAM user halley-.* deleted with 1 access key\(s\) and 1 inline policy\(ies\)/) });
    expect(await verdict(wasabiGone.id)).toMatchObject({ State: 'deleted', Reason: expect.stringMatching(/IAM user halley-.* deleted/) });
    expect(await verdict(ghost)).toMatchObject({ State: 'deleted', Reason: expect.stringMatching(/IAM user halley-ghost-aabbccddeeff0011 .* kept: its policy does not name this bucket/) });
    const [left] = await sql(`SELECT count(*)::int AS n FROM "ConstellationBucket" WHERE "tenantId" = $1 AND "bucketId" = ANY($2) AND "removalPending" <> ''`, [TOP, ids]);
    expect(left.n).toBe(0);

    // What the gone customer's vaults had is gone; everything of the customer who stays is there.
    expect(iam.users.has(awsGone.iamUser!)).toBe(false);
    expect(iam.users.has(wasabiGone.iamUser!)).toBe(false);
    expect(iam.users.has('halley-ghost-aabbccddeeff0011')).toBe(true);
    for (const v of used.filter((u) => u.iamUser)) expect(iam.users.get(v.iamUser!)?.keys.size, v.iamUser).toBe(1);
    expect(b2.keys.has(b2Gone.b2Key!)).toBe(false);
    expect(b2.keys.has(b2SharedGone.b2Key!)).toBe(false);
    for (const v of used.filter((u) => u.b2Key)) expect(b2.keys.has(v.b2Key!), v.b2Key).toBe(true);
    expect(b2Buckets()).not.toContain(b2Gone.id.slice(3));
    expect(b2Buckets()).toEqual(expect.arrayContaining([used[2].id.slice(3), 'cb2-master']));
    const names = await bucketNames();
    expect(names).toEqual(expect.arrayContaining([used[0].id.split('/').pop(), 'ciw-master']));
    expect(names).not.toContain('cia-aabbccddeeff0011');
    const wasabiLeft = (await direct.send(new ListObjectsV2Command({ Bucket: 'ciw-master' }))).Contents?.map((o) => o.Key) ?? [];
    expect(wasabiLeft.some((k) => k!.startsWith(used[1].id.split('/ciw-master/')[1]))).toBe(true);
    expect(wasabiLeft.some((k) => k!.startsWith(wasabiGone.id.split('/ciw-master/')[1]))).toBe(false);
    for (const v of used) expect(await verdict(v.id), v.id).toMatchObject({ State: 'in-use' });
  });
});
