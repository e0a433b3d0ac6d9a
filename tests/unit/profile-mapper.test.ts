import { describe, expect, it } from 'vitest';
import wireTypesJson from '../../lib/comet/wire-types.json';
import { validateWire } from '../../lib/comet/validate';
import { DESTINATIONTYPE, ENGINE_BUILTIN, SCHEDULE_FREQUENCY } from '../../lib/comet/constants';
import {
  PASSWORD_FORMAT_HALLEY_SCRYPT,
  isSecretField,
  keepStoredSecrets,
  mergeSecrets,
  profileToRows,
  rowsToProfile,
  rowsToProfileJson,
  splitSecrets,
  type ProfileRows,
  type RowsToProfileInput,
} from '../../lib/profile/mapper';

type Obj = Record<string, unknown>;
const TYPES = (wireTypesJson as unknown as { types: Record<string, { fields?: (string | number)[][]; underlying?: string }> }).types;

// ---------------------------------------------------------------------------------------------
// Fixture: a realistic profile with secrets and unknown fields at several levels

const SECRETS = {
  s3: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sftpPassword: 'hunter2-sftp',
  sftpKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----',
  cometBucketKey: 'bk-3f9a1c0e7d',
  span0: 'span-secret-0',
  spanB2: 'b2-app-key-1',
  storjPass: 'storj passphrase words',
  recovery: 'recovery-blob-xyz',
};

const schedule = (over: Obj = {}): Obj => ({
  FrequencyType: SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_DAILY,
  SecondsPast: 3600 * 22,
  Offset: 0 + 60,
  RestrictRuntime: false,
  FromTime: { Hour: 0, Minutes: 0 },
  ToTime: { Hour: 0, Minutes: 0 },
  RestrictDays: true,
  DaysSelect: { Sunday: false, Monday: true, Tuesday: true, Wednesday: true, Thursday: true, Friday: true, Saturday: false },
  RandomDelaySecs: 600,
  SelectedMonth: 0,
  SelectedDay: 0,
  ...over,
});

function richProfile(): Obj {
  return {
    Username: 'alice',
    AccountName: 'Alice Example',
    LocalTimezone: 'Europe/Berlin',
    LanguageCode: 'de_DE',
    GroupID: 'grp-1',
    Emails: ['alice@example.com', 'ops@example.com'],
    OverrideEmailSettings: { 'alice@example.com': { Reports: [{ ReportType: 0, SummaryFrequency: [], Filter: { ClauseType: 'and', RuleField: '', RuleOperator: '', RuleValue: '' } }] } },
    SendEmailReports: true,
    Destinations: {
      'vault-s3': {
        Description: 'Wasabi S3',
        CreateTime: 1700000000,
        ModifyTime: 1700000500,
        PreExec: [],
        ThawExec: [],
        PostExec: ['echo done'],
        DestinationType: DESTINATIONTYPE.DESTINATIONTYPE_S3,
        S3Server: 's3.wasabisys.com',
        S3UsesTLS: true,
        S3AccessKey: 'AKIAEXAMPLE',
        S3SecretKey: SECRETS.s3,
        S3BucketName: 'alice-backups',
        S3Subdir: 'pc1',
        S3ObjectLockMode: 1,
        S3ObjectLockDays: 30,
        LocalcopyWinSMBPasswordFormat: 0,
        Storj: { SatelliteAddress: '', APIKey: '', Passphrase: SECRETS.storjPass, StorjBucket: '' },
        SpanTargets: [
          { DestinationType: DESTINATIONTYPE.DESTINATIONTYPE_S3, S3Server: 'a.example', S3SecretKey: SECRETS.span0 },
          { DestinationType: DESTINATIONTYPE.DESTINATIONTYPE_B2, B2: { AccountID: 'acc', Key: SECRETS.spanB2, Bucket: 'bk' }, SpanFuture: { deep: [1, { x: 'y' }] } },
        ],
        EncryptionKeyEncryptionMethod: 3,
        EncryptedEncryptionKey: 'ZW5jcnlwdGVkLWtleQ==',
        RepoInitTimestamp: 1700000001,
        StorageLimitEnabled: true,
        StorageLimitBytes: 500 * 1024 ** 3,
        Statistics: {
          ClientProvidedSize: { Size: 123456789, MeasureStarted: 1700001000, MeasureCompleted: 1700001100 },
          ClientProvidedContent: { MeasureCompleted: 1700001100, Components: [] },
          LastSuccessfulDeepVerify_GUID: 'job-42',
        },
        DefaultRetention: { Mode: 802, Ranges: [{ Type: 907, Jobs: 30 }] },
        AssociatedDevices: ['dev-a'],
        S3FutureOption: { Mode: 'fast', Levels: [1, 2, 3] },
      },
      'vault-sftp': {
        Description: 'Home NAS',
        CreateTime: 1700000100,
        ModifyTime: 1700000100,
        DestinationType: DESTINATIONTYPE.DESTINATIONTYPE_SFTP,
        SFTPServer: 'nas.local:22',
        SFTPUsername: 'backup',
        SFTPRemotePath: '/volume1/backup',
        SFTPAuthMode: 2,
        SFTPPassword: SECRETS.sftpPassword,
        SFTPPrivateKey: SECRETS.sftpKey,
        SFTPCustomAuth_UseKnownHostsFile: false,
        StorageLimitEnabled: false,
        StorageLimitBytes: 0,
      },
      'vault-comet': {
        Description: 'Comet Storage',
        CreateTime: 1700000200,
        ModifyTime: 1700000300,
        DestinationType: DESTINATIONTYPE.DESTINATIONTYPE_COMET,
        CometServer: 'https://storage.example.com/',
        CometBucket: 'bucket-alice',
        CometBucketKey: SECRETS.cometBucketKey,
        Swift: { Username: 'u', Region: 'r1', SwiftFuture: 7 },
        B2: { MaxConnections: 4 },
        WebDav: { DavServer: 'https://dav.example', UserName: 'w' },
      },
    },
    SupportsDeviceAssociations: true,
    Sources: {
      'item-files': {
        Engine: ENGINE_BUILTIN.ENGINE_BUILTIN_FILE,
        Description: 'Documents',
        OwnerDevice: 'dev-a',
        CreateTime: 1700000400,
        ModifyTime: 1700000401,
        PreExec: [],
        ThawExec: [],
        PostExec: [],
        EngineProps: { INCLUDE_0: 'C:\\Users\\alice\\Documents', EXCLUDE_0: '*.tmp', USE_WIN_VSS: '1' },
        OverrideDestinationRetention: { 'vault-s3': { Mode: 801, Ranges: [] } },
        Statistics: { LastStartTime: 1700002000, LastBackupJob: { GUID: 'j1', Status: 5000 } },
      },
      'item-mysql': {
        Engine: ENGINE_BUILTIN.ENGINE_BUILTIN_MYSQL,
        Description: 'Shop DB',
        OwnerDevice: 'dev-b',
        CreateTime: 1700000500,
        ModifyTime: 1700000501,
        EngineProps: { HOST: 'localhost', PORT: '3306', USERNAME: 'root' },
        PolicySourceID: 'policy-src-1',
        ItemFuture: 'kept',
      },
      'item-disk': {
        Engine: ENGINE_BUILTIN.ENGINE_BUILTIN_WINDISK,
        Description: 'System disk',
        OwnerDevice: 'dev-a',
        CreateTime: 1700000600,
        ModifyTime: 1700000600,
        EngineProps: { DISK_0: '\\\\.\\PHYSICALDRIVE0' },
        ExistingUserUpdate: true,
      },
      'item-hyperv': {
        Engine: ENGINE_BUILTIN.ENGINE_BUILTIN_HYPERV,
        Description: 'VMs',
        OwnerDevice: 'dev-c',
        CreateTime: 1700000700,
        ModifyTime: 1700000700,
        EngineProps: {},
      },
    },
    BackupRules: {
      'rule-nightly': {
        Description: 'Nightly documents',
        CreateTime: 1700000800,
        ModifyTime: 1700000801,
        PreExec: [],
        ThawExec: [],
        PostExec: [],
        Source: 'item-files',
        Destination: 'vault-s3',
        SkipAlreadyRunning: true,
        StopAfter: 7200,
        LimitVaultSpeedBps: 1048576,
        ReduceDiskConcurrency: false,
        UseOnDiskIndexes: true,
        AllowZeroFilesSuccess: false,
        AutoRetentionLevel: 0,
        ConcurrencyCount: 2,
        LogLevel: 'info',
        Tags: 'docs',
        Schedules: [schedule(), schedule({ FrequencyType: SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_WEEKLY, ScheduleFuture: { jitter: 3 } })],
        EventTriggers: { OnPCBoot: true, OnLastJobFailDoRetry: true, LastJobFailDoRetryCount: 3, LastJobFailDoRetryTime: 600 },
      },
      'rule-db': {
        Description: 'DB hourly',
        CreateTime: 1700000900,
        ModifyTime: 1700000900,
        Source: 'item-mysql',
        Destination: 'vault-comet',
        Schedules: [schedule({ FrequencyType: SCHEDULE_FREQUENCY.SCHEDULE_FREQUENCY_HOURLY })],
        RuleFuture: [null, true],
      },
    },
    Devices: {
      'dev-a': {
        FriendlyName: 'ALICE-PC',
        RegistrationTime: 1690000000,
        PlatformVersion: { version: '10.0.22631', os: 'windows', arch: 'amd64', kernel: 'nt' },
        Sources: { 'item-files': { Engine: 'engine1/file', Description: 'Documents', O365AccountCount: 0, TotalVmCount: 0, Size: 1234 } },
        DeviceTimezone: 'Europe/Berlin',
        ClientVersion: '25.9.6',
        DeviceFuture: { a: 1 },
      },
      'dev-b': {
        FriendlyName: 'shop-server',
        RegistrationTime: 1690000100,
        PlatformVersion: { os: 'linux', arch: 'arm64', distribution: 'debian' },
        ClientVersion: '24.12.2',
        SyncroUUID: 'syncro-1',
      },
      'dev-c': {
        FriendlyName: 'HV-HOST',
      },
    },
    IsSuspended: false,
    LastSuspended: 1650000000,
    AllProtectedItemsQuotaEnabled: true,
    AllProtectedItemsQuotaBytes: 2 * 1024 ** 4,
    MaximumDevices: 5,
    QuotaOffice365ProtectedAccounts: 10,
    QuotaHyperVGuests: 3,
    QuotaVMwareGuests: 0,
    PolicyID: 'policy-standard',
    Policy: { PreventDeleteStorageVault: true, RotateStorageVaultKeysHours: 48, PolicyFuture: { nested: { deeper: 'x' } } },
    PasswordFormat: 0,
    PasswordHash: 'plaintext-should-not-be-kept',
    PasswordRecovery: SECRETS.recovery,
    AllowPasswordLogin: true,
    AllowPasswordAndTOTPLogin: true,
    TOTPKeyEncryptionFormat: 0,
    TOTPKey: 'JBSWY3DPEHPK3PXP',
    RequirePasswordChange: false,
    CreateTime: 1600000000,
    CreationGUID: 'creation-guid-1',
    ServerConfig: { RandomDelaySecs: 30, ServerFuture: 1 },
    AutoStorageTemplateGUID: 'tmpl-1',
    LinuxHomedirSandbox: true,
    TopLevelFuture: { Enabled: true, Items: [{ Name: 'x', Password: 'not-a-vault-field' }] },
    AnotherUnknown: 'z',
  };
}

function input(rows: ProfileRows, over: Partial<RowsToProfileInput> = {}, passwordHash = 'scrypt$stored'): RowsToProfileInput {
  return {
    account: { ...rows.account, username: 'alice', passwordHash },
    organizationId: '',
    devices: rows.devices,
    vaults: rows.vaults,
    items: rows.items,
    rules: rows.rules,
    ...over,
  };
}

function roundTrip(p: Obj, passwordHash = 'scrypt$stored'): Obj {
  return rowsToProfile(input(profileToRows(p), {}, passwordHash));
}

// ---------------------------------------------------------------------------------------------
// Independent helpers over the raw wire data (not the mapper's own code)

function parseType(expr: string): { kind: 'struct'; name: string } | { kind: 'slice' | 'map'; inner: string } | { kind: 'other' } {
  let e = expr;
  for (let i = 0; i < 10 && TYPES[e]?.underlying; i++) e = TYPES[e].underlying!;
  if (TYPES[e]?.fields) return { kind: 'struct', name: e };
  if (e === '[]byte') return { kind: 'other' };
  if (e.startsWith('[]')) return { kind: 'slice', inner: e.slice(2) };
  if (e.startsWith('map[')) return { kind: 'map', inner: e.slice(e.indexOf(']') + 1) };
  return { kind: 'other' };
}

/** Known fields must come first in Go order, then unknown fields in the order of `original`. */
function checkOrder(typeExpr: string, out: unknown, original: unknown, path: string): void {
  const t = parseType(typeExpr);
  if (t.kind === 'slice' && Array.isArray(out)) {
    out.forEach((el, i) => checkOrder(t.inner, el, Array.isArray(original) ? original[i] : undefined, `${path}[${i}]`));
  } else if (t.kind === 'map' && out && typeof out === 'object') {
    const o = out as Obj;
    if (original && typeof original === 'object') {
      expect(Object.keys(o), `${path} map key order`).toEqual(Object.keys(original as Obj));
    }
    for (const k of Object.keys(o)) checkOrder(t.inner, o[k], (original as Obj | undefined)?.[k], `${path}["${k}"]`);
  } else if (t.kind === 'struct' && out && typeof out === 'object' && !Array.isArray(out)) {
    const fields = TYPES[t.name].fields!.map((f) => String(f[0]));
    const keys = Object.keys(out as Obj);
    const knownKeys = keys.filter((k) => fields.includes(k));
    const unknownKeys = keys.filter((k) => !fields.includes(k));
    expect(keys, `${path}: known fields first`).toEqual([...knownKeys, ...unknownKeys]);
    expect(knownKeys, `${path}: Go field order`).toEqual(fields.filter((f) => knownKeys.includes(f)));
    if (original && typeof original === 'object') {
      expect(unknownKeys, `${path}: unknown field order`).toEqual(Object.keys(original as Obj).filter((k) => !fields.includes(k)));
    }
    for (const f of TYPES[t.name].fields!) {
      const k = String(f[0]);
      if (k in (out as Obj)) checkOrder(String(f[1]), (out as Obj)[k], (original as Obj | undefined)?.[k], `${path}.${k}`);
    }
  }
}

function isDeepZero(v: unknown): boolean {
  if (v === '' || v === 0 || v === false || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v as Obj).every(isDeepZero);
  return false;
}

/** Every value of `expected` is in `actual` (extra keys in `actual` must be zero values). */
function expectContains(actual: unknown, expected: unknown, path = '$'): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true);
    expect((actual as unknown[]).length, `${path} length`).toBe(expected.length);
    expected.forEach((e, i) => expectContains((actual as unknown[])[i], e, `${path}[${i}]`));
    return;
  }
  if (expected && typeof expected === 'object') {
    expect(actual && typeof actual === 'object' && !Array.isArray(actual), `${path} is an object`).toBe(true);
    const a = actual as Obj;
    for (const [k, v] of Object.entries(expected)) {
      expect(k in a, `${path}.${k} present`).toBe(true);
      expectContains(a[k], v, `${path}.${k}`);
    }
    for (const k of Object.keys(a)) {
      if (!(k in (expected as Obj))) expect(isDeepZero(a[k]), `${path}.${k} is a zero fill-in (${JSON.stringify(a[k])})`).toBe(true);
    }
    return;
  }
  expect(actual, path).toEqual(expected);
}

function collectNulls(v: unknown, path: string, out: string[]): string[] {
  if (v === null) out.push(path);
  else if (Array.isArray(v)) v.forEach((x, i) => collectNulls(x, `${path}[${i}]`, out));
  else if (typeof v === 'object') for (const [k, x] of Object.entries(v as Obj)) collectNulls(x, `${path}.${k}`, out);
  return out;
}

/** The profile as Halley must output it: secrets blanked, credentials of the caller replaced. */
function expectedOutput(p: Obj): Obj {
  const e = structuredClone(p);
  const d = e.Destinations as Record<string, Obj>;
  d['vault-s3'].S3SecretKey = '';
  (d['vault-s3'].Storj as Obj).Passphrase = '';
  ((d['vault-s3'].SpanTargets as Obj[])[0]).S3SecretKey = '';
  delete (((d['vault-s3'].SpanTargets as Obj[])[1]).B2 as Obj).Key; // omitempty: blank = absent
  d['vault-sftp'].SFTPPassword = '';
  d['vault-sftp'].SFTPPrivateKey = '';
  d['vault-comet'].CometBucketKey = '';
  e.PasswordFormat = PASSWORD_FORMAT_HALLEY_SCRYPT;
  e.PasswordHash = '';
  delete e.PasswordRecovery;
  e.TOTPKey = '';
  return e;
}

// ---------------------------------------------------------------------------------------------

describe('profileToRows', () => {
  it('maps columns, keeps the rest in data and leaves credentials to the caller', () => {
    const p = richProfile();
    validateWire('UserProfileConfig', p, 'ProfileData');
    const rows = profileToRows(p);
    const a = rows.account;
    expect(a).toMatchObject({
      accountName: 'Alice Example',
      localTimezone: 'Europe/Berlin',
      languageCode: 'de_DE',
      groupId: 'grp-1',
      emails: ['alice@example.com', 'ops@example.com'],
      sendEmailReports: true,
      supportsDeviceAssociations: true,
      isSuspended: false,
      lastSuspended: 1650000000n,
      allProtectedItemsQuotaEnabled: true,
      allProtectedItemsQuotaBytes: 2n * 1024n ** 4n,
      maximumDevices: 5n,
      quotaOffice365ProtectedAccounts: 10n,
      quotaHyperVGuests: 3n,
      quotaVMwareGuests: 0n,
      policyId: 'policy-standard',
      allowPasswordLogin: true,
      allowPasswordAndTotpLogin: true,
      requirePasswordChange: false,
      createTime: 1600000000n,
      creationGuid: 'creation-guid-1',
      autoStorageTemplateGuid: 'tmpl-1',
      linuxHomedirSandbox: true,
    });
    expect(typeof a.createTime).toBe('bigint');
    expect(Object.keys(a.data)).toEqual(['OverrideEmailSettings', 'Policy', 'ServerConfig', 'TopLevelFuture', 'AnotherUnknown']);
    expect(a.data.Policy).toEqual(p.Policy);
    expect(a.secrets).toEqual({ PasswordRecovery: SECRETS.recovery });
    for (const k of ['Username', 'OrganizationID', 'PasswordFormat', 'PasswordHash', 'TOTPKey', 'TOTPKeyEncryptionFormat', 'PasswordRecovery']) {
      expect(a.data).not.toHaveProperty(k);
    }

    expect(rows.devices.map((d) => [d.deviceId, d.position])).toEqual([['dev-a', 0], ['dev-b', 1], ['dev-c', 2]]);
    expect(rows.devices[0]).toMatchObject({ friendlyName: 'ALICE-PC', registrationTime: 1690000000n, clientVersion: '25.9.6', timezone: 'Europe/Berlin' });
    expect(Object.keys(rows.devices[0].data)).toEqual(['PlatformVersion', 'Sources', 'DeviceFuture']);
    expect(rows.devices[2]).toMatchObject({ registrationTime: null, clientVersion: null, timezone: null, data: {} });

    const s3 = rows.vaults[0];
    expect(s3).toMatchObject({
      vaultId: 'vault-s3',
      description: 'Wasabi S3',
      destinationType: 1000n,
      createTime: 1700000000n,
      modifyTime: 1700000500n,
      storageLimitEnabled: true,
      storageLimitBytes: 500n * 1024n ** 3n,
      position: 0,
    });
    expect(s3.secrets).toEqual({
      S3SecretKey: SECRETS.s3,
      Storj: { Passphrase: SECRETS.storjPass },
      SpanTargets: { 0: { S3SecretKey: SECRETS.span0 }, 1: { B2: { Key: SECRETS.spanB2 } } },
    });
    expect(s3.data.S3SecretKey).toBe('');
    expect(s3.data).not.toHaveProperty('Description');
    expect(s3.data.S3AccessKey).toBe('AKIAEXAMPLE');
    expect(s3.data.EncryptedEncryptionKey).toBe('ZW5jcnlwdGVkLWtleQ==');
    expect(rows.vaults[1].secrets).toEqual({ SFTPPassword: SECRETS.sftpPassword, SFTPPrivateKey: SECRETS.sftpKey });
    expect(rows.vaults[2].secrets).toEqual({ CometBucketKey: SECRETS.cometBucketKey });
    const allData = JSON.stringify([rows.account.data, rows.devices, rows.items, rows.rules, rows.vaults.map((v) => v.data)], (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    for (const secret of Object.values(SECRETS)) expect(allData).not.toContain(JSON.stringify(secret).slice(1, -1));

    expect(rows.items.map((i) => [i.itemId, i.engine, i.ownerDevice, i.position])).toEqual([
      ['item-files', 'engine1/file', 'dev-a', 0],
      ['item-mysql', 'engine1/mysql', 'dev-b', 1],
      ['item-disk', 'engine1/windisk', 'dev-a', 2],
      ['item-hyperv', 'engine1/hyperv', 'dev-c', 3],
    ]);
    expect(rows.items[1].data).toEqual({ EngineProps: { HOST: 'localhost', PORT: '3306', USERNAME: 'root' }, PolicySourceID: 'policy-src-1', ItemFuture: 'kept' });

    expect(rows.rules[0]).toMatchObject({ ruleId: 'rule-nightly', sourceId: 'item-files', destinationId: 'vault-s3', createTime: 1700000800n, position: 0 });
    expect(rows.rules[0].schedules).toHaveLength(2);
    expect(rows.rules[0].data).not.toHaveProperty('Schedules');
    expect(rows.rules[1].data).toEqual({ RuleFuture: [null, true] });
  });

  it('does not alias the input profile', () => {
    const p = richProfile();
    const rows = profileToRows(p);
    (rows.account.data.Policy as Obj).PreventDeleteStorageVault = false;
    (rows.rules[0].schedules[0] as Obj).SecondsPast = 1;
    expect((p.Policy as Obj).PreventDeleteStorageVault).toBe(true);
    expect(((p.BackupRules as Record<string, Obj>)['rule-nightly'].Schedules as Obj[])[0].SecondsPast).toBe(3600 * 22);
  });

  it('treats null maps and slices as empty', () => {
    const rows = profileToRows({ Emails: null, Destinations: null, Devices: null, BackupRules: { r: { Schedules: null } }, Sources: { s: null } });
    expect(rows.account.emails).toEqual([]);
    expect(rows.vaults).toEqual([]);
    expect(rows.devices).toEqual([]);
    expect(rows.rules[0].schedules).toEqual([]);
    expect(rows.items[0]).toMatchObject({ itemId: 's', engine: '', data: {} });
    expect(rows.account.lastSuspended).toBeNull();
    expect(rows.account.secrets).toBeNull();
  });
});

describe('rowsToProfile', () => {
  it('round-trips a rich profile: same values, secrets blanked, Go field order, unknown fields kept', () => {
    const p = richProfile();
    const out = roundTrip(p);
    const expected = expectedOutput(p);
    expectContains(out, expected);
    checkOrder('UserProfileConfig', out, expected, 'ProfileData');
    validateWire('UserProfileConfig', out, 'ProfileData');
    expect(collectNulls(out, 'ProfileData', [])).toEqual(['ProfileData.BackupRules.rule-db.RuleFuture[0]']);

    const json = JSON.stringify(out);
    for (const secret of Object.values(SECRETS)) expect(json).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(json).not.toContain('plaintext-should-not-be-kept');
    expect(json).not.toContain('JBSWY3DPEHPK3PXP');
    // A field that looks like a credential but is not inside a vault is kept verbatim.
    expect((out.TopLevelFuture as Obj).Items).toEqual([{ Name: 'x', Password: 'not-a-vault-field' }]);
  });

  it('is idempotent: output -> rows -> output is byte-identical', () => {
    const once = roundTrip(richProfile());
    const twice = roundTrip(once);
    expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
  });

  it('restores every original value once the stored credentials are merged back', () => {
    const p = richProfile();
    const rows = profileToRows(p);
    const out = rowsToProfile(input(rows)) as Obj & { Destinations: Record<string, Obj> };
    for (const v of rows.vaults) {
      out.Destinations[v.vaultId] = mergeSecrets(out.Destinations[v.vaultId], v.secrets);
    }
    const restored = { ...out, PasswordRecovery: rows.account.secrets?.PasswordRecovery, PasswordHash: p.PasswordHash, TOTPKey: p.TOTPKey, PasswordFormat: 0 };
    expectContains(restored, p);
  });

  it('writes exact Go shapes for known fields (key order and values)', () => {
    const out = roundTrip(richProfile());
    const devices = out.Devices as Record<string, Obj>;
    expect(JSON.stringify(devices['dev-a'])).toBe(
      JSON.stringify({
        FriendlyName: 'ALICE-PC',
        RegistrationTime: 1690000000,
        PlatformVersion: { version: '10.0.22631', os: 'windows', arch: 'amd64', kernel: 'nt' },
        Sources: { 'item-files': { Engine: 'engine1/file', Description: 'Documents', O365AccountCount: 0, TotalVmCount: 0, Size: 1234 } },
        DeviceTimezone: 'Europe/Berlin',
        ClientVersion: '25.9.6',
        DeviceFuture: { a: 1 },
      }),
    );
    expect(JSON.stringify(devices['dev-c'])).toBe('{"FriendlyName":"HV-HOST"}');
    const rule = (out.BackupRules as Record<string, Obj>)['rule-db'];
    expect(Object.keys(rule)).toEqual([
      'Description', 'CreateTime', 'ModifyTime', 'PreExec', 'ThawExec', 'PostExec', 'Source', 'Destination',
      'SkipAlreadyRunning', 'StopAfter', 'LimitVaultSpeedBps', 'ReduceDiskConcurrency', 'UseOnDiskIndexes',
      'AllowZeroFilesSuccess', 'AutoRetentionLevel', 'ConcurrencyCount', 'LogLevel', 'Tags', 'Schedules', 'EventTriggers',
      'RuleFuture',
    ]);
    expect(rule.EventTriggers).toEqual({});
    expect(rule.PreExec).toEqual([]);
    expect(JSON.stringify((rule.Schedules as Obj[])[0])).toBe(JSON.stringify(schedule({ FrequencyType: 8012 })));
    const weekly = ((out.BackupRules as Record<string, Obj>)['rule-nightly'].Schedules as Obj[])[1];
    expect(Object.keys(weekly).at(-1)).toBe('ScheduleFuture');
    const comet = (out.Destinations as Record<string, Obj>)['vault-comet'];
    expect(comet.Swift).toEqual({ Username: 'u', Region: 'r1', SwiftFuture: 7 });
    expect(comet.Storj).toEqual({ SatelliteAddress: '', APIKey: '', Passphrase: '', StorjBucket: '' });
    expect(comet.DefaultRetention).toEqual({ Mode: 0, Ranges: [] });
    expect(comet).not.toHaveProperty('Statistics');
    expect(Object.keys(out).slice(-2)).toEqual(['TopLevelFuture', 'AnotherUnknown']);
  });

  it('fills zero values for a minimal profile and writes no nulls', () => {
    const out = rowsToProfile(input(profileToRows({}), {}, ''));
    const fields = TYPES.UserProfileConfig.fields!;
    const required = fields.filter((f) => f[2] !== 1).map((f) => String(f[0]));
    expect(Object.keys(out)).toEqual(required);
    expect(out).toMatchObject({
      Username: 'alice',
      AccountName: '',
      Emails: [],
      OverrideEmailSettings: {},
      Destinations: {},
      Sources: {},
      BackupRules: {},
      Devices: {},
      PasswordFormat: 0,
      PasswordHash: '',
      TOTPKey: '',
      TOTPKeyEncryptionFormat: 0,
      AllowPasswordLogin: false,
      CreateTime: 0,
    });
    expect(out).not.toHaveProperty('OrganizationID');
    expect(out).not.toHaveProperty('LastSuspended');
    expect(out).not.toHaveProperty('PasswordRecovery');
    expect(out).not.toHaveProperty('ServerConfig');
    const policyFields = TYPES.UserPolicy.fields!.filter((f) => f[2] !== 1).map((f) => String(f[0]));
    expect(Object.keys(out.Policy as Obj)).toEqual(policyFields);
    expect(collectNulls(out, 'ProfileData', [])).toEqual([]);
    validateWire('UserProfileConfig', out, 'ProfileData');
  });

  it('fills zero values inside children and turns null maps/slices into {} / []', () => {
    const out = roundTrip({
      Emails: null,
      Destinations: { v: { DestinationType: 1001, PreExec: null, SpanTargets: null } },
      BackupRules: { r: { Schedules: [{ FrequencyType: 8011 }] } },
      Sources: { s: { Engine: 'engine1/file', EngineProps: null } },
      Devices: { d: null },
    });
    expect(out.Emails).toEqual([]);
    const v = (out.Destinations as Record<string, Obj>).v;
    expect(v.PreExec).toEqual([]);
    expect(v.SpanTargets).toEqual([]);
    expect(v.SFTPPassword).toBe('');
    expect((out.Sources as Record<string, Obj>).s.EngineProps).toEqual({});
    const sched = ((out.BackupRules as Record<string, Obj>).r.Schedules as Obj[])[0];
    expect(sched).toEqual({
      FrequencyType: 8011, SecondsPast: 0, RestrictRuntime: false, FromTime: { Hour: 0, Minutes: 0 }, ToTime: { Hour: 0, Minutes: 0 },
      RestrictDays: false, DaysSelect: { Sunday: false, Monday: false, Tuesday: false, Wednesday: false, Thursday: false, Friday: false, Saturday: false },
      SelectedMonth: 0, SelectedDay: 0,
    });
    expect((out.Devices as Record<string, Obj>).d).toEqual({ FriendlyName: '' });
    expect(collectNulls(out, 'ProfileData', [])).toEqual([]);
  });

  it('orders map keys by position, takes Username/OrganizationID from the input, accepts numbers for int columns', () => {
    const rows = profileToRows(richProfile());
    const shuffled = {
      devices: [...rows.devices].reverse().map((d, i) => ({ ...d, position: 10 - i * 5 })), // dev-c=10, dev-b=5, dev-a=0
      vaults: rows.vaults.map((v) => ({ ...v, position: v.vaultId === 'vault-comet' ? -1 : v.position, createTime: Number(v.createTime) })),
      items: [...rows.items].reverse(),
      rules: rows.rules,
    };
    const out = rowsToProfile({ ...input(rows, shuffled), organizationId: 'org-7' });
    expect(Object.keys(out.Devices as Obj)).toEqual(['dev-a', 'dev-b', 'dev-c']);
    expect(Object.keys(out.Destinations as Obj)).toEqual(['vault-comet', 'vault-s3', 'vault-sftp']);
    expect(Object.keys(out.Sources as Obj)).toEqual(['item-files', 'item-mysql', 'item-disk', 'item-hyperv']);
    expect((out.Destinations as Record<string, Obj>)['vault-s3'].CreateTime).toBe(1700000000);
    expect(out.Username).toBe('alice');
    expect(out.OrganizationID).toBe('org-7');
    expect(Object.keys(out).indexOf('OrganizationID')).toBe(4);
  });

  it('reports PasswordFormat 100 only when a password hash exists, and never outputs credentials', () => {
    const rows = profileToRows(richProfile());
    const withHash = rowsToProfile(input(rows, {}, 'scrypt$abc'));
    const without = rowsToProfile(input(rows, {}, ''));
    expect(withHash.PasswordFormat).toBe(PASSWORD_FORMAT_HALLEY_SCRYPT);
    expect(PASSWORD_FORMAT_HALLEY_SCRYPT).toBe(100);
    expect(without.PasswordFormat).toBe(0);
    expect(withHash.PasswordHash).toBe('');
    expect(withHash.TOTPKey).toBe('');
    expect(withHash).not.toHaveProperty('PasswordRecovery');
    // Even if data somehow carries credentials, they are not echoed.
    const tampered = rowsToProfile(
      input({
        ...rows,
        account: { ...rows.account, data: { ...rows.account.data, PasswordHash: 'x', TOTPKey: 'y', PasswordRecovery: 'z', Username: 'mallory' } },
        vaults: rows.vaults.map((v) => ({ ...v, data: { ...v.data, S3SecretKey: 'leak', Swift: { APIKey: 'leak2' } } })),
      }),
    );
    const json = JSON.stringify(tampered);
    expect(json).not.toContain('leak');
    expect(tampered.Username).toBe('alice');
    expect(tampered).not.toHaveProperty('PasswordRecovery');
  });
});

describe('rowsToProfileJson (the text list-users-full streams)', () => {
  const same = (i: RowsToProfileInput) => expect(rowsToProfileJson(i)).toBe(JSON.stringify(rowsToProfile(i)));

  it('is byte for byte JSON.stringify(rowsToProfile(...)): rich, minimal, shuffled positions, numbers for ints', () => {
    const rows = profileToRows(richProfile());
    same(input(rows));
    same(input(profileToRows({}), {}, ''));
    same({ ...input(rows, { devices: [...rows.devices].reverse().map((d, i) => ({ ...d, position: 10 - i * 5 })), items: [...rows.items].reverse() }), organizationId: 'org-7' });
    // Empty collections: Destinations is written as {} (not omitempty), Sources and BackupRules are left out.
    same(input(rows, { vaults: [], items: [], rules: [] }));
    expect(rowsToProfileJson(input(rows, { vaults: [], items: [], rules: [] }))).toContain('"Destinations":{}');
  });

  it('orders ids as an object would (array-index ids first, ascending), keeps the first place of a repeated id', () => {
    const rows = profileToRows(richProfile());
    const dev = rows.devices[0];
    const devices = ['zeta', '42', '__proto__', '7', '007', '4294967295', '4294967294', 'zeta'].map((deviceId, position) => ({
      ...dev,
      deviceId,
      friendlyName: `${deviceId} #${position}`,
      position,
    }));
    const i = input(rows, { devices });
    same(i);
    const out = JSON.parse(rowsToProfileJson(i)) as { Devices: Record<string, { FriendlyName: string }> };
    expect(Object.keys(out.Devices)).toEqual(['7', '42', '4294967294', 'zeta', '__proto__', '007', '4294967295']);
    expect(out.Devices.zeta.FriendlyName).toBe('zeta #7');
  });

  it('writes stored text that looks like the collections as text', () => {
    const rows = profileToRows({ AccountName: '\u0000halley-collection:', Devices: { d: { FriendlyName: '"Devices"' } } });
    same(input(rows));
  });
});

describe('odd keys', () => {
  it('keeps a "__proto__" key as data without touching prototypes', () => {
    const p = JSON.parse('{"__proto__": {"x": 1}, "Devices": {"__proto__": {"FriendlyName": "p"}}, "Destinations": {"v": {"__proto__": {"SFTPPassword": "s"}}}}') as Obj;
    const rows = profileToRows(p);
    expect(Object.keys(rows.account.data)).toEqual(['__proto__']);
    expect(rows.devices[0].deviceId).toBe('__proto__');
    expect(rows.vaults[0].secrets).toEqual(JSON.parse('{"__proto__": {"SFTPPassword": "s"}}'));
    const out = rowsToProfile(input(rows));
    expect(JSON.stringify(out.Devices)).toBe('{"__proto__":{"FriendlyName":"p"}}');
    expect(JSON.stringify(out).endsWith(',"__proto__":{"x":1}}')).toBe(true);
    expect(({} as Obj).x).toBeUndefined();
  });
});

describe('secrets', () => {
  it('recognises credential field names', () => {
    for (const n of ['SFTPPassword', 'S3SecretKey', 'ClientSecret', 'AZBAccountKey', 'SFTPPrivateKey', 'CometBucketKey', 'APIKey', 'AuthToken', 'Passphrase', 'SMBPassword', 'LocalcopyWinSMBPassword']) {
      expect(isSecretField(n), n).toBe(true);
    }
    for (const n of ['S3AccessKey', 'LocalcopyWinSMBPasswordFormat', 'EncryptedEncryptionKey', 'PreventChangeAccountPassword', 'ModeAdminResetPassword', 'Key', 'AccessKey', 'SFTPUsername']) {
      expect(isSecretField(n), n).toBe(false);
    }
    expect(isSecretField('Key', 'B2')).toBe(true);
    expect(isSecretField('AccessKey', 'WebDav')).toBe(true);
  });

  it('splitSecrets / mergeSecrets restore the original exactly, at any depth', () => {
    const vault = (richProfile().Destinations as Record<string, Obj>)['vault-s3'];
    const { public: pub, secrets } = splitSecrets(vault);
    expect(JSON.stringify(pub)).not.toContain(SECRETS.s3);
    expect(Object.keys(pub)).toEqual(Object.keys(vault));
    const merged = mergeSecrets(pub, secrets);
    expect(JSON.stringify(merged)).toBe(JSON.stringify(vault));
    expect(merged).not.toBe(pub);
    expect(pub.S3SecretKey).toBe(''); // mergeSecrets does not mutate its input
  });

  it('ignores empty and non-string values, and fields named Prevent*/Mode*/…Format', () => {
    const obj = {
      SFTPPassword: '',
      S3SecretKey: 'k',
      SomePassword: 5,
      LocalcopyWinSMBPasswordFormat: 2,
      ModeRequireUserResetPassword: 'x',
      PreventPassword: 'y',
      Nested: [{ Inner: { APIKey: 'a' } }, 'AuthToken'],
    };
    const { public: pub, secrets } = splitSecrets(obj);
    expect(secrets).toEqual({ S3SecretKey: 'k', Nested: { 0: { Inner: { APIKey: 'a' } } } });
    expect(pub).toEqual({ ...obj, S3SecretKey: '', Nested: [{ Inner: { APIKey: '' } }, 'AuthToken'] });
    expect(splitSecrets({ A: 1 }).secrets).toBeNull();
    expect(mergeSecrets(pub, secrets)).toEqual(obj);
  });

  it('keepStoredSecrets fills empty or missing incoming secrets from the stored ones', () => {
    const stored = { S3SecretKey: 'old-s3', SFTPPassword: 'old-sftp', SpanTargets: { 0: { S3SecretKey: 'old-span0' }, 3: { S3SecretKey: 'old-span3' } } };
    const incoming = splitSecrets({ S3SecretKey: '', SFTPPassword: 'new-sftp', SpanTargets: [{ S3SecretKey: '' }, { S3SecretKey: 'new-span1' }] });
    expect(incoming.secrets).toEqual({ SFTPPassword: 'new-sftp', SpanTargets: { 1: { S3SecretKey: 'new-span1' } } });
    expect(keepStoredSecrets(incoming.secrets, stored)).toEqual({
      SFTPPassword: 'new-sftp',
      SpanTargets: { 0: { S3SecretKey: 'old-span0' }, 1: { S3SecretKey: 'new-span1' }, 3: { S3SecretKey: 'old-span3' } },
      S3SecretKey: 'old-s3',
    });
    // With the incoming public object, stored secrets of removed containers are dropped.
    expect(keepStoredSecrets(incoming.secrets, stored, incoming.public)).toEqual({
      SFTPPassword: 'new-sftp',
      SpanTargets: { 0: { S3SecretKey: 'old-span0' }, 1: { S3SecretKey: 'new-span1' } },
      S3SecretKey: 'old-s3',
    });
    expect(keepStoredSecrets({ PasswordRecovery: '' }, { PasswordRecovery: 'r' })).toEqual({ PasswordRecovery: 'r' });
    expect(keepStoredSecrets(null, null)).toBeNull();
    expect(keepStoredSecrets({}, undefined)).toBeNull();
    expect(keepStoredSecrets({ X: 'new' }, null)).toEqual({ X: 'new' });
    // Merged result puts the kept secrets back into the public object.
    const kept = keepStoredSecrets(incoming.secrets, stored, incoming.public);
    expect(mergeSecrets(incoming.public, kept)).toEqual({
      S3SecretKey: 'old-s3',
      SFTPPassword: 'new-sftp',
      SpanTargets: [{ S3SecretKey: 'old-span0' }, { S3SecretKey: 'new-span1' }],
    });
  });

  it('an update that sends blank secrets keeps the stored vault credentials', () => {
    const first = profileToRows(richProfile());
    const echoed = rowsToProfile(input(first)); // what a client gets back and re-sends
    const second = profileToRows(echoed);
    for (const v of second.vaults) {
      expect(v.secrets).toBeNull();
      const before = first.vaults.find((x) => x.vaultId === v.vaultId)!;
      expect(keepStoredSecrets(v.secrets, before.secrets, v.data)).toEqual(before.secrets);
    }
    expect(keepStoredSecrets(second.account.secrets, first.account.secrets)).toEqual({ PasswordRecovery: SECRETS.recovery });
  });
});
