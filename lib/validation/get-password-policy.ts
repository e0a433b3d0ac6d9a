import type { AdminActor } from '../tenancy/actor';
import type { PasswordPolicy } from './password-policy';
import { readPasswordPolicy } from './read-password-policy';

/**
 * HalleyAdminMetaPasswordPolicyGet: any administrator may read the policy (it is the same for every tenant, and
 * a tenant's console shows it next to its password fields); only the top level may change it.
 */
export async function getPasswordPolicy(_opts: { actor: AdminActor }): Promise<PasswordPolicy> {
  return readPasswordPolicy({ maxAgeMs: 0 });
}
