// Bulk seeding for the benchmark: N accounts in the top-level tenant, each with 3 devices, 2 storage
// vaults, 3 protected items and 1 backup rule, written with `pg` as multi-row INSERT ... SELECT FROM
// unnest($1::text[], ...) (one statement per table per batch), never through the API.
//
// The `data` JSON follows what Halley itself stores (lib/profile/mapper.ts profileToRows): the
// Comet fields without a column, with realistic sizes (a few hundred bytes per vault and item).
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { TOP_LEVEL_TENANT_ID } from '../lib/tenancy/actor';
import { OFFICE365_ENGINE } from '../lib/usage/boosters';

export const DEVICES_PER_ACCOUNT = 3;
export const VAULTS_PER_ACCOUNT = 2;
export const ITEMS_PER_ACCOUNT = 3;
export const RULES_PER_ACCOUNT = 1;

export type SeedStats = {
  accounts: number;
  devices: number;
  vaults: number;
  items: number;
  rules: number;
  avgBytes: { account: number; device: number; vault: number; item: number; rule: number };
  ms: number;
  /** Of which in INSERT statements (the rest: generating the rows, COMMIT, ANALYZE). */
  insertMs: number;
};

export const benchUsername = (i: number) => `bench-user-${String(i).padStart(5, '0')}`;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const b64 = (bytes: number) => randomBytes(bytes).toString('base64');

/** Unix seconds around late 2026, spread per account so values differ. */
const T0 = 1_790_000_000;

function accountData(i: number) {
  return {
    Policy: {
      PreventRequestStorageVault: false,
      PreventAddCustomStorageVault: i % 7 === 0,
      HideCloudStorageBranding: false,
      PreventDeleteSingleSnapshots: false,
      FileAndFolderMandatoryExclusions: [],
      ModeAdminResetPassword: 0,
      ModeAdminViewFilenames: 0,
      DefaultEmailReports: { ShouldOverrideDefaultEmailReports: false, Reports: null },
    },
    OverrideEmailSettings: {},
    ServerConfig: { ProtectedItemQuotaEnabled: false },
  };
}

function deviceData(i: number, d: number) {
  return {
    PlatformVersion: {
      version: '10.0.22631',
      os: 'windows',
      arch: 'amd64',
      codename: 'Windows 11 Pro',
      distribution: '',
    },
    Sources: {},
    SyncroUUID: '',
    _benchNote: `device ${d} of account ${i}`,
  };
}

function vaultData(i: number, v: number) {
  return {
    PreExec: [],
    ThawExec: [],
    PostExec: [],
    S3Server: 's3.eu-central-1.example-storage.net',
    S3UsesTLS: true,
    S3AccessKey: `AKIA${hex(8).toUpperCase()}`,
    S3SecretKey: '',
    S3BucketName: `halley-bench-${String(i).padStart(5, '0')}-${v}`,
    S3Subdir: `backups/${hex(4)}`,
    S3CustomRegion: 'eu-central-1',
    S3ObjectLockMode: 0,
    S3ObjectLockDays: 0,
    EncryptionKeyEncryptionMethod: 2,
    EncryptedEncryptionKey: b64(96),
    RepoInitTimestamp: T0 + i * 60 + v,
    Statistics: {
      ClientProvidedSize: { Size: 1024 * 1024 * (100 + i), MeasureStarted: T0 + i, MeasureCompleted: T0 + i + 30 },
      ClientProvidedContent: { Components: [] },
    },
    DefaultRetention: { Mode: 801, Ranges: [{ Type: 902, Jobs: 30 }] },
  };
}

function itemData(i: number, s: number, engine: string) {
  const office = engine === OFFICE365_ENGINE;
  return {
    PreExec: [],
    ThawExec: [],
    PostExec: [],
    EngineProps: {
      INCLUDE0: 'C:\\Users',
      INCLUDE1: `D:\\Projects\\${hex(4)}`,
      EXCLUDE0: '*.tmp',
      EXCLUDE1: 'C:\\Users\\*\\AppData\\Local\\Temp',
      USE_WIN_VSS: '1',
      CONFIRM_EFS: 'ignore',
    },
    ExistingUserUpdate: false,
    OverrideDestinationRetention: {},
    Statistics: {
      LastStartTime: T0 + i * 60 + s,
      LastBackupJob: {
        GUID: randomUUID(), Status: 5000, StartTime: T0 + i * 60, EndTime: T0 + i * 60 + 900, TotalFiles: 12_345 + i, TotalSize: 987_654_321 + i,
        ...(office ? { TotalAccountsCount: 5 + (i % 20) } : {}),
      },
    },
  };
}

function ruleData() {
  return {
    PreExec: [],
    ThawExec: [],
    PostExec: [],
    SkipAlreadyRunning: true,
    StopAfter: 0,
    LimitVaultSpeedBps: 0,
    ReduceDiskConcurrency: false,
    UseOnDiskIndexes: true,
    AllowZeroFilesSuccess: false,
    AutoRetentionLevel: 0,
    ConcurrencyCount: 0,
    LogLevel: '',
    Tags: '',
    EventTriggers: { OnPCBoot: false, OnPCBootIfLastJobMissed: true, OnLastJobFailDoRetry: false },
  };
}

type Cols = Record<string, { type: string; values: unknown[] }>;

function cols(spec: Record<string, string>): Cols {
  const out: Cols = {};
  for (const [name, type] of Object.entries(spec)) out[name] = { type, values: [] };
  return out;
}

/** INSERT INTO table (cols) SELECT ... FROM unnest($1::t1[], ...): one statement for the whole batch. */
async function insertColumns(client: pg.ClientBase, table: string, c: Cols, extra: Record<string, string> = {}): Promise<void> {
  const names = Object.keys(c);
  // jsonb and text[] columns travel as text and are converted in the SELECT.
  const wire = (t: string) => (t === 'jsonb' || t === 'emails' ? 'text' : t);
  const conv = (n: string, t: string) => (t === 'jsonb' ? `"${n}"::jsonb` : t === 'emails' ? `ARRAY["${n}"]::text[]` : `"${n}"`);
  const colList = [...names, ...Object.keys(extra)].map((n) => `"${n}"`).join(', ');
  const select = [...names.map((n) => conv(n, c[n].type)), ...Object.values(extra)].join(', ');
  const unnest = names.map((n, i) => `$${i + 1}::${wire(c[n].type)}[]`).join(', ');
  const alias = names.map((n) => `"${n}"`).join(', ');
  await client.query(`INSERT INTO "${table}" (${colList}) SELECT ${select} FROM unnest(${unnest}) AS t(${alias})`, names.map((n) => c[n].values));
}

type SeedOptions = {
  batch?: number;
  /** The organization of account i (default: the top level). */
  tenantOf?: (i: number) => string;
  /** The engine of protected item s of account i (default: files and folders). */
  engineOf?: (i: number, s: number) => string;
};

/**
 * Inserts `count` accounts (usernames benchUsername(0..count-1)) with their children. `passwordHash`
 * is stored on every account (one precomputed scrypt hash: the value only drives PasswordFormat).
 */
export async function seedAccounts(databaseUrl: string, count: number, passwordHash: string, opts: SeedOptions = {}): Promise<SeedStats> {
  const { batch = 1000, tenantOf = () => TOP_LEVEL_TENANT_ID, engineOf = () => 'engine1/file' } = opts;
  const started = Date.now();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const bytes = { account: 0, device: 0, vault: 0, item: 0, rule: 0 };
  const totals = { devices: 0, vaults: 0, items: 0, rules: 0 };
  let insertMs = 0;
  try {
    await client.query('BEGIN');
    for (let start = 0; start < count; start += batch) {
      const end = Math.min(count, start + batch);
      const acc = cols({
        id: 'text', username: 'text', tenantId: 'text', accountName: 'text', localTimezone: 'text', languageCode: 'text',
        emails: 'emails', sendEmailReports: 'bool', maximumDevices: 'int8', passwordHash: 'text', createTime: 'int8',
        creationGuid: 'text', data: 'jsonb',
      });
      const dev = cols({
        id: 'text', tenantId: 'text', accountId: 'text', deviceId: 'text', friendlyName: 'text', registrationTime: 'int8',
        clientVersion: 'text', timezone: 'text', data: 'jsonb', position: 'int4',
      });
      const vlt = cols({
        id: 'text', tenantId: 'text', accountId: 'text', vaultId: 'text', description: 'text', destinationType: 'int8',
        createTime: 'int8', modifyTime: 'int8', storageLimitEnabled: 'bool', storageLimitBytes: 'int8', data: 'jsonb', position: 'int4',
      });
      const itm = cols({
        id: 'text', tenantId: 'text', accountId: 'text', itemId: 'text', engine: 'text', description: 'text', ownerDevice: 'text',
        createTime: 'int8', modifyTime: 'int8', data: 'jsonb', position: 'int4',
      });
      const rul = cols({
        id: 'text', tenantId: 'text', accountId: 'text', ruleId: 'text', description: 'text', sourceId: 'text', destinationId: 'text',
        createTime: 'int8', modifyTime: 'int8', schedules: 'jsonb', data: 'jsonb', position: 'int4',
      });
      const push = (c: Cols, row: Record<string, unknown>) => {
        for (const k of Object.keys(c)) c[k].values.push(row[k]);
      };

      for (let i = start; i < end; i++) {
        const accountId = randomUUID();
        const username = benchUsername(i);
        const tenantId = tenantOf(i);
        const aData = JSON.stringify(accountData(i));
        bytes.account += aData.length;
        push(acc, {
          id: accountId, username, tenantId, accountName: `Bench User ${i}`, localTimezone: 'Europe/Berlin',
          languageCode: 'en_US', emails: `${username}@example.com`, sendEmailReports: i % 3 === 0, maximumDevices: 5,
          passwordHash, createTime: T0 + i, creationGuid: randomUUID(), data: aData,
        });
        const deviceIds: string[] = [];
        for (let d = 0; d < DEVICES_PER_ACCOUNT; d++) {
          const deviceId = hex(32);
          deviceIds.push(deviceId);
          const data = JSON.stringify(deviceData(i, d));
          bytes.device += data.length;
          push(dev, {
            id: randomUUID(), tenantId, accountId, deviceId, friendlyName: `PC-${i}-${d}`,
            registrationTime: T0 + i * 60 + d, clientVersion: '24.12.3', timezone: 'Europe/Berlin', data, position: d,
          });
        }
        const vaultIds: string[] = [];
        for (let v = 0; v < VAULTS_PER_ACCOUNT; v++) {
          const vaultId = randomUUID();
          vaultIds.push(vaultId);
          const data = JSON.stringify(vaultData(i, v));
          bytes.vault += data.length;
          push(vlt, {
            id: randomUUID(), tenantId, accountId, vaultId, description: `Cloud vault ${v + 1}`, destinationType: 1000,
            createTime: T0 + i, modifyTime: T0 + i + v, storageLimitEnabled: v === 0, storageLimitBytes: v === 0 ? 500 * 2 ** 30 : 0, data, position: v,
          });
        }
        const itemIds: string[] = [];
        for (let s = 0; s < ITEMS_PER_ACCOUNT; s++) {
          const itemId = randomUUID();
          itemIds.push(itemId);
          const engine = engineOf(i, s);
          const data = JSON.stringify(itemData(i, s, engine));
          bytes.item += data.length;
          push(itm, {
            id: randomUUID(), tenantId, accountId, itemId, engine, description: `Files and folders ${s + 1}`,
            ownerDevice: deviceIds[s % deviceIds.length], createTime: T0 + i, modifyTime: T0 + i + s, data, position: s,
          });
        }
        for (let r = 0; r < RULES_PER_ACCOUNT; r++) {
          const data = JSON.stringify(ruleData());
          const schedules = JSON.stringify([{ FrequencyType: 8011, SecondsPast: 3600 * 22, Offset: 0, RandomDelaySecs: 600 }]);
          bytes.rule += data.length + schedules.length;
          push(rul, {
            id: randomUUID(), tenantId, accountId, ruleId: randomUUID(), description: 'Nightly',
            sourceId: itemIds[0], destinationId: vaultIds[0], createTime: T0 + i, modifyTime: T0 + i, schedules, data, position: r,
          });
        }
      }
      const s = Date.now();
      await insertColumns(client, 'Account', acc, { updatedAt: 'now()' });
      await insertColumns(client, 'Device', dev);
      await insertColumns(client, 'StorageVault', vlt);
      await insertColumns(client, 'ProtectedItem', itm);
      await insertColumns(client, 'BackupRule', rul);
      insertMs += Date.now() - s;
      totals.devices += dev.id.values.length;
      totals.vaults += vlt.id.values.length;
      totals.items += itm.id.values.length;
      totals.rules += rul.id.values.length;
    }
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
  const avg = (n: number, d: number) => (d ? Math.round(n / d) : 0);
  return {
    accounts: count,
    ...totals,
    avgBytes: {
      account: avg(bytes.account, count),
      device: avg(bytes.device, totals.devices),
      vault: avg(bytes.vault, totals.vaults),
      item: avg(bytes.item, totals.items),
      rule: avg(bytes.rule, totals.rules),
    },
    ms: Date.now() - started,
    insertMs,
  };
}
