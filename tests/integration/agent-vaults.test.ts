// The reference agent (a real AgentDevice in this process) on the vault types a Storage Template or an
// admin gives it (issues 14 §4 and 15): a bucket on this server's own Storage Role (/storage/v1/), an
// S3-compatible bucket (s3rver, with a folder, S3Subdir), a WebDAV and an SFTP folder (real servers: rclone
// serve webdav / sftp), an FTP folder over explicit TLS (ftp-srv), an Azure Blob Storage container (Azurite,
// Microsoft's emulator), a folder on an SMB share (a real Samba smbd), and the B2 vaults a "b2" Storage Template
// provisions (a bucket of their own, or a prefix of a master bucket, each with a restricted application key),
// against tests/helpers/fake-b2.ts: a local stand-in speaking B2's native API, a mock only because the real
// B2 cannot run here (the agent is pointed at it with HALLEY_AGENT_B2_API_URL). For each: a backup (job row: status,
// classification, counts, sizes, client version, the vault's size before/after), the item's and the vault's
// Statistics written from it, a second backup that uploads nothing new (dedup), the objects in the bucket,
// and a restore whose files are byte for byte the originals (job row with the downloaded size).
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import S3rver from 's3rver';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzureBlobStore } from '../../agent/azure-store';
import type { AgentDevice } from '../../agent/device';
import { CLIENT_VERSION } from '../../lib/client-builds/client-version';
import { JobClassification, JobStatus } from '../../lib/comet/constants';
import { startAzurite, type AzuriteServer } from '../helpers/azurite-server';
import { startFakeB2, type FakeB2 } from '../helpers/fake-b2';
import { startFtpServer, type FtpServer } from '../helpers/ftp-server';
import { startSftpServer, type SftpServer } from '../helpers/sftp-server';
import { startSmbServer, type SmbServer } from '../helpers/smb-server';
import { startWebDavServer, type WebDavServer } from '../helpers/webdav-server';
import { makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { finishedJob, liveConnectionId, makeSourceTree, startAgent, tempDir } from '../helpers/live';
import { allowPrivateTargets } from '../helpers/private-targets';
import { halleyUrl } from '../helpers/server';

const S3_BUCKET = 'agent-vaults';
let tenant: TenantFixture;
let restorePrivate: () => Promise<void>;
let s3: S3rver;
let s3Port: number;
let b2: FakeB2;
let dav: WebDavServer;
let sftp: SftpServer;
let ftp: FtpServer;
let azurite: AzuriteServer;
let smb: SmbServer;
const b2ApiBefore = process.env.HALLEY_AGENT_B2_API_URL;
const agents: AgentDevice[] = [];

beforeAll(async () => {
  tenant = await makeTenant('agent-vaults');
  restorePrivate = await allowPrivateTargets(true);
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: tempDir('s3rver'), configureBuckets: [{ name: S3_BUCKET, configs: [] }] });
  s3Port = ((await s3.run()) as AddressInfo).port;
  b2 = await startFakeB2({ keyId: '0051agentmaster', appKey: 'K005agent-master-key' }, ['agent-shared']);
  process.env.HALLEY_AGENT_B2_API_URL = b2.url;
  dav = await startWebDavServer();
  sftp = await startSftpServer();
  ftp = await startFtpServer();
  azurite = await startAzurite();
  smb = await startSmbServer();
  const root = await rootClient();
  await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: tenant.adminName, Permissions: { AllowEditRemoteStorage: true } });
  const b2Template = { Type: 'b2', B2: { KeyID: '0051agentmaster', AppKey: 'K005agent-master-key', APIEndpoint: b2.url } };
  await tenant.admin.ok('/api/v1/admin/meta/remote-storage-vault/set', {
    RemoteStorageOptions: [
      { ...b2Template, ID: 'b2-own', Description: 'B2, a bucket per vault' },
      { ...b2Template, ID: 'b2-shared', Description: 'B2, a prefix of one bucket', B2: { ...b2Template.B2, MasterBucket: 'agent-shared' } },
    ],
  });
});

afterAll(async () => {
  for (const a of agents) a.stop();
  await restorePrivate?.();
  await s3?.close();
  await b2?.close();
  await dav?.stop();
  await sftp?.stop();
  await ftp?.stop();
  await azurite?.stop();
  await smb?.stop();
  if (b2ApiBefore === undefined) delete process.env.HALLEY_AGENT_B2_API_URL;
  else process.env.HALLEY_AGENT_B2_API_URL = b2ApiBefore;
});

/** Every file under `dir`, relative path -> content. */
function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.set(r, fs.readFileSync(path.join(d, e.name)));
    }
  };
  walk(dir, '');
  return out;
}

/**
 * A user with a vault (`location` added to the profile, or the ID `provision` returns) and a folder item;
 * its agent backs up twice and restores; the job rows and Statistics are checked.
 */
async function backUpAndRestore(vaultOf: Record<string, unknown> | ((username: string) => Promise<string>)) {
  const user = await makeUser(tenant.admin);
  const vault = typeof vaultOf === 'function' ? await vaultOf(user.username) : uniq('vault');
  const sourceDir = tempDir('agent-vaults-source');
  const tree = makeSourceTree(sourceDir);
  const { Profile, ProfileHash } = await tenant.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username });
  if (typeof vaultOf !== 'function') Profile.Destinations = { ...Profile.Destinations, [vault]: { Description: 'agent vault', ...vaultOf } };
  Profile.Sources = { item: { Engine: 'engine1/file', Description: 'Documents', EngineProps: { INCLUDE0: sourceDir } } };
  await tenant.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: user.username, ProfileData: Profile, RequireHash: ProfileHash });
  const agent = startAgent(halleyUrl(), user);
  agents.push(agent);
  const conn = await liveConnectionId(tenant.admin, agent.state.deviceId);

  const backup = async () => finishedJob(tenant.admin, (await tenant.admin.ok('/api/v1/admin/dispatcher/run-backup-custom', { TargetID: conn, Source: 'item', Destination: vault })).JobID);
  const first = await backup();
  expect(first, JSON.stringify(first)).toMatchObject({
    Status: JobStatus.JOB_STATUS_STOP_SUCCESS,
    Classification: JobClassification.JOB_CLASSIFICATION_BACKUP,
    Username: user.username,
    SourceGUID: 'item',
    DestinationGUID: vault,
    DeviceID: agent.state.deviceId,
    ClientVersion: CLIENT_VERSION,
    TotalFiles: tree.files,
    TotalSize: tree.bytes,
    TotalDirectories: 2, // docs and docs/deep under the item's folder
  });
  expect(first.UploadSize).toBeGreaterThan(tree.bytes * 0.9);
  expect(first.DestinationSizeEnd.Size).toBeGreaterThanOrEqual(first.DestinationSizeStart.Size + first.UploadSize);
  expect(first.DestinationSizeEnd.MeasureCompleted).toBeGreaterThan(0);
  expect(first.SnapshotID).toBeTruthy();

  // Statistics written from the job: the item's last (successful) job and the vault's measured size.
  const { Profile: after } = await tenant.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username });
  expect(after.Sources.item.Statistics.LastSuccessfulBackupJob).toMatchObject({ GUID: first.GUID, TotalFiles: tree.files, UploadSize: first.UploadSize });
  expect(after.Destinations[vault].Statistics.ClientProvidedSize.Size).toBe(first.DestinationSizeEnd.Size);

  // Nothing changed: the second snapshot stores no chunk again.
  const second = await backup();
  expect(second).toMatchObject({ Status: JobStatus.JOB_STATUS_STOP_SUCCESS, TotalFiles: tree.files, TotalSize: tree.bytes, UploadSize: 0 });
  expect(second.SnapshotID).not.toBe(first.SnapshotID);

  const target = tempDir('agent-vaults-restore');
  const rr = await tenant.admin.ok('/api/v1/admin/dispatcher/run-restore', { TargetID: conn, Path: target, Source: 'item', Destination: vault });
  const restore = await finishedJob(tenant.admin, rr.JobID);
  expect(restore, JSON.stringify(restore)).toMatchObject({
    Status: JobStatus.JOB_STATUS_STOP_SUCCESS,
    Classification: JobClassification.JOB_CLASSIFICATION_RESTORE,
    SourceGUID: 'item',
    DestinationGUID: vault,
    TotalFiles: tree.files,
    TotalSize: tree.bytes,
  });
  expect(restore.DownloadSize).toBeGreaterThanOrEqual(tree.bytes);
  const original = filesUnder(sourceDir);
  const restored = filesUnder(target);
  expect(restored.size).toBe(original.size);
  for (const [rel, data] of original) {
    const match = [...restored.entries()].find(([r]) => r === rel || r.endsWith(`/${rel}`));
    expect(match, rel).toBeTruthy();
    expect(match![1].equals(data), rel).toBe(true);
  }
  return { user, vault, first, second };
}

/** A vault kept as files in `dir` (WebDAV, SFTP, FTP): its config, the two snapshots, the chunks, and no temporary file left. */
function expectVaultFolder(dir: string, first: { SnapshotID: string }, second: { SnapshotID: string; DestinationSizeEnd: { Size: number } }) {
  const files = [...filesUnder(dir).entries()];
  expect(files.map(([k]) => k)).toContain('halley-vault.json');
  expect(files.map(([k]) => k).filter((k) => k.startsWith('snapshots/')).sort()).toEqual([`snapshots/${first.SnapshotID}`, `snapshots/${second.SnapshotID}`].sort());
  expect(files.some(([k]) => k.startsWith('chunks/'))).toBe(true);
  expect(files.filter(([k]) => k.endsWith('.halley-tmp'))).toEqual([]);
  expect(files.reduce((n, [, d]) => n + d.length, 0)).toBe(second.DestinationSizeEnd.Size);
}

describe('the reference agent backs up and restores', () => {
  it('on a bucket of this server’s Storage Role', async () => {
    const bucket = await tenant.admin.ok('/api/v1/admin/storage/register-bucket');
    const { first, second } = await backUpAndRestore({ DestinationType: 1003, CometServer: halleyUrl(), CometBucket: bucket.NewBucketID, CometBucketKey: bucket.NewBucketKey });
    // The bucket holds the vault: its config, two snapshots and the chunks, as the object API lists them.
    const res = await fetch(halleyUrl(`/storage/v1/${bucket.NewBucketID}?prefix=snapshots/&limit=100`), { headers: { authorization: `Bearer ${bucket.NewBucketKey}` } });
    expect(res.status).toBe(200);
    const listed = (await res.json()) as { Objects: Array<{ Key: string }> };
    expect(listed.Objects.map((o) => o.Key).sort()).toEqual([`snapshots/${first.SnapshotID}`, `snapshots/${second.SnapshotID}`].sort());
    const props = await tenant.admin.ok('/api/v1/admin/storage/bucket-properties', { BucketID: bucket.NewBucketID, AfterTimestamp: Math.floor(Date.now() / 1000) });
    expect(props.Size.Size).toBe(second.DestinationSizeEnd.Size);
  }, 120_000);

  it('on an S3-compatible bucket (s3rver), inside its folder', async () => {
    const folder = uniq('vault-folder');
    const { first, second } = await backUpAndRestore({
      DestinationType: 1000,
      S3Server: `127.0.0.1:${s3Port}`,
      S3UsesTLS: false,
      S3AccessKey: 'S3RVER',
      S3SecretKey: 'S3RVER',
      S3BucketName: S3_BUCKET,
      S3Subdir: folder,
    });
    const s3c = new S3Client({ endpoint: `http://127.0.0.1:${s3Port}`, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    try {
      const listed = await s3c.send(new ListObjectsV2Command({ Bucket: S3_BUCKET, Prefix: `${folder}/` }));
      const keys = (listed.Contents ?? []).map((o) => o.Key!);
      expect(keys).toContain(`${folder}/halley-vault.json`);
      expect(keys.filter((k) => k.startsWith(`${folder}/snapshots/`)).sort()).toEqual([`${folder}/snapshots/${first.SnapshotID}`, `${folder}/snapshots/${second.SnapshotID}`].sort());
      expect(keys.some((k) => k.startsWith(`${folder}/chunks/`))).toBe(true);
      expect((listed.Contents ?? []).reduce((n, o) => n + (o.Size ?? 0), 0)).toBe(second.DestinationSizeEnd.Size);
    } finally {
      s3c.destroy();
    }
  }, 120_000);

  it('on a WebDAV folder (rclone serve webdav), and Test connection tells a wrong password and a missing folder apart', async () => {
    fs.mkdirSync(path.join(dav.dir, 'backups', 'office'), { recursive: true });
    const webDav = { DavServer: `${dav.url}/`, UserName: dav.user, AccessKey: dav.password, Path: 'backups/office' };
    const { first, second } = await backUpAndRestore({ DestinationType: 1010, WebDav: webDav });
    expectVaultFolder(path.join(dav.dir, 'backups', 'office'), first, second);

    const conn = await liveConnectionId(tenant.admin, agents.at(-1)!.state.deviceId);
    const ping = '/api/v1/admin/dispatcher/ping-destination';
    expect((await tenant.admin.ok(ping, { TargetID: conn, ExtraData: { DestinationType: 1010, WebDav: webDav } })).Message).toMatch(/WebDAV folder \/backups\/office\/ .* reachable and writable/);
    const wrong = await tenant.admin.fails(ping, { TargetID: conn, ExtraData: { DestinationType: 1010, WebDav: { ...webDav, AccessKey: 'not-the-password' } } });
    expect(wrong.Message).toMatch(/refused the user name or password \(HTTP 401\)/);
    const missing = await tenant.admin.fails(ping, { TargetID: conn, ExtraData: { DestinationType: 1010, WebDav: { ...webDav, Path: 'backups/nowhere' } } });
    expect(missing.Message).toMatch(/backups\/nowhere\/ .* does not exist/);
  }, 120_000);

  it('on an SFTP folder (rclone serve sftp) with a password; Test connection with a key, a known host, and each failure named', async () => {
    fs.mkdirSync(path.join(sftp.dir, 'backups'), { recursive: true });
    const location = { DestinationType: 1001, SFTPServer: `${sftp.host}:${sftp.port}`, SFTPUsername: sftp.user, SFTPRemotePath: 'backups', SFTPAuthMode: 1, SFTPPassword: sftp.password };
    const { first, second } = await backUpAndRestore(location);
    expectVaultFolder(path.join(sftp.dir, 'backups'), first, second);

    const conn = await liveConnectionId(tenant.admin, agents.at(-1)!.state.deviceId);
    const ping = '/api/v1/admin/dispatcher/ping-destination';
    const knownHosts = path.join(tempDir('known-hosts'), 'known_hosts');
    fs.writeFileSync(knownHosts, `${sftp.hostKeyLine}\n`);
    const withKey = { ...location, SFTPAuthMode: 2, SFTPPassword: '', SFTPPrivateKey: sftp.clientKey, SFTPCustomAuth_UseKnownHostsFile: true, SFTPCustomAuth_KnownHostsFile: knownHosts };
    expect((await tenant.admin.ok(ping, { TargetID: conn, ExtraData: withKey })).Message).toMatch(/SFTP folder backups on 127\.0\.0\.1:\d+ is reachable and writable/);
    const wrong = await tenant.admin.fails(ping, { TargetID: conn, ExtraData: { ...location, SFTPPassword: 'not-the-password' } });
    expect(wrong.Message).toMatch(/refused the user name, password or key/);
    const otherHosts = path.join(tempDir('known-hosts'), 'known_hosts');
    fs.writeFileSync(otherHosts, `[127.0.0.1]:${sftp.port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO7bXbvU0tHvk5H1z3M6J4t0vQnJ2nK0rjH4ZfQwUOCU\n`);
    const unknownHost = await tenant.admin.fails(ping, { TargetID: conn, ExtraData: { ...withKey, SFTPCustomAuth_KnownHostsFile: otherHosts } });
    expect(unknownHost.Message).toMatch(/host key that is not in the known hosts file/);
    const missing = await tenant.admin.fails(ping, { TargetID: conn, ExtraData: { ...location, SFTPRemotePath: 'nowhere' } });
    expect(missing.Message).toMatch(/SFTP folder nowhere .* does not exist/);
  }, 120_000);

  it('on an FTP folder over explicit TLS (ftp-srv); Test connection names a wrong password, a missing folder and an untrusted certificate', async () => {
    fs.mkdirSync(path.join(ftp.dir, 'backups'), { recursive: true });
    const location = { DestinationType: 1004, FTPServer: ftp.host, FTPPort: ftp.port, FTPUsername: ftp.user, FTPPassword: ftp.password, FTPBaseUseHomeDirectory: false, FTPCustomBaseDirectory: 'backups', FTPSMode: 2, FTPAcceptInvalidSSL: true };
    const { first, second } = await backUpAndRestore(location);
    expectVaultFolder(path.join(ftp.dir, 'backups'), first, second);

    const conn = await liveConnectionId(tenant.admin, agents.at(-1)!.state.deviceId);
    const ping = '/api/v1/admin/dispatcher/ping-destination';
    const plain = { ...location, FTPSMode: 0, FTPAcceptInvalidSSL: false };
    expect((await tenant.admin.ok(ping, { TargetID: conn, ExtraData: plain })).Message).toMatch(/FTP folder backups on 127\.0\.0\.1:\d+ is reachable and writable/);
    const home = { ...plain, FTPBaseUseHomeDirectory: true };
    expect((await tenant.admin.ok(ping, { TargetID: conn, ExtraData: home })).Message).toMatch(/FTP the login folder on 127\.0\.0\.1:\d+ is reachable and writable/);
    const wrong = await tenant.admin.fails(ping, { TargetID: conn, ExtraData: { ...plain, FTPPassword: 'not-the-password' } });
    expect(wrong.Message).toMatch(/refused the user name or password/);
    const missing = await tenant.admin.fails(ping, { TargetID: conn, ExtraData: { ...plain, FTPCustomBaseDirectory: 'nowhere' } });
    expect(missing.Message).toMatch(/FTP folder nowhere .* does not exist/);
    const untrusted = await tenant.admin.fails(ping, { TargetID: conn, ExtraData: { ...location, FTPAcceptInvalidSSL: false } });
    expect(untrusted.Message).toMatch(/TLS certificate this device does not trust/);
    expect(fs.readdirSync(path.join(ftp.dir, 'backups')).filter((n) => n.startsWith('.halley-ping'))).toEqual([]);
  }, 120_000);

  for (const [provider, shared] of [['b2-own', false], ['b2-shared', true]] as const) {
    it(`on a B2 vault a "b2" Storage Template provisioned (${shared ? 'a prefix of a master bucket' : 'a bucket of its own'})`, async () => {
      let location: { Bucket: string; Prefix?: string; AccountID: string } | undefined;
      const { first, second } = await backUpAndRestore(async (username) => {
        const made = await tenant.admin.ok('/api/v1/admin/request-storage-vault', { TargetUser: username, StorageProvider: provider });
        location = made.Profile.Destinations[made.DestinationID].B2;
        return made.DestinationID;
      });
      // The objects are in the vault's bucket under its prefix, written with the vault's own (restricted) key.
      const prefix = location!.Prefix ?? '';
      expect(Boolean(prefix)).toBe(shared);
      const bucketId = [...b2.buckets.entries()].find(([, b]) => b.bucketName === location!.Bucket)![0];
      const names = [...(b2.files.get(bucketId)?.keys() ?? [])];
      expect(names.every((n) => n.startsWith(prefix))).toBe(true);
      expect(names).toContain(`${prefix}halley-vault.json`);
      expect(names.filter((n) => n.startsWith(`${prefix}snapshots/`)).sort()).toEqual([`${prefix}snapshots/${first.SnapshotID}`, `${prefix}snapshots/${second.SnapshotID}`].sort());
      const size = [...b2.files.get(bucketId)!.values()].reduce((n, f) => n + f.data.length, 0);
      expect(size).toBe(second.DestinationSizeEnd.Size);
      expect(b2.calls.some((c) => c.name === 'b2_authorize_account' && c.body.keyId === location!.AccountID)).toBe(true);
    }, 120_000);
  }

  it('on an Azure Blob Storage container (Azurite), inside its folder; Test connection names a wrong key and a missing container', async () => {
    const container = uniq('vaults'); // lower-case letters, digits and a hyphen, as container names must be
    await azurite.createContainer(container);
    // AZBRealm as a URL: the emulator's path-style endpoint; AZBPrefix with stray slashes is one folder.
    const location = { DestinationType: 1005, AZBAccountName: azurite.account, AZBAccountKey: azurite.accountKey, AZBContainer: container, AZBRealm: azurite.url, AZBPrefix: '/office//laptops/' };
    const { first, second } = await backUpAndRestore(location);
    // The blobs, as the whole container lists them: all under the folder, the vault's config, its two snapshots,
    // the chunks, and exactly the size the job measured.
    const blobs: Array<{ key: string; size: number }> = [];
    for await (const b of new AzureBlobStore({ ...location, AZBPrefix: '' }).list('')) blobs.push(b);
    const keys = blobs.map((b) => b.key);
    expect(keys.every((k) => k.startsWith('office/laptops/'))).toBe(true);
    expect(keys).toContain('office/laptops/halley-vault.json');
    expect(keys.filter((k) => k.startsWith('office/laptops/snapshots/')).sort()).toEqual([`office/laptops/snapshots/${first.SnapshotID}`, `office/laptops/snapshots/${second.SnapshotID}`].sort());
    expect(keys.some((k) => k.startsWith('office/laptops/chunks/'))).toBe(true);
    expect(blobs.reduce((n, b) => n + b.size, 0)).toBe(second.DestinationSizeEnd.Size);

    const conn = await liveConnectionId(tenant.admin, agents.at(-1)!.state.deviceId);
    const ping = '/api/v1/admin/dispatcher/ping-destination';
    const ok = await tenant.admin.ok(ping, { TargetID: conn, ExtraData: location });
    expect(ok.Message).toBe(`Azure container ${container}/office/laptops/ in storage account devstoreaccount1 at ${azurite.url}/devstoreaccount1 is reachable and writable`);
    const wrong = await tenant.admin.fails(ping, { TargetID: conn, ExtraData: { ...location, AZBAccountKey: Buffer.from('not-the-account-key').toString('base64') } });
    expect(wrong.Message).toMatch(/storage account devstoreaccount1 .*: the account key was refused \(HTTP 403/);
    const missing = await tenant.admin.fails(ping, { TargetID: conn, ExtraData: { ...location, AZBContainer: 'nowhere' } });
    expect(missing.Message).toMatch(/Azure container nowhere\/office\/laptops\/ in storage account devstoreaccount1 .*: container nowhere does not exist \(HTTP 404 ContainerNotFound\)/);
    // The ping blob is gone again.
    const after: string[] = [];
    for await (const b of new AzureBlobStore({ ...location, AZBPrefix: '' }).list('office/laptops/.halley-ping')) after.push(b.key);
    expect(after).toEqual([]);
  }, 120_000);

  it('on a folder of an SMB share (Samba smbd, NTLMv2) as DOMAIN\\user; Test connection names a wrong password, a missing share and a missing folder', async () => {
    fs.mkdirSync(path.join(smb.dir, 'backups', 'office'), { recursive: true });
    const share = { SMBServer: `${smb.host}:${smb.port}`, SMBShare: smb.share, SMBDirectory: 'backups/office', SMBUsername: `HALLEYTEST\\${smb.user}`, SMBPassword: smb.password };
    const location = { DestinationType: 1011, SMB: share };
    const { first, second } = await backUpAndRestore(location);
    expectVaultFolder(path.join(smb.dir, 'backups', 'office'), first, second);

    const conn = await liveConnectionId(tenant.admin, agents.at(-1)!.state.deviceId);
    const ping = '/api/v1/admin/dispatcher/ping-destination';
    expect((await tenant.admin.ok(ping, { TargetID: conn, ExtraData: { ...location, SMB: { ...share, SMBUsername: smb.user } } })).Message).toMatch(/SMB folder backups\\office on \\\\127\.0\.0\.1:\d+\\vault is reachable and writable/);
    const wrong = await tenant.admin.fails(ping, { TargetID: conn, ExtraData: { ...location, SMB: { ...share, SMBPassword: 'not-the-password' } } });
    expect(wrong.Message).toMatch(/refused the user name or password \(STATUS_LOGON_FAILURE\)/);
    const noShare = await tenant.admin.fails(ping, { TargetID: conn, ExtraData: { ...location, SMB: { ...share, SMBShare: 'nowhere' } } });
    expect(noShare.Message).toMatch(/the server has no share named nowhere/);
    const noFolder = await tenant.admin.fails(ping, { TargetID: conn, ExtraData: { ...location, SMB: { ...share, SMBDirectory: 'backups/nowhere' } } });
    expect(noFolder.Message).toMatch(/SMB folder backups\\nowhere on .* does not exist/);
    // Nothing of the probes is left in the share.
    expect([...filesUnder(smb.dir).keys()].filter((k) => !k.startsWith('backups/office/'))).toEqual([]);
  }, 120_000);
});
