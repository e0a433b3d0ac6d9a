// The tenant choices of the console's selects (top-level admins only): the top level first, then every
// tenant, from organization/list.
import type { AdminActor } from '../../tenancy/actor';
import { api } from './session';

export type TenantOption = { id: string; name: string };

export async function tenantOptions(admin: AdminActor, topLevelName: string): Promise<TenantOption[] | null> {
  if (!admin.isTopLevel) return null;
  const orgs = await api<Record<string, { Name: string }>>('/api/v1/admin/organization/list');
  return [{ id: '', name: topLevelName }, ...Object.entries(orgs).map(([id, o]) => ({ id, name: o.Name }))];
}
