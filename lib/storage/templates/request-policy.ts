// What an end user's policy says about requesting a vault: PreventRequestStorageVault forbids it, and
// StorageVaultProviders (when ShouldRestrictProviderList) limits the DESTINATIONTYPE_* the new vault
// may have. A "custom" template's type is only known from its answer, so it is checked again then.
import { DESTINATIONTYPE } from '../../comet/constants';

const TYPE_OF_TEMPLATE: Record<string, number> = {
  comet: DESTINATIONTYPE.DESTINATIONTYPE_COMET,
  s3: DESTINATIONTYPE.DESTINATIONTYPE_S3,
  aws: DESTINATIONTYPE.DESTINATIONTYPE_S3,
  wasabi: DESTINATIONTYPE.DESTINATIONTYPE_S3,
  idrivee2: DESTINATIONTYPE.DESTINATIONTYPE_S3,
  b2: DESTINATIONTYPE.DESTINATIONTYPE_B2,
};

/** null when allowed, else the reason. */
export function destinationAllowedByPolicy(policy: Record<string, any>, destinationType: number): string | null {
  const p = policy.StorageVaultProviders;
  if (!p?.ShouldRestrictProviderList) return null;
  const allowed = ((p.AllowedProvidersWhenRestricted ?? []) as unknown[]).map(Number);
  return allowed.includes(destinationType) ? null : `Your policy does not allow storage vaults of type ${destinationType}`;
}

/** null when the policy allows requesting a vault from a template of this type, else the reason. */
export function templateAllowedByPolicy(policy: Record<string, any>, templateType: string): string | null {
  if (policy.PreventRequestStorageVault === true) return 'Your policy does not allow requesting a storage vault';
  const type = TYPE_OF_TEMPLATE[templateType];
  return type === undefined ? null : destinationAllowedByPolicy(policy, type);
}
