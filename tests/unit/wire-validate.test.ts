import { describe, expect, it } from 'vitest';
import wireTypesJson from '../../lib/comet/wire-types.json';
import { APPLICATION_VERSION, ApiErrorMessage, DESTINATIONTYPE, JobClassification, JobStatus, StreamableEventType } from '../../lib/comet/constants';
import { checkWire, resolveWireType, validateWire, wireStructFields, WireValidationError } from '../../lib/comet/validate';

type Obj = Record<string, unknown>;
const TYPES = (wireTypesJson as unknown as { types: Record<string, { fields?: unknown[]; underlying?: string }> }).types;

function goodProfile(): Obj {
  return {
    Username: 'alice',
    AccountName: 'Alice',
    LocalTimezone: 'UTC',
    LanguageCode: 'en_US',
    GroupID: '',
    Emails: ['a@example.com'],
    OverrideEmailSettings: null,
    SendEmailReports: true,
    Destinations: {
      abc: {
        Description: 'S3',
        CreateTime: 1700000000,
        ModifyTime: 1700000000,
        PreExec: null,
        DestinationType: 1000,
        S3Server: 's3.example.com',
        S3UsesTLS: true,
        S3SecretKey: 'k',
        S3ObjectLockMode: 2,
        SFTPAuthMode: 1,
        SpanTargets: [{ DestinationType: 1001, SFTPPassword: 'p', B2: { MaxConnections: 2 } }],
        DefaultRetention: { Mode: 802, Ranges: [{ Type: 907, Jobs: 10 }] },
        Statistics: { ClientProvidedSize: { Size: 12345, MeasureStarted: 1, MeasureCompleted: 2 } },
        SomethingNew: { any: ['thing'] },
      },
    },
    SupportsDeviceAssociations: false,
    Sources: { s1: { Engine: 'engine1/file', EngineProps: { INCLUDE_0: '/home' }, OverrideDestinationRetention: { abc: { Mode: 801, Ranges: null } } } },
    BackupRules: {
      r1: {
        Source: 's1',
        Destination: 'abc',
        Schedules: [{ FrequencyType: 8011, SecondsPast: 3600, Offset: -60, FromTime: { Hour: 1, Minutes: 30 }, DaysSelect: { Monday: true } }],
        EventTriggers: { OnPCBoot: true, LastJobFailDoRetryCount: 3 },
      },
    },
    Devices: { d1: { FriendlyName: 'pc', RegistrationTime: 1600000000, PlatformVersion: { os: 'linux', arch: 'amd64' } } },
    IsSuspended: false,
    AllProtectedItemsQuotaBytes: 2 ** 40,
    MaximumDevices: 0,
    PolicyID: '',
    Policy: { PreventDeleteStorageVault: true, ModeAdminResetPassword: 3, DefaultSources: {}, RotateStorageVaultKeysHours: 48 },
    PasswordFormat: 0,
    PasswordHash: 'secret',
    TOTPKeyEncryptionFormat: 0,
    CreateTime: 1600000000,
    ServerConfig: { RandomDelaySecs: 30 },
    TotallyUnknown: { nested: [1, 'two', null] },
  };
}

function errorFor(typeName: string, value: unknown, path?: string): WireValidationError {
  try {
    validateWire(typeName, value, path);
  } catch (e) {
    expect(e).toBeInstanceOf(WireValidationError);
    return e as WireValidationError;
  }
  throw new Error('expected validateWire to throw');
}

function withDest(patch: Obj): Obj {
  const p = goodProfile();
  const d = (p.Destinations as Record<string, Obj>).abc;
  Object.assign(d, patch);
  return p;
}

describe('validateWire', () => {
  it('accepts a good profile (with nulls, unknown fields and omitted fields)', () => {
    expect(() => validateWire('UserProfileConfig', goodProfile(), 'ProfileData')).not.toThrow();
    expect(checkWire('UserProfileConfig', goodProfile())).toBeNull();
    expect(() => validateWire('UserProfileConfig', {})).not.toThrow();
  });

  it('reports a wrong boolean with the full path', () => {
    const e = errorFor('UserProfileConfig', withDest({ S3UsesTLS: 'yes' }), 'ProfileData');
    expect(e.path).toBe('ProfileData.Destinations["abc"].S3UsesTLS');
    expect(e.message).toBe('ProfileData.Destinations["abc"].S3UsesTLS: expected a boolean, got "yes"');
    expect(e.reason).toBe('expected a boolean, got "yes"');
    expect(e.name).toBe('WireValidationError');
    expect(e).toBeInstanceOf(Error);
  });

  it('uses the type name as the default root', () => {
    expect(errorFor('UserProfileConfig', { AccountName: 5 }).message).toBe('UserProfileConfig.AccountName: expected a string, got 5');
  });

  it('rejects non-integers, negatives for unsigned and out-of-range small integers', () => {
    expect(errorFor('UserProfileConfig', { MaximumDevices: 1.5 }, 'P').message).toBe('P.MaximumDevices: expected an integer (int64), got 1.5');
    expect(errorFor('UserProfileConfig', { MaximumDevices: '5' }, 'P').message).toBe('P.MaximumDevices: expected an integer (int64), got "5"');
    expect(errorFor('UserProfileConfig', withDest({ DestinationType: -1 }), 'P').message).toBe(
      'P.Destinations["abc"].DestinationType: expected a non-negative integer (uint64), got -1',
    );
    expect(errorFor('UserProfileConfig', withDest({ S3ObjectLockMode: 256 }), 'P').message).toBe(
      'P.Destinations["abc"].S3ObjectLockMode: expected an integer in uint8 range 0..255, got 256',
    );
    expect(errorFor('ServerMetaVersionInfo', { ServerLicenseFeatureSet: 2 ** 32 }).message).toBe(
      'ServerMetaVersionInfo.ServerLicenseFeatureSet: expected an integer in uint32 range 0..4294967295, got 4294967296',
    );
    expect(errorFor('ReplicatorStateAPIResponse', { ActiveWorkers: -(2 ** 31) - 1 }).reason).toBe(
      'expected an integer in int32 range -2147483648..2147483647, got -2147483649',
    );
    expect(() => validateWire('ServerMetaVersionInfo', { ServerLicenseFeatureSet: 2 ** 32 - 1 })).not.toThrow();
    expect(() => validateWire('UserProfileConfig', { MaximumDevices: -5, CreateTime: 2 ** 62 })).not.toThrow();
    expect(errorFor('UserProfileConfig', { CreateTime: 2 ** 64 }, 'P').reason).toMatch(/^expected an integer in int64 range/);
    expect(() => validateWire('UserProfileConfig', { CreateTime: 10n })).not.toThrow();
  });

  it('checks slices, their elements, maps and structs', () => {
    expect(errorFor('UserProfileConfig', { Emails: 'a@b' }, 'P').message).toBe('P.Emails: expected an array or null, got "a@b"');
    expect(errorFor('UserProfileConfig', { Emails: ['ok', 5] }, 'P').message).toBe('P.Emails[1]: expected a string, got 5');
    expect(errorFor('UserProfileConfig', { Destinations: [] }, 'P').message).toBe('P.Destinations: expected an object or null, got an array');
    expect(errorFor('UserProfileConfig', { Policy: 'strict' }, 'P').message).toBe('P.Policy: expected an object (UserPolicy), got "strict"');
    expect(errorFor('UserProfileConfig', { Devices: { d1: [] } }, 'P').message).toBe('P.Devices["d1"]: expected an object (DeviceConfig), got an array');
    const p = goodProfile();
    ((p.BackupRules as Record<string, Obj>).r1.Schedules as Obj[])[0].DaysSelect = { Monday: 1 };
    expect(errorFor('UserProfileConfig', p, 'ProfileData').message).toBe(
      'ProfileData.BackupRules["r1"].Schedules[0].DaysSelect.Monday: expected a boolean, got 1',
    );
    expect(errorFor('UserProfileConfig', withDest({ SpanTargets: [{}, { SFTPPassword: false }] }), 'P').path).toBe(
      'P.Destinations["abc"].SpanTargets[1].SFTPPassword',
    );
    expect(errorFor('UserProfileConfig', { Sources: { 'we"ird': { EngineProps: { k: 5 } } } }, 'P').path).toBe(
      'P.Sources["we\\"ird"].EngineProps["k"]',
    );
  });

  it('accepts null below the top level but not at the top level', () => {
    expect(() =>
      validateWire('UserProfileConfig', { AccountName: null, Emails: null, Destinations: { x: null }, Policy: null, MaximumDevices: null, Devices: { d: { PlatformVersion: null } } }),
    ).not.toThrow();
    expect(errorFor('UserProfileConfig', null, 'ProfileData').message).toBe('ProfileData: expected an object (UserProfileConfig), got null');
    expect(errorFor('[]string', undefined, 'Paths').message).toBe('Paths: expected an array, got nothing');
    expect(errorFor('UserProfileConfig', 'x', 'ProfileData').message).toBe('ProfileData: expected an object (UserProfileConfig), got "x"');
    expect(errorFor('UserProfileConfig', [], 'ProfileData').message).toBe('ProfileData: expected an object (UserProfileConfig), got an array');
  });

  it('allows unknown fields anywhere', () => {
    expect(() => validateWire('UserProfileConfig', { NewThing: 5, Policy: { NewPolicyThing: 'x' }, Devices: { d: { Future: [] } } })).not.toThrow();
  });

  it('checks []byte as base64', () => {
    expect(() => validateWire('WebAuthnCredential', { PublicKey: 'AQID', AAGUID: 'AQIDBA==', SignCount: 1 })).not.toThrow();
    expect(() => validateWire('WebAuthnCredential', { PublicKey: 'AQ\nID' })).not.toThrow();
    expect(errorFor('WebAuthnCredential', { PublicKey: 'not base64!' }).message).toBe('WebAuthnCredential.PublicKey: expected a base64 string, got "not base64!"');
    expect(errorFor('WebAuthnCredential', { PublicKey: [1, 2] }).reason).toBe('expected a base64 string, got an array');
    expect(errorFor('WebAuthnCredential', { PublicKey: 'AQI' }).reason).toBe('expected a base64 string, got "AQI"');
  });

  it('requires decimal keys for map[int64]X', () => {
    expect(() => validateWire('B2StorageExtraInfo', { TotalTransactionsInTimeInterval: { '1700000000': { ClassA: 1 }, '-5': {} } })).not.toThrow();
    const e = errorFor('B2StorageExtraInfo', { TotalTransactionsInTimeInterval: { abc: { ClassA: 1 } } });
    expect(e.path).toBe('B2StorageExtraInfo.TotalTransactionsInTimeInterval["abc"]');
    expect(e.reason).toBe('expected a decimal integer key (int64), got "abc"');
    expect(errorFor('B2StorageExtraInfo', { TotalTransactionsInTimeInterval: { '99999999999999999999': {} } }).reason).toMatch(/in range/);
    expect(errorFor('B2StorageExtraInfo', { TotalTransactionsInTimeInterval: { '1': { ClassB: 'x' } } }).path).toBe(
      'B2StorageExtraInfo.TotalTransactionsInTimeInterval["1"].ClassB',
    );
  });

  it('accepts anything for interface{} and resolves named types to their underlying type', () => {
    for (const data of [null, 1, 'x', [1], { a: { b: 2 } }]) {
      expect(() => validateWire('StreamableEvent', { Type: StreamableEventType.SEVT_META_HELLO, Data: data })).not.toThrow();
    }
    expect(errorFor('StreamableEvent', { Type: 'hello' }).reason).toBe('expected an integer (int), got "hello"');
    expect(() => validateWire('JobStatus', JobStatus.JOB_STATUS_STOP_SUCCESS)).not.toThrow();
    expect(errorFor('JobStatus', -1, 'Status').message).toBe('Status: expected a non-negative integer (uint64), got -1');
    expect(errorFor('BackupJobDetail', { Classification: 4001, Status: 'done' }, 'Job').path).toBe('Job.Status');
    expect(resolveWireType('BucketUsageMap')).toEqual({ kind: 'map', key: 'string', value: 'BucketUsageInfo' });
    expect(() => validateWire('map[string]GroupPolicy', { p: { Description: 'x' } })).not.toThrow();
    expect(() => validateWire('NoSuchType', {})).toThrow(/unknown wire type: NoSuchType/);
  });

  it('GroupPolicy spot checks', () => {
    const good = {
      Description: 'Standard',
      OrganizationID: '',
      Policy: {
        PreventDeleteSingleSnapshots: true,
        FileAndFolderMandatoryExclusions: [{ Exclude: '*.tmp', Regex: false, Restriction: 0 }],
        DefaultSources: { s: { Engine: 'engine1/file', EngineProps: { INCLUDE_0: '~' } } },
        DefaultBackupRules: { r: { Schedules: [{ FrequencyType: 8013 }] } },
        DefaultStorageVaultRetention: { Mode: 802, Ranges: [] },
        RandomDelaySecs: 10,
      },
      DefaultUserPolicy: true,
      CreatedDate: 1700000000,
      ModifiedDate: 1700000001,
    };
    expect(() => validateWire('GroupPolicy', good, 'Policy')).not.toThrow();
    expect(errorFor('GroupPolicy', { ...good, DefaultUserPolicy: 'true' }, 'Policy').message).toBe('Policy.DefaultUserPolicy: expected a boolean, got "true"');
    expect(errorFor('GroupPolicy', { ...good, Policy: { ...good.Policy, DefaultSources: { s: { EngineProps: { INCLUDE_0: 1 } } } } }, 'Policy').message).toBe(
      'Policy.Policy.DefaultSources["s"].EngineProps["INCLUDE_0"]: expected a string, got 1',
    );
    expect(errorFor('GroupPolicy', { ...good, Policy: { ...good.Policy, RandomDelaySecs: -1 } }, 'Policy').reason).toBe(
      'expected a non-negative integer (uint64), got -1',
    );
    expect(errorFor('GroupPolicy', { ...good, CreatedDate: 1.25 }, 'Policy').path).toBe('Policy.CreatedDate');
  });

  it('Organization spot checks', () => {
    const good = {
      Name: 'Tenant A',
      Hosts: ['a.example.com'],
      IsSuspended: false,
      Email: { FromEmail: 'noreply@a.example', Mode: 'smtp', SMTPHost: 'smtp.a.example', SMTPPort: 587, SMTPPassword: 'x' },
      WebhookOptions: { w1: { URL: 'https://hook', CustomHeaders: { 'X-A': '1' }, Level: 'full', WhiteListedEventTypes: [4100, 4101] } },
      PSAConfigs: null,
      Branding: { BrandName: 'A' },
    };
    expect(() => validateWire('Organization', good, 'Organization')).not.toThrow();
    expect(errorFor('Organization', { ...good, Hosts: 'a.example.com' }, 'Organization').message).toBe(
      'Organization.Hosts: expected an array or null, got "a.example.com"',
    );
    expect(errorFor('Organization', { ...good, Email: { ...good.Email, SMTPPort: '587' } }, 'Organization').message).toBe(
      'Organization.Email.SMTPPort: expected an integer (int), got "587"',
    );
    expect(
      errorFor('Organization', { ...good, WebhookOptions: { w1: { ...good.WebhookOptions.w1, WhiteListedEventTypes: [4100, 'x'] } } }, 'Organization').message,
    ).toBe('Organization.WebhookOptions["w1"].WhiteListedEventTypes[1]: expected an integer (int), got "x"');
    expect(errorFor('Organization', { ...good, WebhookOptions: { w1: { CustomHeaders: { 'X-A': 1 } } } }, 'Organization').path).toBe(
      'Organization.WebhookOptions["w1"].CustomHeaders["X-A"]',
    );
  });

  it('truncates long string values in messages', () => {
    const e = errorFor('UserProfileConfig', { IsSuspended: 'x'.repeat(500) }, 'P');
    expect(e.message.length).toBeLessThan(160);
    expect(e.message).toContain('(500 chars)');
  });

  it('compiles every type of the wire contract', () => {
    const names = Object.keys(TYPES);
    expect(names.length).toBeGreaterThan(250);
    for (const name of names) {
      const t = resolveWireType(name);
      const sample = t.kind === 'struct' || t.kind === 'map' ? {} : t.kind === 'slice' ? [] : t.kind === 'string' || t.kind === 'bytes' ? '' : t.kind === 'bool' ? false : 0;
      expect(checkWire(name, sample), name).toBeNull();
      for (const f of wireStructFields(name) ?? []) expect(() => resolveWireType(f.type), `${name}.${f.json}`).not.toThrow();
    }
  });

  it('is fast enough for per-request use', () => {
    const p = goodProfile();
    validateWire('UserProfileConfig', p); // compile
    const start = performance.now();
    for (let i = 0; i < 10_000; i++) validateWire('UserProfileConfig', p);
    const perCall = (performance.now() - start) / 10_000;
    expect(perCall).toBeLessThan(0.5); // ms; typically a few microseconds
  });
});

describe('generated constants', () => {
  it('carries the groups the server needs', () => {
    expect(StreamableEventType.SEVT_META_HELLO).toBe(4000);
    expect(StreamableEventType.SEVT_ACCOUNT_NEW).toBe(4100);
    expect(Object.keys(StreamableEventType).length).toBeGreaterThanOrEqual(45);
    expect(APPLICATION_VERSION.APPLICATION_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(ApiErrorMessage.TOTPRequiredError).toBe('ERR_TOTP_REQUIRED');
    expect(DESTINATIONTYPE.DESTINATIONTYPE_S3).toBe(1000);
    expect(JobStatus.JOB_STATUS_RUNNING_ACTIVE).toBe(6001);
    expect(JobClassification.JOB_CLASSIFICATION_BACKUP).toBe(4001);
  });
});
