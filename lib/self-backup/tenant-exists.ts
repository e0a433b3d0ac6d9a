import { db } from '../db/client';

/** Whether `id` names an organization (for RestrictToSingleOrgID; callers are top-level admins). */
export async function tenantExists(id: string): Promise<boolean> {
  if (!/^[0-9a-fA-F-]{1,64}$/.test(id)) return false;
  // tenancy: top-level — only top-level admins configure self-backups and exports (requireTopLevel before)
  return (await db().tenant.count({ where: { id } })) > 0;
}
