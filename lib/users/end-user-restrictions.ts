// What an end user may change in their own profile (user/web/set-profile-hash). Admin-controlled
// fields are restored from the stored profile; the account's effective policy decides the rest.
import { ForbiddenError } from '../errors';
import { apiMessage } from '../i18n/api-messages';

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
  /** `action`: the option of the "api" message policyPrevents that names the change. */
  const deny = (flag: string, action: string, changed: boolean) => {
    if (changed && policy[flag] === true) throw new ForbiddenError(apiMessage('policyPrevents', { action }));
  };
  deny('PreventChangeAccountName', 'accountName', out.AccountName !== stored.AccountName);
  deny('PreventChangeEmailSettings', 'emailSettings', JSON.stringify(out.Emails ?? []) !== JSON.stringify(stored.Emails ?? []) || out.SendEmailReports !== stored.SendEmailReports);
  const vaultsBefore = keys(stored.Destinations);
  const vaultsAfter = keys(out.Destinations);
  deny('PreventDeleteStorageVault', 'deleteVaults', [...vaultsBefore].some((id) => !vaultsAfter.has(id)));
  deny('PreventAddCustomStorageVault', 'addVaults', [...vaultsAfter].some((id) => !vaultsBefore.has(id)));
  const itemsBefore = keys(stored.Sources);
  const itemsAfter = keys(out.Sources);
  deny('PreventNewProtectedItem', 'addItems', [...itemsAfter].some((id) => !itemsBefore.has(id)));
  deny('PreventDeleteProtectedItem', 'deleteItems', [...itemsBefore].some((id) => !itemsAfter.has(id)));
  return out;
}
