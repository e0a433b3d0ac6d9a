// The logo a client package carries: the LogoImage resource the organization's branding names.
import { db } from '../db/client';
import { RESOURCE_REF } from './branding-rules';

const EXT: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'image/x-icon': 'ico' };

/** `tenantId` is the organization whose branding the build takes (already chosen by the build's caller). */
export async function logoForBuild(tenantId: string, logoImage: unknown): Promise<{ name: string; bytes: Buffer } | null> {
  const ref = RESOURCE_REF.exec(typeof logoImage === 'string' ? logoImage : '');
  if (!ref) return null;
  // tenancy: derived — the resource of the organization whose branding the build was already scoped to
  const row = await db().brandingResource.findFirst({ where: { tenantId, hash: ref[1] }, select: { bytes: true, contentType: true } });
  const ext = row ? EXT[row.contentType] : undefined;
  return row && ext ? { name: `branding/logo.${ext}`, bytes: Buffer.from(row.bytes) } : null;
}
