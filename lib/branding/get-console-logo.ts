// HalleyBrandingConsoleLogo: the bytes of the logo the console shell shows (getConsoleBranding's LogoHash):
// the admin's own organization's, else the server's. No logo (or not an image) answers like a missing resource.
import { db } from '../db/client';
import { NotFoundError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import type { AdminActor } from '../tenancy/actor';
import { readConsoleBranding } from './read-console-branding';

type TConsoleLogo = { hash: string; contentType: string; bytes: Uint8Array };

export async function getConsoleLogo({ actor }: { actor: AdminActor }): Promise<TConsoleLogo> {
  const { logo } = await readConsoleBranding(actor);
  const row = logo
    ? // tenancy: derived — the logo resource named by the branding readConsoleBranding read (own organization's or the server's)
      await db().brandingResource.findFirst({ where: { tenantId: logo.tenantId, hash: logo.hash }, select: { hash: true, contentType: true, bytes: true } })
    : null;
  if (!row || !row.contentType.startsWith('image/')) throw new NotFoundError(apiMessage('resourceNotFound', { hash: logo?.hash ?? '' }));
  return row;
}
