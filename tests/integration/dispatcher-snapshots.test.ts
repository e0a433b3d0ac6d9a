// Issue 15's dispatcher commands end to end with the reference agent (agent/) connected through the relay:
// snapshots (list, browse, search, delete), custom restores of chosen files, vault maintenance jobs, the
// device's own disk and disks, the login password, engines the agent does not have, the end user's twins
// (own devices only) and a foreign TargetID answered exactly like a missing one.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentDevice } from '../../agent/device';
import { client, makeTenant, makeUser, rootClient, type TenantFixture } from '../helpers/fixtures';
import { finishedJob, liveConnectionId, makeSourceTree, setUpBackupProfile, startAgent, tempDir, waitFor, type LiveAccount } from '../helpers/live';
import { halleyUrl } from '../helpers/server';
import type { CometClient } from '../helpers/comet-client';

let t: TenantFixture;
let other: TenantFixture;
let account: LiveAccount;
let agent: AgentDevice;
let conn: string;
let me: CometClient;
const snapshots: string[] = [];

beforeAll(async () => {
  await rootClient();
  t = await makeTenant('dispatch15');
  other = await makeTenant('dispatch15-other');
  account = await setUpBackupProfile(t.admin, await makeUser(t.admin));
  makeSourceTree(account.sourceDir);
  agent = startAgent(halleyUrl(), account);
  conn = await liveConnectionId(t.admin, agent.state.deviceId);
  me = client({ username: account.username, password: account.password });
  // Two snapshots: the second after readme.txt changed.
  for (const round of [1, 2]) {
    if (round === 2) fs.writeFileSync(path.join(account.sourceDir, 'readme.txt'), 'changed for the second snapshot\n');
    const r = await t.admin.ok('/api/v1/admin/dispatcher/run-backup', { TargetID: conn, BackupRule: account.rule });
    const job = await finishedJob(t.admin, r.JobID);
    expect(job.Status).toBe(5000);
    snapshots.push(job.SnapshotID);
  }
}, 120_000);

afterAll(() => agent?.stop());

const A = (cmd: string) => `/api/v1/admin/dispatcher/${cmd}`;
const U = (cmd: string) => `/api/v1/user/web/dispatcher/${cmd}`;

describe('snapshots in a vault', () => {
  it('lists the vault snapshots the device sees, for the admin and the signed-in user', async () => {
    const r = await t.admin.ok(A('request-vault-snapshots'), { TargetID: conn, Destination: account.vault });
    expect(r.Status).toBe(200);
    // Two snapshots taken within one second have ids in no particular order (time + random suffix).
    expect(r.Snapshots.map((s: any) => s.Snapshot).sort()).toEqual([...snapshots].sort());
    expect(r.Snapshots[0]).toMatchObject({ Source: account.item, EngineType: 'engine1/file', HasOriginalPathInfo: true });
    expect(r.Snapshots[0].CreateTime).toBeGreaterThan(1_700_000_000);
    expect(await me.ok(U('request-vault-snapshots'), { TargetID: conn, Destination: account.vault })).toEqual(r);
    expect((await t.admin.fails(A('request-vault-snapshots'), { TargetID: conn, Destination: 'no-such-vault' })).Status).toBe(404);
  });

  it('browses a snapshot folder by folder with recursive totals', async () => {
    const top = await t.admin.ok(A('request-stored-objects'), { TargetID: conn, Destination: account.vault, SnapshotID: snapshots[0] });
    expect(top.StoredObjects.map((o: any) => [o.name, o.type])).toEqual([
      ['docs', 'dir'],
      ['readme.txt', 'file'],
    ]);
    const docs = top.StoredObjects[0];
    expect(docs).toMatchObject({ subtree: 'docs', r: true, f: 3, d: 1, b: 1000 * 1024 });
    expect(top.StoredObjects[1]).toMatchObject({ size: 1800, subtree: '' });
    const inner = await me.ok(U('request-stored-objects'), { TargetID: conn, Destination: account.vault, SnapshotID: snapshots[0], TreeID: docs.subtree });
    expect(inner.StoredObjects.map((o: any) => o.name)).toEqual(['deep', 'empty.txt', 'report.bin']);
    const bad = await t.admin.fails(A('request-stored-objects'), { TargetID: conn, Destination: account.vault, SnapshotID: 'no-such-snapshot' });
    expect(bad).toMatchObject({ Status: 500, Message: expect.stringContaining('no-such-snapshot was not found') });
    const vmdk = await t.admin.fails(A('request-stored-objects'), { TargetID: conn, Destination: account.vault, SnapshotID: snapshots[0], Options: { Enabled: true, PartitionGUID: '', ListPath: '', PartitionName: '' } });
    expect(vmdk.Message).toMatch(/not available on this device/);
  });

  it('searches snapshots with a SearchClause, and refuses a bad clause before asking the device', async () => {
    const filter = {
      ClauseType: 'and',
      ClauseChildren: [
        { ClauseType: '', RuleField: 'name', RuleOperator: 'str_endswith_ci', RuleValue: '.BIN' },
        { ClauseType: '', RuleField: 'size', RuleOperator: 'int_gt', RuleValue: String(500 * 1024) },
      ],
    };
    const r = await t.admin.ok(A('search-snapshots'), { TargetID: conn, DestinationID: account.vault, SnapshotIDs: snapshots, Filter: filter });
    for (const id of snapshots) expect(r.SnapshotFiles[id].map((f: any) => f.path)).toEqual(['docs/report.bin']);
    expect(r.SnapshotFiles[snapshots[0]][0]).toMatchObject({ name: 'report.bin', type: 'file', size: 700 * 1024 });
    const readme = await me.ok(U('search-snapshots'), { TargetID: conn, DestinationID: account.vault, SnapshotIDs: [snapshots[1]], Filter: { ClauseType: '', RuleField: 'name', RuleOperator: 'str_eq', RuleValue: 'readme.txt' } });
    expect(readme.SnapshotFiles[snapshots[1]]).toMatchObject([{ path: 'readme.txt', size: 32 }]);
    const badField = await t.admin.fails(A('search-snapshots'), { TargetID: conn, DestinationID: account.vault, SnapshotIDs: snapshots, Filter: { ClauseType: '', RuleField: 'owner', RuleOperator: 'str_eq', RuleValue: 'x' } });
    expect(badField).toMatchObject({ Status: 400, Message: expect.stringContaining("Unknown RuleField 'owner'") });
    expect((await t.admin.fails(A('search-snapshots'), { TargetID: conn, DestinationID: account.vault, SnapshotIDs: [], Filter: filter })).Status).toBe(400);
    expect((await t.admin.fails(A('search-snapshots'), { TargetID: conn, DestinationID: account.vault, SnapshotIDs: snapshots, Filter: { ClauseType: 'xor' } })).Status).toBe(400);
  });
});

describe('custom restore of chosen items', () => {
  it('restores two chosen files of the first snapshot into a folder, keeping existing files unless told to overwrite', async () => {
    const target = tempDir('restore-custom');
    fs.writeFileSync(path.join(target, 'readme.txt'), 'already here');
    const r = await t.admin.ok(A('run-restore-custom'), {
      TargetID: conn,
      Source: account.item,
      Destination: account.vault,
      Snapshot: snapshots[0],
      Paths: ['readme.txt', 'docs/deep/photo.bin'],
      Options: { Type: 0, DestPath: target, OverwriteExistingFiles: false },
    });
    expect(r.JobID).toMatch(/^[0-9a-f-]{36}$/);
    const job = await finishedJob(t.admin, r.JobID);
    expect(job).toMatchObject({ Status: 5000, Classification: 4002, SnapshotID: snapshots[0], TotalFiles: 1 });
    expect(fs.readFileSync(path.join(target, 'readme.txt'), 'utf8')).toBe('already here');
    expect(fs.statSync(path.join(target, 'docs/deep/photo.bin')).size).toBe(300 * 1024);
    expect(fs.existsSync(path.join(target, 'docs/report.bin'))).toBe(false);

    // The end user, overwriting this time.
    const u = await me.ok(U('run-restore-custom'), {
      TargetID: conn,
      Source: account.item,
      Destination: account.vault,
      Snapshot: snapshots[0],
      Paths: ['readme.txt'],
      Options: { Type: 0, DestPath: target, OverwriteExistingFiles: true },
    });
    expect((await finishedJob(t.admin, u.JobID)).Status).toBe(5000);
    expect(fs.readFileSync(path.join(target, 'readme.txt'), 'utf8')).toBe('hello from halley\n'.repeat(100));
  });

  it('refuses bad options (400) and restore types the device has no engine for (its own error)', async () => {
    const base = { TargetID: conn, Source: account.item, Destination: account.vault };
    expect((await t.admin.fails(A('run-restore-custom'), { ...base, Options: { Type: 0, DestPath: '' } })).Status).toBe(400);
    expect((await t.admin.fails(A('run-restore-custom'), { ...base, Options: 'not json' })).Status).toBe(400);
    expect((await t.admin.fails(A('run-restore-custom'), { ...base, Source: 'no-such-item', Options: { DestPath: '/tmp/x' } })).Status).toBe(404);
    const mssql = await t.admin.fails(A('run-restore-custom'), { ...base, Options: { Type: 2, DestPath: '/tmp/x' } });
    expect(mssql).toMatchObject({ Status: 500, Message: expect.stringContaining('not available on this device') });
  });
});

describe('vault maintenance jobs', () => {
  it('deep verify reads every chunk back; reindex re-reads the indexes; unlock clears leftovers', async () => {
    // A leftover of an interrupted write by a process that no longer exists.
    const leftover = path.join(account.vaultDir, 'chunks', 'zz', 'x.999999.tmp');
    fs.mkdirSync(path.dirname(leftover), { recursive: true });
    fs.writeFileSync(leftover, 'partial');
    const jobs = async (classification: number) =>
      waitFor(`a finished job ${classification}`, async () => {
        const all = await t.admin.ok('/api/v1/admin/get-jobs-for-user', { TargetUser: account.username });
        return all.find((j: any) => j.Classification === classification && j.EndTime > 0);
      });
    expect(await t.admin.ok(A('unlock'), { TargetID: conn, Destination: account.vault, AllowUnsafe: false })).toEqual({ Status: 200, Message: 'Started' });
    expect((await jobs(4004)).Status).toBe(5000);
    expect(fs.existsSync(leftover)).toBe(false);
    expect(await t.admin.ok(A('deepverify-storage-vault'), { TargetID: conn, Destination: account.vault })).toEqual({ Status: 200, Message: 'Started' });
    const verify = await jobs(4010);
    expect(verify.Status).toBe(5000);
    expect(verify.TotalChunks).toBeGreaterThan(2);
    expect(verify.DownloadSize).toBeGreaterThan(1000 * 1024);
    expect(await t.admin.ok(A('reindex-storage-vault'), { TargetID: conn, Destination: account.vault })).toMatchObject({ Status: 200 });
    expect((await jobs(4009)).Status).toBe(5000);
    // These three are the admin's only (Comet has no user/web form).
    expect((await me.call(U('deepverify-storage-vault'), { TargetID: conn, Destination: account.vault })).http).toBe(404);
  });

  it('deletes a snapshot (the end user, own device) and frees its data in a job', async () => {
    const before = (await t.admin.ok(A('request-vault-snapshots'), { TargetID: conn, Destination: account.vault })).Snapshots.length;
    expect((await me.fails(U('delete-snapshot'), { TargetID: conn, DestinationID: account.vault, SnapshotID: 'no-such-snapshot' })).Message).toMatch(/not found/);
    expect(await me.ok(U('delete-snapshot'), { TargetID: conn, DestinationID: account.vault, SnapshotID: snapshots[0] })).toEqual({ Status: 200, Message: 'Deleted 1 snapshot(s)' });
    const after = await t.admin.ok(A('request-vault-snapshots'), { TargetID: conn, Destination: account.vault });
    expect(after.Snapshots.map((s: any) => s.Snapshot)).toEqual([snapshots[1]]);
    expect(after.Snapshots.length).toBe(before - 1);
    const del = await waitFor('the delete job', async () => (await t.admin.ok('/api/v1/admin/get-jobs-for-user', { TargetUser: account.username })).find((j: any) => j.Classification === 4005 && j.EndTime > 0));
    expect(del.Status).toBe(5000);
    const log = await t.admin.ok('/api/v1/admin/get-job-log-entries', { JobID: del.GUID });
    expect(log.some((e: any) => /Removed 1 chunks/.test(e.Message))).toBe(true);
    expect((await t.admin.fails(A('delete-snapshots'), { TargetID: conn, DestinationID: account.vault, SnapshotIDs: 'nope' })).Status).toBe(400);
  });
});

describe("the device's disk, settings and engines", () => {
  it("browses the device's own folders (admin only)", async () => {
    const roots = await t.admin.ok(A('request-filesystem-objects'), { TargetID: conn });
    expect(roots.StoredObjects).toEqual([{ name: '/', mtime: 0, type: 'dir', subtree: '', size: 0 }]);
    const src = await t.admin.ok(A('request-filesystem-objects'), { TargetID: conn, Path: account.sourceDir });
    expect(src.StoredObjects.map((o: any) => [o.name, o.type])).toEqual([
      ['docs', 'dir'],
      ['readme.txt', 'file'],
    ]);
    expect((await t.admin.fails(A('request-filesystem-objects'), { TargetID: conn, Path: path.join(account.sourceDir, 'missing') })).Message).toMatch(/ENOENT/);
    expect((await me.call(U('request-filesystem-objects'), { TargetID: conn })).http).toBe(404);
    // Comet's end-user form lives outside dispatcher/: the user browses their own device, another user may not.
    const mine = await me.ok('/api/v1/user/web/request-filesystem-objects', { TargetID: conn, Path: account.sourceDir });
    expect(mine.StoredObjects).toEqual(src.StoredObjects);
    const stranger = await makeUser(t.admin);
    const them = client({ username: stranger.username, password: stranger.password });
    expect(await them.fails('/api/v1/user/web/request-filesystem-objects', { TargetID: conn })).toEqual({ Status: 403, Message: 'Unauthorised' });
  });

  it('lists its block devices from /sys/block', async () => {
    const r = await me.ok(U('request-browse-disk-drives'), { TargetID: conn });
    const sys = fs.readdirSync('/sys/block').filter((n) => !/^(loop|ram|zram|nbd)/.test(n) && Number(fs.readFileSync(`/sys/block/${n}/size`, 'utf8')) > 0);
    expect(r.Disks.map((d: any) => d.ID).sort()).toEqual(sys.map((n) => `/dev/${n}`).sort());
    for (const d of r.Disks) {
      expect(d.Size).toBeGreaterThan(0);
      expect(Array.isArray(d.Partitions)).toBe(true);
    }
  });

  it('answers engines it does not have with a clear error, never data', async () => {
    const vmware = { Username: 'u', Password: 'p', Hostname: '127.0.0.1', Port: 443, SSLAllowInvalid: true };
    for (const [p, params] of [
      [A('request-browse-vmware'), { Credentials: vmware }],
      [U('request-browse-vmware/hosts'), { Credentials: vmware, Filter: '' }],
      [A('request-browse-hyperv'), {}],
      [U('request-browse-mssql'), { Credentials: { Type: 'tcp', Username: 'sa', Password: 'x', Hostname: '127.0.0.1', InstanceName: '', Method: '' } }],
      [A('request-office365-accounts'), { Credentials: { AppID: 'a', TenantID: 't', Secret: 's', AppCert: '', Region: '' } }],
      [A('request-windisk-snapshot'), { Destination: account.vault, SnapshotID: snapshots[1] }],
      [U('browse-virtual-machines'), { DestinationID: account.vault, SnapshotID: snapshots[1] }],
      [A('register-office-application/begin'), { EmailAddress: 'a@example.com' }],
    ] as const) {
      const r = await (p.includes('/user/') ? me : t.admin).fails(p, { TargetID: conn, ...params });
      expect(r, p).toMatchObject({ Status: 500, Message: expect.stringMatching(/engine is not available on this device/) });
    }
    expect((await me.fails(U('test-smb-auth'), { TargetID: conn, Wsa: { SharePath: '\\\\nas\\share', Username: 'u', Password: 'p', PasswordFormat: 0 } })).Message).toMatch(/not supported on Linux/);
    expect(await t.admin.ok(A('request-import-sources'), { TargetID: conn })).toEqual({ Status: 200, Message: 'OK', ImportSources: {} });
    expect((await t.admin.fails(A('import-apply'), { TargetID: conn, ImportSourceID: 'crashplan' })).Message).toMatch(/not found on this device/);
    expect((await t.admin.fails(A('import-apply'), { TargetID: conn, ImportSourceID: '' })).Status).toBe(400);
  });

  it('update-login-password re-wraps the vault keys, so restores work with the new password', async () => {
    expect((await me.fails(U('update-login-password'), { TargetID: conn, NewPassword: '' })).Status).toBe(400);
    const r = await t.admin.ok(A('update-login-password'), { TargetID: conn, NewPassword: 'a-new-password-Ω2' });
    expect(r).toEqual({ Status: 200, Message: 'Password updated; 1 vault key(s) re-wrapped' });
    const { Vault } = await import('../../agent/vault');
    await expect(Vault.openLocal(account.vaultDir, account.password)).rejects.toThrow(/could not be unlocked/);
    const v = await Vault.openLocal(account.vaultDir, 'a-new-password-Ω2');
    expect((await v.listSnapshots()).map((s) => s.id)).toEqual([snapshots[1]]);
  });
});

describe('tenancy', () => {
  it("another tenant's admin gets Comet's 403 for the connection, exactly like a missing one", async () => {
    for (const [cmd, params] of [
      ['request-vault-snapshots', { Destination: account.vault }],
      ['request-stored-objects', { Destination: account.vault, SnapshotID: snapshots[1] }],
      ['delete-snapshot', { DestinationID: account.vault, SnapshotID: snapshots[1] }],
      ['request-filesystem-objects', { Path: '/' }],
      ['update-login-password', { NewPassword: 'hijack-password' }],
      ['deepverify-storage-vault', { Destination: account.vault }],
    ] as const) {
      const foreign = await other.admin.fails(A(cmd), { TargetID: conn, ...params });
      const missing = await other.admin.fails(A(cmd), { TargetID: 'no-such-connection', ...params });
      expect(foreign, cmd).toEqual({ Status: 403, Message: 'Unauthorised' });
      expect(missing).toEqual(foreign);
    }
    // The snapshot is still there.
    expect((await t.admin.ok(A('request-vault-snapshots'), { TargetID: conn, Destination: account.vault })).Snapshots.length).toBe(1);
  });

  it("another user of the same tenant cannot reach this user's device", async () => {
    const stranger = await makeUser(t.admin);
    const them = client({ username: stranger.username, password: stranger.password });
    const foreign = await them.fails(U('request-vault-snapshots'), { TargetID: conn, Destination: account.vault });
    expect(foreign).toEqual({ Status: 403, Message: 'Unauthorised' });
    expect(await them.fails(U('delete-snapshots'), { TargetID: conn, DestinationID: account.vault, SnapshotIDs: [snapshots[1]] })).toEqual(foreign);
  });
});
