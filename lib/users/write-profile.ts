// Storing a UserProfileConfig: the mapper splits it into rows; this module decides what happens
// to secrets (kept when the incoming value is empty, sealed at rest), the password, and the
// effective policy, then replaces the account's rows inside the caller's transaction.
import { randomBytes } from 'node:crypto';
import type { Tx } from '../db/client';
import { BadRequestError } from '../errors';
import { hashPassword } from '../credentials/password';
import { checkNewPassword } from '../validation/check-new-password';
import { canonicalJson } from '../profile/hash';
import { profileToRows, keepStoredSecrets, PASSWORD_FORMAT_HALLEY_SCRYPT, type ProfileRows } from '../profile/mapper';
import { sealJson, seal, unsealJson } from '../secrets';
import type { LoadedAccount } from './load-profiles';
import { apiMessage } from '../i18n/api-messages';
import { checkEmailField, checkTimeZoneField } from '../validation/check-field';

type PreparedProfile = {
  rows: ProfileRows;
  passwordHash: string;
  totpSecret: string | null;
  accountSecrets: string | null;
  vaultSecrets: Map<string, string | null>;
  secretStamp: string;
};

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function newSecretStamp(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * Validates and converts an incoming profile; `stored` is the account being replaced (null on create). `tx`: the
 * transaction it runs in, if any (settings are then read through it, never on a second pool connection).
 */
export async function prepareProfile(profile: Record<string, unknown>, stored: LoadedAccount | null, tx?: Tx): Promise<PreparedProfile> {
  const rows = profileToRows(profile);
  let secretsChanged = false;
  checkTimeZoneField(str(profile.LocalTimezone), 'ProfileData.LocalTimezone', { optional: true });
  if (Array.isArray(profile.Emails)) profile.Emails.forEach((e, i) => checkEmailField(String(e), `ProfileData.Emails[${i}]`));

  let passwordHash = stored?.passwordHash ?? '';
  const incomingHash = str(profile.PasswordHash);
  if (incomingHash !== '') {
    const format = Number(profile.PasswordFormat ?? 0);
    if (format !== 0) {
      throw new BadRequestError(
        apiMessage('passwordFormatRejected', { format }),
      );
    }
    await checkNewPassword(incomingHash, { client: tx }); // within the caller's transaction when it has one
    passwordHash = await hashPassword(incomingHash);
    secretsChanged = true;
  } else if (stored === null && Number(profile.PasswordFormat ?? 0) === PASSWORD_FORMAT_HALLEY_SCRYPT) {
    throw new BadRequestError(apiMessage('passwordHashEmpty'));
  }

  let totpSecret = stored?.totpSecret ?? null;
  const incomingTotp = str(profile.TOTPKey);
  if (incomingTotp !== '') {
    if (Number(profile.TOTPKeyEncryptionFormat ?? 0) !== 0) {
      throw new BadRequestError(apiMessage('totpKeyPlainOnly'));
    }
    totpSecret = seal(incomingTotp);
    secretsChanged = true;
  }

  const storedAccountSecrets = unsealJson<Record<string, unknown>>(stored?.secrets);
  const accountSecretsPlain = keepStoredSecrets(rows.account.secrets, storedAccountSecrets);
  if (canonicalJson(accountSecretsPlain ?? null) !== canonicalJson(storedAccountSecrets ?? null)) secretsChanged = true;

  const storedVaults = new Map((stored?.vaults ?? []).map((v) => [v.vaultId, unsealJson<Record<string, unknown>>(v.secrets)]));
  const vaultSecrets = new Map<string, string | null>();
  for (const vault of rows.vaults) {
    const before = storedVaults.get(vault.vaultId) ?? null;
    const merged = keepStoredSecrets(vault.secrets, before);
    if (canonicalJson(merged ?? null) !== canonicalJson(before ?? null)) secretsChanged = true;
    vaultSecrets.set(vault.vaultId, merged && Object.keys(merged).length > 0 ? sealJson(merged) : null);
  }
  if (stored && [...storedVaults.keys()].some((id) => !vaultSecrets.has(id))) secretsChanged = true;

  return {
    rows,
    passwordHash,
    totpSecret,
    accountSecrets: accountSecretsPlain && Object.keys(accountSecretsPlain).length > 0 ? sealJson(accountSecretsPlain) : null,
    vaultSecrets,
    secretStamp: secretsChanged || !stored ? newSecretStamp() : stored.secretStamp,
  };
}

/** Replaces the account's columns and child rows with the prepared profile. */
export async function persistProfile(tx: Tx, accountId: string, tenantId: string, prepared: PreparedProfile): Promise<void> {
  const { rows } = prepared;
  const { data, secrets: _plainSecrets, ...columns } = rows.account;
  // tenancy: derived — the account was loaded in scope by the caller (replaceProfile, addUser)
  await tx.account.update({
    where: { id: accountId },
    data: {
      ...columns,
      data: data as object,
      passwordHash: prepared.passwordHash,
      totpSecret: prepared.totpSecret,
      secrets: prepared.accountSecrets,
      secretStamp: prepared.secretStamp,
    },
  });
  // Sequential on purpose: an interactive transaction is one connection.
  // tenancy: derived — the account was loaded in scope by the caller (replaceProfile, addUser)
  await tx.device.deleteMany({ where: { accountId } });
  await tx.storageVault.deleteMany({ where: { accountId } });
  await tx.protectedItem.deleteMany({ where: { accountId } });
  // tenancy: derived — the account was loaded in scope by the caller (replaceProfile, addUser)
  await tx.backupRule.deleteMany({ where: { accountId } });
  const owner = { accountId, tenantId };
  if (rows.devices.length) await tx.device.createMany({ data: rows.devices.map((d) => ({ ...d, ...owner, data: d.data as object })) });
  if (rows.vaults.length) {
    await tx.storageVault.createMany({
      data: rows.vaults.map(({ secrets: _s, ...v }) => ({ ...v, ...owner, data: v.data as object, secrets: prepared.vaultSecrets.get(v.vaultId) ?? null })),
    });
  }
  if (rows.items.length) await tx.protectedItem.createMany({ data: rows.items.map((i) => ({ ...i, ...owner, data: i.data as object })) });
  if (rows.rules.length) {
    await tx.backupRule.createMany({ data: rows.rules.map((r) => ({ ...r, ...owner, data: r.data as object, schedules: r.schedules as object })) });
  }
}

/**
 * Comet keeps a copy of the assigned policy in the profile's `Policy` field (the effective policy).
 * A PolicyID must name a policy of the account's own tenant; anything else looks missing.
 */
export async function applyAssignedPolicy(tx: Tx, tenantId: string, rows: ProfileRows): Promise<void> {
  const policyId = rows.account.policyId;
  if (!policyId) return;
  // tenancy: derived — the account was loaded in scope by the caller (replaceProfile, addUser)
  const policy = await tx.policy.findFirst({ where: { id: policyId, tenantId }, select: { policy: true } });
  if (!policy) throw new BadRequestError(apiMessage('policyNotFound', { id: String(policyId) }));
  rows.account.data = { ...rows.account.data, Policy: policy.policy };
}
