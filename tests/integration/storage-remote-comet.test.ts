// A "comet" Storage Template whose RemoteAddress is a second Halley (issue 14 §2/§3: Storage Role apart
// from the Auth Role). Server B is a real second Halley process with its own database and redis, and an
// organization admin there; the suite's server A keeps the users. A's tenant admin stores the template with
// B's address and admin credentials (tested first), requests a vault for a user: the bucket is registered
// on B in that organization, the vault points at B. The reference agent, connected to A, backs up into B's
// bucket (B measures the bytes). Wrong credentials on B: the request fails, saying why, and leaves no vault
// on A and no bucket on B.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentDevice } from '../../agent/device';
import { JobStatus } from '../../lib/comet/constants';
import { CometClient } from '../helpers/comet-client';
import { makeTenant, makeUser, rootClient, type TenantFixture } from '../helpers/fixtures';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';
import { firstAdmin, servicesDir, startIsolatedServices, type IsolatedServices } from '../helpers/isolated-services';
import { finishedJob, liveConnectionId, makeSourceTree, startAgent, tempDir } from '../helpers/live';
import { allowPrivateTargets } from '../helpers/private-targets';
import { halleyUrl } from '../helpers/server';

let services: IsolatedServices;
let b: HalleyProcess;
let orgB: CometClient;
const orgBCreds = { username: 'storage-org-admin', password: 'Correct-Horse-42' };
let t: TenantFixture;
let restorePrivate: () => Promise<void>;
const agents: AgentDevice[] = [];

beforeAll(async () => {
  const root = await rootClient();
  t = await makeTenant('remote-comet');
  restorePrivate = await allowPrivateTargets(true);
  await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: t.adminName, Permissions: { AllowEditRemoteStorage: true } });
  services = await startIsolatedServices('storage-b');
  // With its workers: they measure bucket sizes (bucket-properties with AfterTimestamp waits for one).
  b = await startHalley({ name: 'storage-b', databaseUrl: services.databaseUrl, workers: true, logDir: servicesDir, env: { REDIS_URL: services.redisUrl } });
  const rootB = await firstAdmin(b.url);
  const org = (await rootB.ok('/api/v1/admin/organization/set', { Organization: { Name: 'Storage customers', Hosts: [] } })).ID;
  await rootB.ok('/api/v1/admin/admin-user/new', { TargetUser: orgBCreds.username, TargetPassword: orgBCreds.password, TargetOrgID: org });
  orgB = new CometClient(b.url, orgBCreds);
}, 240_000);

afterAll(async () => {
  for (const a of agents) a.stop();
  await restorePrivate?.();
  await b?.stop();
  await services?.stop();
});

const template = (password: string) => ({ ID: 'remote', Type: 'comet', Description: 'Storage server B', RemoteAddress: `${b.url}/`, Username: orgBCreds.username, Password: password });
const bucketsOnB = async () => Object.keys(await orgB.ok('/api/v1/admin/storage/list-buckets')).sort();

describe('a comet template on a second Halley', () => {
  it('tests the template, provisions the vault on B, and the agent backs up into B’s bucket', async () => {
    expect((await orgB.ok('/api/v1/admin/meta/version')).StorageRole).toBe(true);
    expect(await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/test', { TemplateOptions: template(orgBCreds.password) })).toMatchObject({ Status: 200 });
    await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: [template(orgBCreds.password)] });
    // The admin password is sealed: never answered back.
    expect((await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/get'))[0]).toMatchObject({ RemoteAddress: `${b.url}/`, Username: orgBCreds.username, Password: '' });

    const user = await makeUser(t.admin);
    const before = await bucketsOnB();
    const made = await t.admin.ok('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 'remote' });
    const vault = made.Profile.Destinations[made.DestinationID];
    expect(vault).toMatchObject({ DestinationType: 1003, CometServer: b.url, Description: 'Storage server B' });
    expect(await bucketsOnB()).toEqual([...before, vault.CometBucket].sort());
    // A's own Storage Role has no such bucket: it lives on B only.
    expect((await t.admin.ok('/api/v1/admin/storage/list-buckets'))[vault.CometBucket]).toBeUndefined();

    // The agent signs in to A and writes to B.
    const sourceDir = tempDir('remote-comet-source');
    const tree = makeSourceTree(sourceDir);
    const { Profile, ProfileHash } = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username });
    Profile.Sources = { docs: { Engine: 'engine1/file', Description: 'Documents', EngineProps: { INCLUDE0: sourceDir } } };
    await t.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: user.username, ProfileData: Profile, RequireHash: ProfileHash });
    const agent = startAgent(halleyUrl(), user);
    agents.push(agent);
    const conn = await liveConnectionId(t.admin, agent.state.deviceId);
    const since = Math.floor(Date.now() / 1000);
    const job = await finishedJob(t.admin, (await t.admin.ok('/api/v1/admin/dispatcher/run-backup-custom', { TargetID: conn, Source: 'docs', Destination: made.DestinationID })).JobID);
    expect(job, JSON.stringify(job)).toMatchObject({ Status: JobStatus.JOB_STATUS_STOP_SUCCESS, TotalFiles: tree.files, TotalSize: tree.bytes });
    const props = await orgB.ok('/api/v1/admin/storage/bucket-properties', { BucketID: vault.CometBucket, AfterTimestamp: since });
    expect(props.Size.Size).toBe(job.DestinationSizeEnd.Size);
    expect(props.Size.Size).toBeGreaterThanOrEqual(job.UploadSize);
    // Test connection from the device to that vault reaches B.
    expect((await t.admin.ok('/api/v1/admin/dispatcher/ping-destination', { TargetID: conn, Destination: made.DestinationID, ExtraData: {} })).Message).toMatch(/reachable and writable/);
  }, 180_000);

  it('wrong credentials on B: refused with the reason, no vault on A, no bucket on B', async () => {
    await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: [template('Wrong-Horse-42')] });
    const user = await makeUser(t.admin);
    const before = await bucketsOnB();
    const refused = await t.admin.fails('/api/v1/admin/request-storage-vault', { TargetUser: user.username, StorageProvider: 'remote' });
    expect(refused.Status).toBeGreaterThanOrEqual(400);
    expect(refused.Message.length).toBeGreaterThan(0);
    const { Profile } = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username });
    expect(Object.keys(Profile.Destinations ?? {})).toEqual([]);
    expect(await bucketsOnB()).toEqual(before);
    expect((await t.admin.call('/api/v1/admin/meta/remote-storage-vault/test', { TemplateOptions: template('Wrong-Horse-42') })).body.Status).not.toBe(200);
  }, 60_000);
});
