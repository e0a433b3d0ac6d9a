// AdminMetaResourceGet and the sign-in page's logo: one resource of an organization by its hash. Another
// organization's hash answers exactly like a missing one.
import { db } from '../db/client';
import { NotFoundError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import type { AdminActor } from '../tenancy/actor';
import { ownTenantWhere } from '../tenancy/scope';

type TResource = { hash: string; contentType: string; bytes: Uint8Array };

export async function getResource({ actor, hash }: { actor: AdminActor; hash: string }): Promise<TResource> {
  const row = /^[0-9a-f]{64}$/.test(hash)
    ? await db().brandingResource.findFirst({ where: { hash, ...ownTenantWhere(actor) }, select: { hash: true, contentType: true, bytes: true } })
    : null;
  if (!row) throw new NotFoundError(apiMessage('resourceNotFound', { hash: hash.slice(0, 100) }));
  return row;
}
