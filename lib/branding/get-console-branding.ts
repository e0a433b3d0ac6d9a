// HalleyBrandingConsole: the display branding of the console shell for any admin of an organization — its
// product name, colours and whether a logo is set — each empty field falling back to the server's (the
// top-level organization's), then Halley's. Only what the sign-in page already shows publicly; no secrets.
import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { readConsoleBranding } from './read-console-branding';

type TConsoleBranding = {
  BrandName: string;
  ProductName: string;
  TopColor: string;
  AccentColor: string;
  /** The sha256 of the logo image (admin/halley/branding/console-logo serves it), '' when there is none. */
  LogoHash: string;
};

const DEFAULT_NAME = 'Halley';
const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

export async function getConsoleBranding({ actor }: { actor: AdminActor }): Promise<TConsoleBranding> {
  const { own, server, logo } = await readConsoleBranding(actor);
  const pick = (k: string, ok: (v: string) => boolean = () => true) =>
    [own[k], server[k]].map((v) => (typeof v === 'string' ? v.trim() : '')).find((v) => v !== '' && ok(v)) ?? '';
  const brandName = pick('BrandName') || DEFAULT_NAME;
  // The organization's own name wins over the server's product name: a tenant that only set BrandName is that brand.
  const text = (b: Record<string, unknown>, k: string) => (typeof b[k] === 'string' ? (b[k] as string).trim() : '');
  const productName = text(own, 'ProductName') || text(own, 'BrandName') || text(server, 'ProductName') || brandName;
  const stored = logo
    ? // tenancy: derived — the logo resource named by the branding readConsoleBranding read (own organization's or the server's)
      await db().brandingResource.findFirst({ where: { tenantId: logo.tenantId, hash: logo.hash }, select: { hash: true, contentType: true } })
    : null;
  return {
    BrandName: brandName,
    ProductName: productName,
    TopColor: pick('TopColor', (v) => COLOR.test(v)),
    AccentColor: pick('AccentColor', (v) => COLOR.test(v)),
    LogoHash: stored && stored.contentType.startsWith('image/') ? stored.hash : '',
  };
}
