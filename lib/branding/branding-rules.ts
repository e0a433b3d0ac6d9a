// What a BrandingOptions may hold on Halley. Images and files are resources uploaded through
// admin/meta/resource/new and referred to as "resource://<sha256>" (Comet's convention); Halley does not let
// branding name files on the server's disk (a tenant admin could otherwise read any file into a build).
import { BRANDINGSTYLETYPE, ClientBrandingBuildMode } from '../comet/constants';
import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import { isHttpUrl } from '../validation/http-url';

export const RESOURCE_REF = /^resource:\/\/([0-9a-f]{64})$/;
const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const COLOR_FIELDS = ['TopColor', 'AccentColor', 'TileBackgroundColor'] as const;
const URL_FIELDS = ['HelpURL', 'AccountRegisterURL', 'DefaultLoginServerURL'] as const;
const TEXT_FIELDS = ['BrandName', 'ProductName', 'CompanyName', 'CloudStorageName', 'PackageIdentifier'] as const;
/** Fields that name a file: the images, the client build's icons and EULA, the code-signing files. */
const FILE_FIELDS = [
  'LogoImage',
  'Favicon',
  'PathIcoFile',
  'PathIcnsFile',
  'PathMenuBarIcnsFile',
  'PathEulaRtf',
  'PathTilePng',
  'PathHeaderImage',
  'PathAppIconImage',
  'WindowsCodeSignPKCS12FilePath',
  'WindowsCodeSignPKCS11Certfile',
  'WindowsCodeSignRelicKeypairFile',
] as const;

const MAX_TEXT = 255;

/**
 * The value rules of a BrandingOptions (style, build mode, colours, http(s) URLs, text lengths); `where` prefixes the
 * field named in a refusal (AdminOrganizationSet checks an Organization's Branding with it: "Organization.Branding").
 */
export function checkBrandingValues(b: Record<string, unknown>, where = ''): void {
  const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
  const field = (k: string) => (where ? `${where}.${k}` : k);
  const style = b.BrandingStyleType;
  if (style !== undefined && !(Object.values(BRANDINGSTYLETYPE) as unknown[]).includes(style)) {
    throw new BadRequestError(apiMessage('brandingBadValue', { field: field('BrandingStyleType') }));
  }
  if (b.BuildMode !== undefined && !(Object.values(ClientBrandingBuildMode) as unknown[]).includes(b.BuildMode)) {
    throw new BadRequestError(apiMessage('brandingBadValue', { field: field('BuildMode') }));
  }
  for (const k of COLOR_FIELDS) if (str(k) !== '' && !COLOR.test(str(k))) throw new BadRequestError(apiMessage('brandingBadColor', { field: field(k) }));
  for (const k of URL_FIELDS) {
    const v = str(k);
    if (v !== '' && !isHttpUrl(v)) throw new BadRequestError(apiMessage('brandingBadUrl', { field: field(k) }));
  }
  for (const k of TEXT_FIELDS) if (str(k).length > MAX_TEXT) throw new BadRequestError(apiMessage('brandingTooLong', { field: field(k), limit: MAX_TEXT }));
}

/**
 * Checks `b` and answers the resource hashes it refers to (each must exist in the tenant; the caller checks).
 * A file field left as `stored` has it (the organization's branding before this change) is kept as it is, whatever it
 * holds: organization/set stores Comet's disk paths unchanged (an imported organization carries them), and nothing in
 * Halley reads a file field except through RESOURCE_REF in the organization's own resources, so such a path is inert;
 * refusing it would only keep that organization's admins from saving their branding page. A new value must be an
 * uploaded resource.
 */
export function checkBranding(b: Record<string, unknown>, stored: Record<string, unknown> = {}): string[] {
  const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
  checkBrandingValues(b);
  const hashes: string[] = [];
  for (const k of FILE_FIELDS) {
    const v = str(k);
    if (v === '' || v === stored[k]) continue;
    const m = RESOURCE_REF.exec(v);
    if (!m) throw new BadRequestError(apiMessage('brandingNotResource', { field: k }));
    hashes.push(m[1]);
  }
  return [...new Set(hashes)];
}
