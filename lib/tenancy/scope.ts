// Tenancy in one place. Every query on tenant-owned rows spreads `tenantWhere(...)` into its own
// `where`, so authorisation and the read/write are one statement (never "load by id, then check").
import { db } from '../db/client';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors';
import { TOP_LEVEL_TENANT_ID, type AdminActor, type UserActor } from './actor';

export type TenantWhere = { tenantId?: string };

/**
 * The rows an admin may see. Tenant admins: their tenant only. Top-level admins: everything,
 * or one tenant when they pass TargetOrganization (already resolved by `resolveTargetTenant`).
 */
export function tenantWhere(actor: AdminActor, targetTenantId?: string): TenantWhere {
  if (!actor.isTopLevel) return { tenantId: actor.tenantId };
  return targetTenantId ? { tenantId: targetTenantId } : {};
}

/** An end user sees only their own tenant (and, in the domain functions, their own account). */
export function userTenantWhere(actor: UserActor): TenantWhere {
  return { tenantId: actor.tenantId };
}

/**
 * Resolves Comet's TargetOrganization (top-level admins only) to a tenant id. "" or absent means
 * "not given"; an unknown organization answers like a missing one.
 */
export async function resolveTargetTenant(actor: AdminActor, targetOrganization: string | undefined): Promise<string | undefined> {
  if (targetOrganization === undefined || targetOrganization === '') return undefined;
  if (!actor.isTopLevel) throw new ForbiddenError('TargetOrganization is only available to top-level administrators');
  if (targetOrganization === TOP_LEVEL_TENANT_ID) return TOP_LEVEL_TENANT_ID;
  const tenant = await db().tenant.findUnique({ where: { id: targetOrganization }, select: { id: true } });
  if (!tenant) throw new NotFoundError(`Organization '${targetOrganization}' was not found`);
  return tenant.id;
}

/** The tenant a new object is created in. */
export async function creationTenant(actor: AdminActor, targetOrganization: string | undefined): Promise<string> {
  return (await resolveTargetTenant(actor, targetOrganization)) ?? actor.tenantId;
}

export function requireTopLevel(actor: AdminActor): void {
  if (!actor.isTopLevel) throw new ForbiddenError('This action is only available to top-level administrators');
}

export function assertNonEmpty(value: string, what: string): void {
  if (value.trim() === '') throw new BadRequestError(`${what} must not be empty`);
}
