import type { Tx } from '../db/client';

/** Only one default policy per tenant: setting one clears the flag on the others. */
export async function clearOtherDefaultPolicies(tx: Tx, tenantId: string, keepId: string): Promise<void> {
  // tenancy: derived — the policy row (and its tenantId) was reached with tenantWhere by the caller
  await tx.policy.updateMany({ where: { tenantId, defaultUserPolicy: true, NOT: { id: keepId } }, data: { defaultUserPolicy: false } });
}
