// The branding a visitor sees before signing in, chosen by the host name they reached this server on
// (lib/tenancy/host.ts): the organization's own BrandingOptions, each empty field falling back to the
// server's (the top-level organization's). Public by design: names, colours and the logo, nothing else.
import { db } from '../db/client';
import { TOP_LEVEL_TENANT_ID } from '../tenancy/actor';
import { tenantIdForHost } from '../tenancy/host';
import { RESOURCE_REF } from './branding-rules';

type TPublicBranding = {
  brandName: string;
  productName: string;
  topColor: string;
  accentColor: string;
  hideNewsArea: boolean;
  cloudStorageName: string;
  adminHidePreBuiltClientOption: boolean;
  adminHideBrandedCloudStorage: boolean;
  /** The logo resource (hash) and the organization that holds it, when one is set and stored. */
  logo: { tenantId: string; hash: string; contentType: string } | null;
};

const DEFAULT_NAME = 'Halley';

export async function publicBranding(host: string): Promise<TPublicBranding> {
  const tenantId = await tenantIdForHost(host);
  // tenancy: system — public sign-in branding of the organization that owns the request's host name, and the server's
  const rows = await db().tenant.findMany({ where: { id: { in: [tenantId, TOP_LEVEL_TENANT_ID] } }, select: { id: true, data: true } });
  const branding = (id: string) => (((rows.find((r) => r.id === id)?.data ?? {}) as Record<string, unknown>).Branding ?? {}) as Record<string, unknown>;
  const own = branding(tenantId);
  const server = tenantId === TOP_LEVEL_TENANT_ID ? {} : branding(TOP_LEVEL_TENANT_ID);
  const pick = (k: string) => [own[k], server[k]].find((v): v is string => typeof v === 'string' && v.trim() !== '')?.trim() ?? '';
  const flag = (k: string) => (own[k] ?? server[k]) === true;
  const brandName = pick('BrandName') || DEFAULT_NAME;
  // The logo comes from the organization whose branding names it.
  const logoOwner = typeof own.LogoImage === 'string' && own.LogoImage ? tenantId : TOP_LEVEL_TENANT_ID;
  const ref = RESOURCE_REF.exec(String((logoOwner === tenantId ? own : server).LogoImage ?? ''));
  const logo = ref
    ? // tenancy: system — the logo resource named by the public branding of the host's organization (or the server's)
      await db().brandingResource.findFirst({ where: { tenantId: logoOwner, hash: ref[1] }, select: { tenantId: true, hash: true, contentType: true } })
    : null;
  return {
    brandName,
    productName: pick('ProductName') || brandName,
    topColor: pick('TopColor'),
    accentColor: pick('AccentColor'),
    hideNewsArea: flag('HideNewsArea'),
    cloudStorageName: pick('CloudStorageName'),
    adminHidePreBuiltClientOption: flag('AdminHidePreBuiltClientOption'),
    adminHideBrandedCloudStorage: flag('AdminHideBrandedCloudStorage'),
    logo: logo && logo.contentType.startsWith('image/') ? logo : null,
  };
}

/** The sign-in logo's bytes for `host`, when its branding has a raster image logo. */
export async function publicLogo(host: string): Promise<{ bytes: Uint8Array; contentType: string; hash: string } | null> {
  const b = await publicBranding(host);
  if (!b.logo) return null;
  // tenancy: system — the logo resource publicBranding chose for this host
  const row = await db().brandingResource.findFirst({ where: { tenantId: b.logo.tenantId, hash: b.logo.hash }, select: { bytes: true, contentType: true, hash: true } });
  return row;
}
