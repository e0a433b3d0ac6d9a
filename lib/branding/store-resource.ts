// AdminMetaResourceNew: stores an uploaded file (a logo, favicon, icon, EULA) in the admin's own
// organization under the SHA-256 of its bytes, the ResourceHash branding refers to as "resource://<hash>".
// Uploading the same bytes twice is the same resource.
import { createHash } from 'node:crypto';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import type { AdminActor } from '../tenancy/actor';
import { ownTenantWhere } from '../tenancy/scope';
import { sniffResourceType } from './resource-type';

const MAX_RESOURCE_BYTES = 8 * 1024 * 1024;

export async function storeResource({ actor, uploadBase64 }: { actor: AdminActor; uploadBase64: string }): Promise<{ hash: string }> {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(uploadBase64)) throw new BadRequestError(apiMessage('resourceNoUpload'));
  const bytes = Buffer.from(uploadBase64, 'base64');
  if (bytes.length === 0) throw new BadRequestError(apiMessage('resourceNoUpload'));
  if (bytes.length > MAX_RESOURCE_BYTES) throw new BadRequestError(apiMessage('resourceTooLarge', { limit: MAX_RESOURCE_BYTES }));
  const hash = createHash('sha256').update(bytes).digest('hex');
  const own = ownTenantWhere(actor);
  await db().brandingResource.upsert({
    where: { tenantId_hash: { ...own, hash } },
    create: { ...own, hash, contentType: sniffResourceType(bytes), bytes },
    update: {},
  });
  return { hash };
}
