// The protected-item endpoints (issue 19): one item and the backup rules that back it up, read and saved
// with the profile hash, for admins (TargetUser in their scope; another tenant's user answers exactly like
// a missing one) and for end users on their own profile (within their policy's restrictions).
import { beforeAll, describe, expect, it } from 'vitest';
import { client, makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';

let t: TenantFixture;
let other: TenantFixture;

const VAULT = { Description: 'S3', DestinationType: 1000, S3Server: 's3.internal:9000', S3BucketName: 'backups', S3AccessKey: 'AK', S3SecretKey: 'pi-secret' };
const ITEM = { Engine: 'engine1/file', Description: 'Documents', EngineProps: { INCLUDE0: '/home' } };
const RULE = { Description: 'Hourly', Source: 'i1', Destination: 'v1', Schedules: [{ FrequencyType: 8012, SecondsPast: 900 }] };

/** A user with one vault (v1), one item (i1) and one rule (r1) backing it up. */
async function userWithItem(admin = t.admin) {
  const user = await makeUser(admin);
  const { Profile, ProfileHash } = await admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username });
  await admin.ok('/api/v1/admin/set-user-profile-hash', {
    TargetUser: user.username,
    ProfileData: { ...Profile, Destinations: { v1: VAULT }, Sources: { i1: ITEM }, BackupRules: { r1: RULE } },
    RequireHash: ProfileHash,
  });
  return user;
}

beforeAll(async () => {
  await rootClient();
  t = await makeTenant('pitems');
  other = await makeTenant('pitems-other');
}, 60_000);

describe('admin protected-item endpoints', () => {
  it('reads an item with its rules and the profile hash, creates and updates items, and replaces their rules', async () => {
    const u = await userWithItem();
    const whole = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: u.username });
    const got = await t.admin.ok('/api/v1/admin/get-protected-item-with-backup-rules', { TargetUser: u.username, SourceID: 'i1' });
    expect(got.Source.Description).toBe('Documents');
    expect(Object.keys(got.BackupRules)).toEqual(['r1']);
    expect(got.BackupRules.r1.Destination).toBe('v1');
    expect(got.ProfileHash).toBe(whole.ProfileHash);

    // A new item with its own rule; the rule's Source may be left empty (it is the item being saved).
    await t.admin.ok('/api/v1/admin/set-protected-item-with-backup-rules', {
      TargetUser: u.username,
      SourceID: 'i2',
      RequireHash: got.ProfileHash,
      Source: { ...ITEM, Description: 'Photos' },
      BackupRules: { r2: { ...RULE, Source: '', Description: 'Nightly' } },
    });
    const after = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: u.username });
    expect(after.Profile.Sources.i2.Description).toBe('Photos');
    expect(after.Profile.BackupRules.r2.Source).toBe('i2');
    expect(after.Profile.BackupRules.r1.Source).toBe('i1');
    expect(after.Profile.Destinations.v1.S3SecretKey).toBe(''); // vault secrets stay write-only and kept

    // The stale hash (read before the save) conflicts like set-user-profile-hash.
    const stale = await t.admin.fails('/api/v1/admin/set-protected-item-with-backup-rules', { TargetUser: u.username, SourceID: 'i1', RequireHash: got.ProfileHash, Source: ITEM });
    expect(stale.Status).toBe(409);

    // Without Source the item is kept; the rules map replaces the item's rules (r1 goes, r3 comes).
    await t.admin.ok('/api/v1/admin/set-protected-item-with-backup-rules', { TargetUser: u.username, SourceID: 'i1', BackupRules: { r3: { ...RULE, Description: 'Weekly' } } });
    const i1 = await t.admin.ok('/api/v1/admin/get-protected-item-with-backup-rules', { TargetUser: u.username, SourceID: 'i1' });
    expect(i1.Source.Description).toBe('Documents');
    expect(Object.keys(i1.BackupRules)).toEqual(['r3']);
    const i2 = await t.admin.ok('/api/v1/admin/get-protected-item-with-backup-rules', { TargetUser: u.username, SourceID: 'i2' });
    expect(Object.keys(i2.BackupRules)).toEqual(['r2']);
  });

  it('deletes an item together with the rules that back it up, and no other', async () => {
    const u = await userWithItem();
    await t.admin.ok('/api/v1/admin/set-protected-item-with-backup-rules', { TargetUser: u.username, SourceID: 'i2', Source: ITEM, BackupRules: { r2: { ...RULE, Source: 'i2' } } });
    await t.admin.ok('/api/v1/admin/delete-protected-item', { TargetUser: u.username, SourceID: 'i1' });
    const p = await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: u.username });
    expect(Object.keys(p.Sources)).toEqual(['i2']);
    expect(Object.keys(p.BackupRules)).toEqual(['r2']);
    const again = await t.admin.fails('/api/v1/admin/delete-protected-item', { TargetUser: u.username, SourceID: 'i1' });
    expect(again.Status).toBe(400);
    expect(again.Message).toMatch(/No Protected Item with SourceID 'i1'/);
  });

  it('refuses bad input with the field named and changes nothing', async () => {
    const u = await userWithItem();
    const before = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: u.username });
    const set = (params: Record<string, unknown>) => t.admin.fails('/api/v1/admin/set-protected-item-with-backup-rules', { TargetUser: u.username, ...params } as never);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ SourceID: 'nope' }, /No Protected Item with SourceID 'nope'/],
      [{ SourceID: '' , Source: ITEM }, /SourceID must name a Protected Item/],
      [{ SourceID: 'i2', Source: ITEM, BackupRules: { r1: { ...RULE, Source: 'i2' } } }, /BackupRules\.r1 belongs to another Protected Item/],
      [{ SourceID: 'i2', Source: ITEM, BackupRules: { r9: { ...RULE, Source: 'i1' } } }, /BackupRules\.r9\.Source must be 'i2'/],
      [{ SourceID: 'i1', BackupRules: { r1: { ...RULE, Schedules: [{ FrequencyType: 8012, SecondsPast: 3600 }] } } }, /BackupRules\.r1\.Schedules\.0\.SecondsPast must be between 0 and 3599/],
      [{ SourceID: 'i1', BackupRules: { r1: { ...RULE, Destination: 'missing-vault' } } }, /BackupRules\.r1\.Destination names a Storage Vault/],
      [{ SourceID: 'i1', Source: '"just a string"' }, /Source/],
    ];
    for (const [params, message] of cases) {
      const res = await set(params);
      expect(res.Status, JSON.stringify(params)).toBe(400);
      expect(res.Message).toMatch(message);
    }
    expect((await t.admin.fails('/api/v1/admin/get-protected-item-with-backup-rules', { TargetUser: u.username, SourceID: 'nope' })).Status).toBe(400);
    const after = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: u.username });
    expect(after.ProfileHash).toBe(before.ProfileHash);
  });

  it("another tenant's user answers exactly like a missing one, and is left unchanged", async () => {
    const victim = await userWithItem(other.admin);
    const before = await other.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: victim.username });
    const missing = uniq('nobody');
    const calls: Array<[string, Record<string, unknown>]> = [
      ['/api/v1/admin/get-protected-item-with-backup-rules', { SourceID: 'i1' }],
      ['/api/v1/admin/set-protected-item-with-backup-rules', { SourceID: 'i1', Source: { ...ITEM, Description: 'hijack' }, BackupRules: {} }],
      ['/api/v1/admin/delete-protected-item', { SourceID: 'i1' }],
    ];
    for (const [path, params] of calls) {
      const foreign = await t.admin.fails(path, { TargetUser: victim.username, ...params } as never);
      const absent = await t.admin.fails(path, { TargetUser: missing, ...params } as never);
      expect(foreign.Status).toBe(400);
      expect(foreign.Message.replace(victim.username, 'X')).toBe(absent.Message.replace(missing, 'X'));
    }
    const after = await other.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: victim.username });
    expect(after).toEqual(before);
  });
});

describe('end-user protected-item endpoints', () => {
  it('an end user reads, saves and deletes their own items', async () => {
    const u = await userWithItem();
    const me = client({ username: u.username, password: u.password });
    const got = await me.ok('/api/v1/user/web/get-protected-item-with-backup-rules', { SourceID: 'i1' });
    expect(got.Source.Description).toBe('Documents');
    expect(Object.keys(got.BackupRules)).toEqual(['r1']);
    await me.ok('/api/v1/user/web/set-protected-item-with-backup-rules', { SourceID: 'i1', RequireHash: got.ProfileHash, Source: { ...ITEM, Description: 'My documents' } });
    expect((await me.fails('/api/v1/user/web/set-protected-item-with-backup-rules', { SourceID: 'i1', RequireHash: got.ProfileHash, Source: ITEM })).Status).toBe(409);
    const admin = await t.admin.ok('/api/v1/admin/get-protected-item-with-backup-rules', { TargetUser: u.username, SourceID: 'i1' });
    expect(admin.Source.Description).toBe('My documents');
    expect(Object.keys(admin.BackupRules)).toEqual(['r1']); // absent BackupRules: kept
    await me.ok('/api/v1/user/web/delete-protected-item', { SourceID: 'i1' });
    expect((await me.fails('/api/v1/user/web/get-protected-item-with-backup-rules', { SourceID: 'i1' })).Status).toBe(400);
    const p = await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: u.username });
    expect(p.Sources).toEqual({});
    expect(p.BackupRules).toEqual({});
  });

  it("the account's policy can forbid adding and deleting items", async () => {
    const locked = await makeTenant('pitems-locked');
    await locked.admin.ok('/api/v1/admin/policies/new', {
      Policy: { Description: 'No item changes', Policy: { PreventNewProtectedItem: true, PreventDeleteProtectedItem: true }, DefaultUserPolicy: true },
    });
    const u = await userWithItem(locked.admin);
    const me = client({ username: u.username, password: u.password });
    const add = await me.fails('/api/v1/user/web/set-protected-item-with-backup-rules', { SourceID: 'i2', Source: ITEM });
    expect(add.Status).toBe(403);
    expect(add.Message).toMatch(/add protected items/);
    const del = await me.fails('/api/v1/user/web/delete-protected-item', { SourceID: 'i1' });
    expect(del.Status).toBe(403);
    // Editing the existing item stays allowed.
    await me.ok('/api/v1/user/web/set-protected-item-with-backup-rules', { SourceID: 'i1', Source: { ...ITEM, Description: 'Edited' } });
    const p = await locked.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: u.username });
    expect(Object.keys(p.Sources)).toEqual(['i1']);
    expect(p.Sources.i1.Description).toBe('Edited');
  });
});
