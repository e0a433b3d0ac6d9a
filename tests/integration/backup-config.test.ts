// Backup configuration through the profile endpoints (API-first): a device's job report changes the
// vault's and item's Statistics but not the profile hash, so an admin's edit read before the job still
// saves and does not roll the statistics back; changed vaults, items and rules are validated on the
// server; vault credentials are write-only and only their names are reported (sealed-fields extension).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentDevice } from '../../agent/device';
import { makeTenant, makeUser, rootClient, type TenantFixture } from '../helpers/fixtures';
import { finishedJob, liveConnectionId, makeSourceTree, setUpBackupProfile, startAgent, type LiveAccount } from '../helpers/live';
import { halleyUrl } from '../helpers/server';

let t: TenantFixture;
let other: TenantFixture;

beforeAll(async () => {
  await rootClient();
  t = await makeTenant('bcfg');
  other = await makeTenant('bcfg-other');
}, 60_000);

describe('job statistics and the profile hash', () => {
  let account: LiveAccount;
  let agent: AgentDevice;

  beforeAll(async () => {
    account = await setUpBackupProfile(t.admin, await makeUser(t.admin));
    makeSourceTree(account.sourceDir);
    agent = startAgent(halleyUrl(), account, { name: 'bcfg-laptop' });
    await liveConnectionId(t.admin, agent.state.deviceId);
  }, 60_000);
  afterAll(() => agent?.stop());

  it("a finished job does not invalidate an admin's open edit, and the save keeps the new statistics", async () => {
    const before = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: account.username });
    const conn = await liveConnectionId(t.admin, agent.state.deviceId);
    const run = await t.admin.ok('/api/v1/admin/dispatcher/run-backup', { TargetID: conn, BackupRule: account.rule });
    const job = await finishedJob(t.admin, run.JobID);
    expect(job.Status).toBe(5000);

    const after = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: account.username });
    expect(after.Profile.Sources[account.item].Statistics.LastBackupJob.GUID).toBe(run.JobID);
    expect(after.Profile.Destinations[account.vault].Statistics.ClientProvidedSize.Size).toBeGreaterThan(0);
    expect(after.ProfileHash).toBe(before.ProfileHash);
    expect((await t.admin.ok('/api/v1/admin/get-user-profile-hash', { TargetUser: account.username })).ProfileHash).toBe(before.ProfileHash);

    // The edit made from the profile read before the job: saves, and keeps the job's statistics.
    const edited = structuredClone(before.Profile);
    edited.Destinations[account.vault].Description = 'Renamed while a job ran';
    const saved = await t.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: account.username, ProfileData: edited, RequireHash: before.ProfileHash });
    expect(saved.Profile.Destinations[account.vault].Description).toBe('Renamed while a job ran');
    expect(saved.Profile.Sources[account.item].Statistics.LastBackupJob.GUID).toBe(run.JobID);
    expect(saved.Profile.Destinations[account.vault].Statistics.ClientProvidedSize.Size).toBe(after.Profile.Destinations[account.vault].Statistics.ClientProvidedSize.Size);

    // A real change by someone else still conflicts.
    const again = structuredClone(before.Profile);
    again.AccountName = 'stale';
    const conflict = await t.admin.fails('/api/v1/admin/set-user-profile-hash', { TargetUser: account.username, ProfileData: again, RequireHash: before.ProfileHash });
    expect(conflict.Status).toBe(409);
  }, 90_000);
});

describe('validation of vaults, items and schedules', () => {
  it('refuses out-of-range schedules, unknown types and dangling references with the field named', async () => {
    const user = await makeUser(t.admin);
    const { Profile, ProfileHash } = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username });
    const good = {
      ...Profile,
      Destinations: { v1: { Description: 'S3', DestinationType: 1000, S3Server: 's3.internal:9000', S3BucketName: 'backups', S3AccessKey: 'AK', S3SecretKey: 'first-secret', S3ObjectLockMode: 1, S3ObjectLockDays: 30 } },
      Sources: { i1: { Engine: 'engine1/file', Description: 'Docs', EngineProps: { INCLUDE0: '/home', EXCLUDE0: '*.tmp' }, PreExec: ['echo pre'], OverrideDestinationRetention: { v1: { Mode: 802, Ranges: [{ Type: 900, Jobs: 10 }] } } } },
      BackupRules: { r1: { Description: 'Hourly', Source: 'i1', Destination: 'v1', Schedules: [{ FrequencyType: 8012, SecondsPast: 900, RestrictRuntime: true, FromTime: { Hour: 8, Minutes: 0 }, ToTime: { Hour: 18, Minutes: 0 }, RestrictDays: true, DaysSelect: { Monday: true }, RandomDelaySecs: 120 }], EventTriggers: { OnPCBootIfLastJobMissed: true } } },
    };
    const saved = await t.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: user.username, ProfileData: good, RequireHash: ProfileHash });
    expect(saved.Profile.Destinations.v1.S3SecretKey).toBe('');
    expect(saved.Profile.BackupRules.r1.EventTriggers.OnPCBootIfLastJobMissed).toBe(true);

    const cases: Array<[(p: any) => void, RegExp]> = [
      [(p) => (p.BackupRules.r1.Schedules[0].SecondsPast = 3600), /BackupRules\.r1\.Schedules\.0\.SecondsPast must be between 0 and 3599/],
      [(p) => (p.BackupRules.r1.Schedules[0].FromTime.Hour = 25), /Schedules\.0\.FromTime\.Hour must be between 0 and 23/],
      [(p) => (p.BackupRules.r1.Schedules[0].RandomDelaySecs = 99999), /RandomDelaySecs must be between 0 and 18000/],
      [(p) => (p.BackupRules.r1.Destination = 'nope'), /BackupRules\.r1\.Destination names a Storage Vault/],
      [(p) => (p.Destinations.v1.DestinationType = 4242), /Destinations\.v1\.DestinationType is not a known/],
      [(p) => (p.Destinations.v1.S3ObjectLockMode = 7), /S3ObjectLockMode must be 0/],
      [(p) => (p.Sources.i1.OverrideDestinationRetention = { ghost: { Mode: 801, Ranges: [] } }), /Sources\.i1\.OverrideDestinationRetention\.ghost names a Storage Vault/],
    ];
    for (const [mutate, message] of cases) {
      const p = structuredClone(saved.Profile);
      mutate(p);
      const r = await t.admin.fails('/api/v1/admin/set-user-profile-hash', { TargetUser: user.username, ProfileData: p, RequireHash: saved.ProfileHash });
      expect(r.Status).toBe(400);
      expect(r.Message).toMatch(message);
    }
    // Nothing of the refused saves was stored.
    expect((await t.admin.ok('/api/v1/admin/get-user-profile-hash', { TargetUser: user.username })).ProfileHash).toBe(saved.ProfileHash);
  });

  it('reports which credentials are sealed, never their values; an empty field keeps the stored one', async () => {
    const user = await makeUser(t.admin);
    const { Profile, ProfileHash } = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username });
    Profile.Destinations = {
      s3: { Description: 'S3', DestinationType: 1000, S3Server: 's3.internal', S3BucketName: 'bkt', S3AccessKey: 'AK', S3SecretKey: 'top-secret-1' },
      b2: { Description: 'B2', DestinationType: 1008, B2: { AccountID: 'acc', Bucket: 'b', Key: 'b2-secret-2' } },
      local: { Description: 'Disk', DestinationType: 1002, LocalcopyPath: '/backups' },
    };
    const saved = await t.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: user.username, ProfileData: Profile, RequireHash: ProfileHash });
    const sealed = await t.admin.ok('/api/v1/admin/get-user-profile-sealed-fields', { TargetUser: user.username });
    expect(sealed).toEqual({ Destinations: { s3: ['S3SecretKey'], b2: ['B2.Key'] } });
    expect(JSON.stringify(sealed)).not.toContain('top-secret');

    // Saving with the blanked secret keeps it (still sealed); a duplicated vault starts without one.
    const p = structuredClone(saved.Profile);
    p.Destinations.copy = { ...p.Destinations.s3, Description: 'S3 (copy)' };
    await t.admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: user.username, ProfileData: p, RequireHash: saved.ProfileHash });
    expect((await t.admin.ok('/api/v1/admin/get-user-profile-sealed-fields', { TargetUser: user.username })).Destinations).toEqual({ s3: ['S3SecretKey'], b2: ['B2.Key'] });

    // Tenancy: another tenant's admin and a missing user look the same; the top-level admin sees it.
    const foreign = await other.admin.fails('/api/v1/admin/get-user-profile-sealed-fields', { TargetUser: user.username });
    const missing = await other.admin.fails('/api/v1/admin/get-user-profile-sealed-fields', { TargetUser: 'no-such-user-bcfg' });
    expect(foreign).toEqual({ ...missing, Message: missing.Message.replace('no-such-user-bcfg', user.username) });
    expect(foreign.Status).toBe(400);
    expect((await (await rootClient()).ok('/api/v1/admin/get-user-profile-sealed-fields', { TargetUser: user.username })).Destinations.s3).toEqual(['S3SecretKey']);
    // Bad input: the parameter is required.
    expect((await t.admin.fails('/api/v1/admin/get-user-profile-sealed-fields', {})).Status).toBe(400);
  });
});
