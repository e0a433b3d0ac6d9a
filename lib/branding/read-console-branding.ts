// The branding rows the console shell reads for an admin: its own organization's BrandingOptions and the server's
// (the top-level organization's, the documented fallback), and the logo resource they name (own first).
import { db } from '../db/client';
import { TOP_LEVEL_TENANT_ID, type AdminActor } from '../tenancy/actor';
import { RESOURCE_REF } from './branding-rules';

type TBranding = Record<string, unknown>;

export async function readConsoleBranding(actor: AdminActor): Promise<{ own: TBranding; server: TBranding; logo: { tenantId: string; hash: string } | null }> {
  // tenancy: own — the admin's own organization and the server's branding, its fallback (callers pass on display fields only)
  const rows = await db().tenant.findMany({ where: { id: { in: [actor.tenantId, TOP_LEVEL_TENANT_ID] } }, select: { id: true, data: true } });
  const of = (id: string) => (((rows.find((r) => r.id === id)?.data ?? {}) as TBranding).Branding ?? {}) as TBranding;
  const own = of(actor.tenantId);
  const server = actor.tenantId === TOP_LEVEL_TENANT_ID ? {} : of(TOP_LEVEL_TENANT_ID);
  const ownLogo = typeof own.LogoImage === 'string' && own.LogoImage !== '';
  const ref = RESOURCE_REF.exec(String((ownLogo ? own : server).LogoImage ?? ''));
  return { own, server, logo: ref ? { tenantId: ownLogo ? actor.tenantId : TOP_LEVEL_TENANT_ID, hash: ref[1] } : null };
}
