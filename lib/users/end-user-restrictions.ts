// What an end user may change in their own profile (user/web/set-profile-hash). Admin-controlled
// fields are restored from the stored profile; the account's effective policy decides the rest.
import { ForbiddenError } from '../errors';

const ADMIN_FIELDS = [
  'Username',
  'OrganizationID',
  'IsSuspended',
  'LastSuspended',
  'AllProtectedItemsQuotaEnabled',
  'AllProtectedItemsQuotaBytes',
  'MaximumDevices',
  'QuotaOffice365ProtectedAccounts',
  'QuotaHyperVGuests',
  'QuotaVMwareGuests',
  'PolicyID',
  'Policy',
  'PasswordFormat',
  'PasswordHash',
  'PasswordRecovery',
  'AllowPasswordLogin',
  'AllowPasswordAndTOTPLogin',
  'TOTPKeyEncryptionFormat',
  'TOTPKey',
  'RequirePasswordChange',
  'CreateTime',
  'CreationGUID',
  'ServerConfig',
  'AutoStorageTemplateGUID',
  'LinuxHomedirSandbox',
];

type Obj = Record<string, unknown>;
const keys = (v: unknown) => new Set(Object.keys((v as Obj | null) ?? {}));

export function restrictEndUserChanges(stored: Obj, incoming: Obj): Obj {
  const out: Obj = { ...incoming };
  for (const field of ADMIN_FIELDS) {
    if (field in stored) out[field] = stored[field];
    else delete out[field];
  }
  const policy = (stored.Policy ?? {}) as Obj;
  const deny = (flag: string, what: string, changed: boolean) => {
    if (changed && policy[flag] === true) throw new ForbiddenError(`Your account's policy does not allow you to ${what}`);
  };
  deny('PreventChangeAccountName', 'change the account name', out.AccountName !== stored.AccountName);
  deny('PreventChangeEmailSettings', 'change email settings', JSON.stringify(out.Emails ?? []) !== JSON.stringify(stored.Emails ?? []) || out.SendEmailReports !== stored.SendEmailReports);
  const vaultsBefore = keys(stored.Destinations);
  const vaultsAfter = keys(out.Destinations);
  deny('PreventDeleteStorageVault', 'delete storage vaults', [...vaultsBefore].some((id) => !vaultsAfter.has(id)));
  deny('PreventAddCustomStorageVault', 'add storage vaults', [...vaultsAfter].some((id) => !vaultsBefore.has(id)));
  const itemsBefore = keys(stored.Sources);
  const itemsAfter = keys(out.Sources);
  deny('PreventNewProtectedItem', 'add protected items', [...itemsAfter].some((id) => !itemsBefore.has(id)));
  deny('PreventDeleteProtectedItem', 'delete protected items', [...itemsBefore].some((id) => !itemsAfter.has(id)));
  return out;
}
