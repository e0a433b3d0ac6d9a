import { StreamableEventType as SEVT } from '../comet/constants';
import type { Tx } from '../db/client';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import type { PolicyRow } from './policy-row';

/** Refreshes the effective Policy copy in every account that uses this policy. */
export async function propagatePolicy(tx: Tx, actor: AdminActor, row: PolicyRow): Promise<void> {
  // tenancy: derived — the policy row (and its tenantId) was reached with tenantWhere by the caller
  const accounts = await tx.account.findMany({ where: { tenantId: row.tenantId, policyId: row.id }, select: { id: true, username: true } });
  if (!accounts.length) return;
  await tx.$executeRaw`UPDATE "Account" SET data = jsonb_set(data, '{Policy}', ${JSON.stringify(row.policy ?? {})}::jsonb), "updatedAt" = now()
    WHERE "tenantId" = ${row.tenantId} AND "policyId" = ${row.id}`;
  for (const a of accounts) {
    await emitEvent(tx, actor, { tenantId: row.tenantId, type: SEVT.SEVT_ACCOUNT_UPDATED, resourceId: a.username, data: { Username: a.username } });
  }
}
