// Profile mapper: Comet `UserProfileConfig` JSON <-> Halley rows (Account, Device, StorageVault,
// ProtectedItem, BackupRule). Fields Halley queries become columns; every other field, including
// fields Halley does not know, is kept verbatim in `data` so a profile round-trips unchanged.
//
// Output (rowsToProfile) follows Go's encoding of the Comet structs: known fields in Go field order
// with zero values filled in, omitempty fields only when non-zero, then unknown fields. Nil maps and
// slices are written as {} and [] (not null) because the JS SDK and web clients crash on nulls.
// Secrets are never written: vault credential fields are "", PasswordHash/TOTPKey are "",
// PasswordRecovery is omitted.
import { resolveWireType } from '../comet/validate';
import { cloneJson, isObject, put, type JsonObject } from './json-value';
import { MapEntries, shapedJson } from './shaped-json';
import { shapeWire } from './shape-wire';

/** PasswordFormat Halley reports for accounts that have a (scrypt) password hash. */
export const PASSWORD_FORMAT_HALLEY_SCRYPT = 100;

export type { JsonObject };
export { shapeWire };

/** Secret values in the shape of the object they came from (array indexes as keys). */
interface SecretTree {
  [key: string]: string | SecretTree;
}

// ---------------------------------------------------------------------------------------------
// Row shapes

interface AccountColumns {
  accountName: string;
  localTimezone: string;
  languageCode: string;
  groupId: string;
  emails: string[];
  sendEmailReports: boolean;
  supportsDeviceAssociations: boolean;
  isSuspended: boolean;
  lastSuspended: bigint | null;
  allProtectedItemsQuotaEnabled: boolean;
  allProtectedItemsQuotaBytes: bigint;
  maximumDevices: bigint;
  quotaOffice365ProtectedAccounts: bigint;
  quotaHyperVGuests: bigint;
  quotaVMwareGuests: bigint;
  policyId: string;
  allowPasswordLogin: boolean;
  allowPasswordAndTotpLogin: boolean;
  requirePasswordChange: boolean;
  createTime: bigint;
  creationGuid: string;
  autoStorageTemplateGuid: string;
  linuxHomedirSandbox: boolean;
}

interface AccountRow extends AccountColumns {
  /** Other UserProfileConfig fields (Policy, OverrideEmailSettings, ServerConfig, unknown fields). */
  data: JsonObject;
  /** { PasswordRecovery } when set, else null. To be sealed by the caller. */
  secrets: SecretTree | null;
}

interface DeviceRow {
  deviceId: string;
  friendlyName: string;
  registrationTime: bigint | null;
  clientVersion: string | null;
  timezone: string | null;
  data: JsonObject;
  position: number;
}

interface VaultRow {
  vaultId: string;
  description: string;
  destinationType: bigint;
  createTime: bigint;
  modifyTime: bigint;
  storageLimitEnabled: boolean;
  storageLimitBytes: bigint;
  /** Remaining DestinationConfig fields; secret fields are present but blanked to "". */
  data: JsonObject;
  /** Non-empty secret values (see splitSecrets), or null. To be sealed by the caller. */
  secrets: SecretTree | null;
  position: number;
}

interface ItemRow {
  itemId: string;
  engine: string;
  description: string;
  ownerDevice: string;
  createTime: bigint;
  modifyTime: bigint;
  data: JsonObject;
  position: number;
}

interface RuleRow {
  ruleId: string;
  description: string;
  sourceId: string;
  destinationId: string;
  createTime: bigint;
  modifyTime: bigint;
  schedules: unknown[];
  data: JsonObject;
  position: number;
}

export interface ProfileRows {
  account: AccountRow;
  devices: DeviceRow[];
  vaults: VaultRow[];
  items: ItemRow[];
  rules: RuleRow[];
}

/** Integer columns as read back from Prisma (bigint) or from elsewhere (number). */
type IntLike = bigint | number;
type Widen<T> = { [K in keyof T]: T[K] extends bigint ? IntLike : T[K] extends bigint | null ? IntLike | null : T[K] };

/** Account fields rowsToProfile needs; a Prisma `Account` row fits. */
type AccountRowInput = Widen<AccountColumns> & {
  username: string;
  /** Only tested for emptiness (drives PasswordFormat); never output. */
  passwordHash?: string | null;
  data: unknown;
};
type DeviceRowInput = Widen<Omit<DeviceRow, 'data'>> & { data: unknown };
type VaultRowInput = Widen<Omit<VaultRow, 'data' | 'secrets'>> & { data: unknown };
type ItemRowInput = Widen<Omit<ItemRow, 'data'>> & { data: unknown };
type RuleRowInput = Widen<Omit<RuleRow, 'data' | 'schedules'>> & { schedules: unknown; data: unknown };

export interface RowsToProfileInput {
  account: AccountRowInput;
  /** "" for accounts of the top-level organization (OrganizationID is omitempty). */
  organizationId: string;
  devices: readonly DeviceRowInput[];
  vaults: readonly VaultRowInput[];
  items: readonly ItemRowInput[];
  rules: readonly RuleRowInput[];
}

// ---------------------------------------------------------------------------------------------
// Field sets

/** UserProfileConfig fields stored in Account columns (JSON name -> column). */
const ACCOUNT_COLUMN_FIELDS = [
  'AccountName', 'LocalTimezone', 'LanguageCode', 'GroupID', 'Emails', 'SendEmailReports',
  'SupportsDeviceAssociations', 'IsSuspended', 'LastSuspended', 'AllProtectedItemsQuotaEnabled',
  'AllProtectedItemsQuotaBytes', 'MaximumDevices', 'QuotaOffice365ProtectedAccounts', 'QuotaHyperVGuests',
  'QuotaVMwareGuests', 'PolicyID', 'AllowPasswordLogin', 'AllowPasswordAndTOTPLogin', 'RequirePasswordChange',
  'CreateTime', 'CreationGUID', 'AutoStorageTemplateGUID', 'LinuxHomedirSandbox',
] as const;

/** Fields the caller owns (identity, credentials) and the child collections; never in account.data. */
const ACCOUNT_EXCLUDED_FIELDS = [
  'Username', 'OrganizationID', 'PasswordFormat', 'PasswordHash', 'PasswordRecovery', 'TOTPKey',
  'TOTPKeyEncryptionFormat', 'Destinations', 'Sources', 'BackupRules', 'Devices',
] as const;

const ACCOUNT_NOT_DATA: ReadonlySet<string> = new Set<string>([...ACCOUNT_COLUMN_FIELDS, ...ACCOUNT_EXCLUDED_FIELDS]);
const DEVICE_COLUMNS: ReadonlySet<string> = new Set(['FriendlyName', 'RegistrationTime', 'ClientVersion', 'DeviceTimezone']);
const VAULT_COLUMNS: ReadonlySet<string> = new Set([
  'Description', 'DestinationType', 'CreateTime', 'ModifyTime', 'StorageLimitEnabled', 'StorageLimitBytes',
]);
const ITEM_COLUMNS: ReadonlySet<string> = new Set(['Engine', 'Description', 'OwnerDevice', 'CreateTime', 'ModifyTime']);
const RULE_COLUMNS: ReadonlySet<string> = new Set(['Description', 'CreateTime', 'ModifyTime', 'Source', 'Destination', 'Schedules']);

// ---------------------------------------------------------------------------------------------
// Small value helpers (inputs are validated JSON; these only guard against null / absent)

function asObject(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function bool(v: unknown): boolean {
  return v === true;
}

function big(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
  return 0n;
}

function bigOrNull(v: unknown): bigint | null {
  return v === null || v === undefined ? null : big(v);
}

function strOrNull(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function num(v: IntLike | null | undefined): number {
  return typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : 0;
}

/** Copy of `obj` without the keys in `skip`, key order kept; values deep-copied when `deep`. */
function restOf(obj: JsonObject, skip: ReadonlySet<string>, deep: boolean): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(obj)) if (!skip.has(k)) put(out, k, deep ? cloneJson(obj[k]) : obj[k]);
  return out;
}

/** Copy of `obj` without the keys in `skip`, values deep-copied, key order kept. */
function rest(obj: JsonObject, skip: ReadonlySet<string>): JsonObject {
  return restOf(obj, skip, true);
}

// ---------------------------------------------------------------------------------------------
// Secrets

const SECRET_SUFFIX = /(?:Password|SecretKey|Secret|AccountKey|PrivateKey|BucketKey|APIKey|AuthToken|Passphrase)$/;
/** Credential fields whose names do not follow the suffix rule, keyed by the parent field name. */
const SECRET_BY_PARENT: Readonly<Record<string, ReadonlySet<string>>> = {
  B2: new Set(['Key']), // B2DestinationLocation.Key = application key
  WebDav: new Set(['AccessKey']), // WebDavDestinationLocation.AccessKey = password
};

/** True when a field named `name` (inside an object held by field `parent`) carries a credential. */
export function isSecretField(name: string, parent?: string): boolean {
  if (name.endsWith('Format') || name.startsWith('Prevent') || name.startsWith('Mode')) return false;
  if (SECRET_SUFFIX.test(name)) return true;
  return parent !== undefined && SECRET_BY_PARENT[parent]?.has(name) === true;
}

/**
 * Splits secret fields out of an object (any depth, arrays included). Only non-empty string values
 * at secret field names are secrets; in `public` they are kept as "" (same key order), so
 * `mergeSecrets(public, secrets)` restores the original exactly. `secrets` is null when none.
 */
export function splitSecrets<T>(obj: T): { public: T; secrets: SecretTree | null } {
  const found: SecretTree = {};
  const pub = splitWalk(obj, undefined, found) as T;
  return { public: pub, secrets: Object.keys(found).length ? found : null };
}

function splitWalk(v: unknown, parent: string | undefined, found: SecretTree): unknown {
  if (Array.isArray(v)) {
    return v.map((el, i) => {
      const sub: SecretTree = {};
      const out = splitWalk(el, parent, sub);
      if (Object.keys(sub).length) found[String(i)] = sub;
      return out;
    });
  }
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const k of Object.keys(v)) {
    const val = v[k];
    if (typeof val === 'string') {
      if (val !== '' && isSecretField(k, parent)) {
        put(found, k, val);
        put(out, k, '');
      } else {
        put(out, k, val);
      }
    } else if (typeof val === 'object' && val !== null) {
      const sub: SecretTree = {};
      put(out, k, splitWalk(val, k, sub));
      if (Object.keys(sub).length) put(found, k, sub);
    } else {
      put(out, k, val);
    }
  }
  return out;
}

/**
 * Secrets as they come back from storage (e.g. unsealed JSON). Only string leaves and nested
 * objects are meaningful; anything else is ignored.
 */
type SecretTreeInput = Readonly<Record<string, unknown>>;

/** A SecretTree made of the non-empty string leaves and non-empty subtrees of `input`. */
function toSecretTree(input: unknown): SecretTree {
  const out: SecretTree = {};
  if (!isObject(input)) return out;
  for (const k of Object.keys(input)) {
    const v = input[k];
    if (typeof v === 'string') {
      if (v !== '') put(out, k, v); // an empty secret is no secret
    } else if (isObject(v)) {
      const sub = toSecretTree(v);
      if (Object.keys(sub).length) put(out, k, sub);
    }
  }
  return out;
}

/**
 * Puts secret values back into a (deep-copied) public object. A secret whose containing object
 * or array element does not exist in `pub` is dropped.
 */
export function mergeSecrets<T>(pub: T, secrets: SecretTreeInput | null | undefined): T {
  const out = cloneJson(pub);
  if (secrets) mergeInto(out, toSecretTree(secrets));
  return out;
}

function mergeInto(target: unknown, tree: SecretTree): void {
  if (Array.isArray(target)) {
    for (const k of Object.keys(tree)) {
      const i = Number(k);
      const sv = tree[k];
      if (!Number.isInteger(i) || i < 0 || i >= target.length) continue;
      if (typeof sv === 'string') target[i] = sv;
      else if (typeof target[i] === 'object' && target[i] !== null) mergeInto(target[i], sv);
    }
    return;
  }
  if (!isObject(target)) return;
  for (const k of Object.keys(tree)) {
    const sv = tree[k];
    if (typeof sv === 'string') put(target, k, sv);
    else if (typeof target[k] === 'object' && target[k] !== null) mergeInto(target[k], sv);
  }
}

/**
 * Incoming secrets with empty or missing values filled from the stored ones (an empty secret in an
 * update means "keep what is stored", since Halley never sends secrets out). When `incomingPublic`
 * is given, stored secrets are only kept where their containing object still exists in it (so a
 * removed SpanTargets entry does not keep its credentials forever). Returns null when empty.
 */
export function keepStoredSecrets(
  incoming: SecretTreeInput | null | undefined,
  stored: SecretTreeInput | null | undefined,
  incomingPublic?: unknown,
): SecretTree | null {
  const out = toSecretTree(incoming);
  if (stored) fillFrom(out, toSecretTree(stored), incomingPublic, incomingPublic !== undefined);
  return Object.keys(out).length ? out : null;
}

function fillFrom(out: SecretTree, stored: SecretTree, shape: unknown, checkShape: boolean): void {
  if (checkShape && (typeof shape !== 'object' || shape === null)) return;
  const shapeObj = shape as Record<string, unknown> | undefined;
  for (const k of Object.keys(stored)) {
    const sv = stored[k];
    const iv = out[k];
    if (typeof sv === 'string') {
      if (iv === undefined || iv === '') put(out, k, sv);
      continue;
    }
    if (typeof iv === 'string' && iv !== '') continue; // incoming replaced a subtree by a value
    const childShape = checkShape ? shapeObj?.[k] : undefined;
    if (checkShape && (typeof childShape !== 'object' || childShape === null)) continue;
    const child: SecretTree = typeof iv === 'object' ? iv : {};
    fillFrom(child, sv, childShape, checkShape);
    if (Object.keys(child).length) put(out, k, child);
  }
}

/** Copy of `obj` with every secret string blanked to "". */
function blankSecrets<T>(obj: T): T {
  return splitWalk(obj, undefined, {}) as T;
}

// ---------------------------------------------------------------------------------------------
// Profile -> rows

/** Splits a (validated) UserProfileConfig JSON object into Halley rows. */
export function profileToRows(profile: Record<string, unknown>): ProfileRows {
  const p = profile;
  const recovery = str(p.PasswordRecovery);
  const account: AccountRow = {
    accountName: str(p.AccountName),
    localTimezone: str(p.LocalTimezone),
    languageCode: str(p.LanguageCode),
    groupId: str(p.GroupID),
    emails: Array.isArray(p.Emails) ? p.Emails.filter((e): e is string => typeof e === 'string') : [],
    sendEmailReports: bool(p.SendEmailReports),
    supportsDeviceAssociations: bool(p.SupportsDeviceAssociations),
    isSuspended: bool(p.IsSuspended),
    lastSuspended: bigOrNull(p.LastSuspended),
    allProtectedItemsQuotaEnabled: bool(p.AllProtectedItemsQuotaEnabled),
    allProtectedItemsQuotaBytes: big(p.AllProtectedItemsQuotaBytes),
    maximumDevices: big(p.MaximumDevices),
    quotaOffice365ProtectedAccounts: big(p.QuotaOffice365ProtectedAccounts),
    quotaHyperVGuests: big(p.QuotaHyperVGuests),
    quotaVMwareGuests: big(p.QuotaVMwareGuests),
    policyId: str(p.PolicyID),
    allowPasswordLogin: bool(p.AllowPasswordLogin),
    allowPasswordAndTotpLogin: bool(p.AllowPasswordAndTOTPLogin),
    requirePasswordChange: bool(p.RequirePasswordChange),
    createTime: big(p.CreateTime),
    creationGuid: str(p.CreationGUID),
    autoStorageTemplateGuid: str(p.AutoStorageTemplateGUID),
    linuxHomedirSandbox: bool(p.LinuxHomedirSandbox),
    data: rest(p, ACCOUNT_NOT_DATA),
    secrets: recovery !== '' ? { PasswordRecovery: recovery } : null,
  };

  const devices: DeviceRow[] = Object.entries(asObject(p.Devices)).map(([deviceId, value], position) => {
    const d = asObject(value);
    return {
      deviceId,
      friendlyName: str(d.FriendlyName),
      registrationTime: bigOrNull(d.RegistrationTime),
      clientVersion: strOrNull(d.ClientVersion),
      timezone: strOrNull(d.DeviceTimezone),
      data: rest(d, DEVICE_COLUMNS),
      position,
    };
  });

  const vaults: VaultRow[] = Object.entries(asObject(p.Destinations)).map(([vaultId, value], position) => {
    const v = asObject(value);
    const { public: data, secrets } = splitSecrets(rest(v, VAULT_COLUMNS));
    return {
      vaultId,
      description: str(v.Description),
      destinationType: big(v.DestinationType),
      createTime: big(v.CreateTime),
      modifyTime: big(v.ModifyTime),
      storageLimitEnabled: bool(v.StorageLimitEnabled),
      storageLimitBytes: big(v.StorageLimitBytes),
      data,
      secrets,
      position,
    };
  });

  const items: ItemRow[] = Object.entries(asObject(p.Sources)).map(([itemId, value], position) => {
    const s = asObject(value);
    return {
      itemId,
      engine: str(s.Engine),
      description: str(s.Description),
      ownerDevice: str(s.OwnerDevice),
      createTime: big(s.CreateTime),
      modifyTime: big(s.ModifyTime),
      data: rest(s, ITEM_COLUMNS),
      position,
    };
  });

  const rules: RuleRow[] = Object.entries(asObject(p.BackupRules)).map(([ruleId, value], position) => {
    const r = asObject(value);
    return {
      ruleId,
      description: str(r.Description),
      sourceId: str(r.Source),
      destinationId: str(r.Destination),
      createTime: big(r.CreateTime),
      modifyTime: big(r.ModifyTime),
      schedules: Array.isArray(r.Schedules) ? cloneJson(r.Schedules) : [],
      data: rest(r, RULE_COLUMNS),
      position,
    };
  });

  return { account, devices, vaults, items, rules };
}

// ---------------------------------------------------------------------------------------------
// Rows -> profile

function byPosition<T extends { position: IntLike }>(rows: readonly T[]): readonly T[] {
  let sorted = true;
  for (let i = 1; i < rows.length && sorted; i++) sorted = num(rows[i - 1].position) <= num(rows[i].position);
  if (sorted) return rows; // as the statements read them (ORDER BY position)
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => num(a.row.position) - num(b.row.position) || a.i - b.i)
    .map((x) => x.row);
}

/** The profile's four id-keyed collections (UserProfileConfig fields), in the order rowsToProfile writes them. */
const COLLECTIONS = ['Destinations', 'Sources', 'BackupRules', 'Devices'] as const;
type Collection = (typeof COLLECTIONS)[number];

/**
 * A profile before shaping: `raw` without the four collections, and each collection's entries by id (unshaped),
 * in position order. A later duplicate id replaces the value where the id first came, as an object's key would.
 */
function profileParts(input: RowsToProfileInput, { deep }: { deep: boolean }): { raw: JsonObject; collections: Record<Collection, Map<string, JsonObject>> } {
  const a = input.account;
  const raw: JsonObject = restOf(asObject(a.data), ACCOUNT_NOT_DATA, deep);

  raw.Username = a.username;
  raw.AccountName = a.accountName;
  raw.LocalTimezone = a.localTimezone;
  raw.LanguageCode = a.languageCode;
  raw.OrganizationID = input.organizationId;
  raw.GroupID = a.groupId;
  raw.Emails = [...(a.emails ?? [])];
  raw.SendEmailReports = a.sendEmailReports;
  raw.SupportsDeviceAssociations = a.supportsDeviceAssociations;
  raw.IsSuspended = a.isSuspended;
  if (a.lastSuspended !== null && a.lastSuspended !== undefined) raw.LastSuspended = num(a.lastSuspended);
  raw.AllProtectedItemsQuotaEnabled = a.allProtectedItemsQuotaEnabled;
  raw.AllProtectedItemsQuotaBytes = num(a.allProtectedItemsQuotaBytes);
  raw.MaximumDevices = num(a.maximumDevices);
  raw.QuotaOffice365ProtectedAccounts = num(a.quotaOffice365ProtectedAccounts);
  raw.QuotaHyperVGuests = num(a.quotaHyperVGuests);
  raw.QuotaVMwareGuests = num(a.quotaVMwareGuests);
  raw.PolicyID = a.policyId;
  raw.PasswordFormat = a.passwordHash ? PASSWORD_FORMAT_HALLEY_SCRYPT : 0;
  raw.PasswordHash = '';
  raw.AllowPasswordLogin = a.allowPasswordLogin;
  raw.AllowPasswordAndTOTPLogin = a.allowPasswordAndTotpLogin;
  raw.TOTPKeyEncryptionFormat = 0;
  raw.TOTPKey = '';
  raw.RequirePasswordChange = a.requirePasswordChange;
  raw.CreateTime = num(a.createTime);
  raw.CreationGUID = a.creationGuid;
  raw.AutoStorageTemplateGUID = a.autoStorageTemplateGuid;
  raw.LinuxHomedirSandbox = a.linuxHomedirSandbox;

  const destinations = new Map<string, JsonObject>();
  for (const v of byPosition(input.vaults)) {
    const d = restOf(asObject(v.data), VAULT_COLUMNS, deep);
    d.Description = v.description;
    d.CreateTime = num(v.createTime);
    d.ModifyTime = num(v.modifyTime);
    d.DestinationType = num(v.destinationType);
    d.StorageLimitEnabled = v.storageLimitEnabled;
    d.StorageLimitBytes = num(v.storageLimitBytes);
    destinations.set(v.vaultId, blankSecrets(d));
  }

  const sources = new Map<string, JsonObject>();
  for (const s of byPosition(input.items)) {
    const d = restOf(asObject(s.data), ITEM_COLUMNS, deep);
    d.Engine = s.engine;
    d.Description = s.description;
    d.OwnerDevice = s.ownerDevice;
    d.CreateTime = num(s.createTime);
    d.ModifyTime = num(s.modifyTime);
    sources.set(s.itemId, d);
  }

  const rules = new Map<string, JsonObject>();
  for (const r of byPosition(input.rules)) {
    const d = restOf(asObject(r.data), RULE_COLUMNS, deep);
    d.Description = r.description;
    d.CreateTime = num(r.createTime);
    d.ModifyTime = num(r.modifyTime);
    d.Source = r.sourceId;
    d.Destination = r.destinationId;
    d.Schedules = Array.isArray(r.schedules) ? cloneJson(r.schedules) : [];
    rules.set(r.ruleId, d);
  }

  const devices = new Map<string, JsonObject>();
  for (const dv of byPosition(input.devices)) {
    const d = restOf(asObject(dv.data), DEVICE_COLUMNS, deep);
    d.FriendlyName = dv.friendlyName;
    if (dv.registrationTime !== null && dv.registrationTime !== undefined) d.RegistrationTime = num(dv.registrationTime);
    if (dv.clientVersion !== null && dv.clientVersion !== undefined) d.ClientVersion = dv.clientVersion;
    if (dv.timezone !== null && dv.timezone !== undefined) d.DeviceTimezone = dv.timezone;
    devices.set(dv.deviceId, d);
  }
  return { raw, collections: { Destinations: destinations, Sources: sources, BackupRules: rules, Devices: devices } };
}

/** Builds the Comet UserProfileConfig JSON (secrets blanked) from Halley rows. */
export function rowsToProfile(input: RowsToProfileInput): JsonObject {
  const { raw, collections } = profileParts(input, { deep: true });
  for (const field of COLLECTIONS) {
    const map: JsonObject = {};
    for (const [id, value] of collections[field]) put(map, id, value);
    raw[field] = map;
  }
  return shapeWire('UserProfileConfig', raw) as JsonObject;
}

/**
 * `JSON.stringify(rowsToProfile(input))` (with bigint as numbers), without building the shaped profile or its four
 * id-keyed collections as objects (lib/profile/shaped-json.ts writes the text straight from the parts): an object
 * keyed by ids gets a V8 hidden class and an internalized key per id, allocated in the old generation, and the shaped
 * copy of every profile was most of what listing 100,000 of them allocated (bench/README.md).
 */
export function rowsToProfileJson(input: RowsToProfileInput): string {
  // Shallow parts: the writer only reads them, and what the rows hold is JSON (a deep copy would write the same).
  const { raw, collections } = profileParts(input, { deep: false });
  for (const field of COLLECTIONS) raw[field] = collections[field].size === 0 ? {} : new MapEntries(collections[field]);
  return shapedJson(resolveWireType('UserProfileConfig'), raw)!;
}
