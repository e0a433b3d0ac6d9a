// AdminNewsRemove: removes one news item the admin may see; another organization's item answers exactly
// like a missing one.
import { db } from '../db/client';
import { NotFoundError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';

export async function removeNews({ actor, newsId }: { actor: AdminActor; newsId: string }): Promise<void> {
  const gone = await db().newsItem.deleteMany({ where: { id: newsId, ...tenantWhere(actor) } });
  if (gone.count === 0) throw new NotFoundError(apiMessage('newsNotFound', { id: newsId.slice(0, 100) }));
}
