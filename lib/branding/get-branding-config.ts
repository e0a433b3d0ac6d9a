// AdminMetaBrandingConfigGet: the admin's own organization's BrandingOptions (the top-level
// organization's are the server's), in Comet's exact shape with secrets blanked.
import { db } from '../db/client';
import { shapeWire } from '../profile/mapper';
import type { AdminActor } from '../tenancy/actor';

type TBrandingFragment = { Branding: Record<string, unknown> };

export async function getBrandingConfig({ actor }: { actor: AdminActor }): Promise<TBrandingFragment> {
  const row = await db().tenant.findFirst({ where: { id: actor.tenantId }, select: { data: true } });
  const data = (row?.data ?? {}) as Record<string, unknown>;
  return { Branding: shapeWire('BrandingOptions', data.Branding ?? {}) as Record<string, unknown> };
}
