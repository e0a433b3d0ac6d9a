// The tenancy rule for rows already in memory (live connections, lobby devices, outbox rows): the same
// answer `tenantWhere`/`accountScopeWhere` give in a query.
import type { AdminActor, TenantViewer, UserActor } from './actor';

/**
 * Whether `viewer` may see a row of `tenantId` (and, for an end user, of `accountId`): top level sees every
 * tenant, a tenant admin its own, an end user only its own account's rows in its tenant.
 */
export function canSee(viewer: AdminActor | UserActor | TenantViewer, tenantId: string, accountId?: string | null): boolean {
  if (viewer.kind === 'user') return tenantId === viewer.tenantId && accountId === viewer.accountId;
  return viewer.isTopLevel || tenantId === viewer.tenantId;
}
