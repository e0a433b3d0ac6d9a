// Tenancy in one place. Every query on tenant-owned rows spreads `tenantWhere(...)` (or `ownTenantWhere`)
// into its own `where`, so authorisation and the read/write are one statement (never "load by id, then
// check"). Raw SQL uses `tenantSql` (lib/tenancy/tenant-sql.ts), rows already in memory `canSee`
// (lib/tenancy/can-see.ts): the same rule in the three forms a query can take.
import { db } from '../db/client';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors';
import { TOP_LEVEL_TENANT_ID, type AdminActor, type TenantViewer, type UserActor } from './actor';
import { apiMessage } from '../i18n/api-messages';

export type TenantWhere = { tenantId?: string };

/** The rows an actor may reach, account included: what Job, Device and other per-account rows are filtered by. */
export type AccountScope = { tenantId?: string; accountId?: string };

/**
 * The rows an admin may see. Tenant admins: their tenant only. Top-level admins: everything,
 * or one tenant when they pass TargetOrganization (already resolved by `resolveTargetTenant`).
 */
export function tenantWhere(actor: AdminActor | TenantViewer, targetTenantId?: string): TenantWhere {
  if (!actor.isTopLevel) return { tenantId: actor.tenantId };
  return targetTenantId ? { tenantId: targetTenantId } : {};
}

/**
 * The actor's own tenant, whatever its level: for resources every organization keeps for itself
 * (its external auth sources, webhooks, email options), which a top-level admin does not see across tenants.
 */
export function ownTenantWhere(actor: AdminActor | UserActor): { tenantId: string } {
  return { tenantId: actor.tenantId };
}

/** Admins: `tenantWhere`; end users: their own account in their tenant. A Prisma `where` on any row with both columns. */
export function accountScopeWhere(actor: AdminActor | UserActor): AccountScope {
  if (actor.kind === 'user') return { ...ownTenantWhere(actor), accountId: actor.accountId };
  return tenantWhere(actor);
}

/** The rows of one account (already reached in scope), for lists and reports that cover exactly that account. */
export function accountRowsScope(account: { id: string; tenantId: string }): Required<AccountScope> {
  return { tenantId: account.tenantId, accountId: account.id };
}

/**
 * Resolves Comet's TargetOrganization (top-level admins only) to a tenant id. "" or absent means
 * "not given"; an unknown organization answers like a missing one.
 */
export async function resolveTargetTenant(actor: AdminActor, targetOrganization: string | undefined): Promise<string | undefined> {
  if (targetOrganization === undefined || targetOrganization === '') return undefined;
  if (!actor.isTopLevel) throw new ForbiddenError(apiMessage('targetOrgTopLevelOnly'));
  if (targetOrganization === TOP_LEVEL_TENANT_ID) return TOP_LEVEL_TENANT_ID;
  const tenant = await db().tenant.findUnique({ where: { id: targetOrganization }, select: { id: true } });
  if (!tenant) throw new NotFoundError(apiMessage('organizationNotFound', { id: String(targetOrganization) }));
  return tenant.id;
}

/** The one tenant an admin acts in: the TargetOrganization it names (top level only), else its own (creations, per-tenant settings). */
export async function targetTenant(actor: AdminActor, targetOrganization: string | undefined): Promise<string> {
  return (await resolveTargetTenant(actor, targetOrganization)) ?? actor.tenantId;
}

export function requireTopLevel(actor: AdminActor): void {
  if (!actor.isTopLevel) throw new ForbiddenError(apiMessage('topLevelOnly'));
}

export function assertNonEmpty(value: string, what: string): void {
  if (value.trim() === '') throw new BadRequestError(apiMessage('fieldEmpty', { field: what }));
}
