import { db } from '../db/client';
import { TOP_LEVEL_TENANT_ID } from '../tenancy/actor';

/** The server's BrandingOptions: the top-level organization's (Comet keeps them in both places). */
export async function readTopLevelBranding(): Promise<Record<string, unknown>> {
  // tenancy: top-level — server-config is read by top-level admins only (requireTopLevel in the caller)
  const row = await db().tenant.findUnique({ where: { id: TOP_LEVEL_TENANT_ID }, select: { data: true } });
  const data = (row?.data ?? {}) as Record<string, unknown>;
  return (data.Branding as Record<string, unknown> | undefined) ?? {};
}
