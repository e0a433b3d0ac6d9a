// AdminNewsRemove: removes one news item the admin may see; another organization's item answers exactly
// like a missing one.
import { db } from '../db/client';
import { NotFoundError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { enqueueNewsPush } from './news-queue';

export async function removeNews({ actor, newsId }: { actor: AdminActor; newsId: string }): Promise<void> {
  const item = await db().newsItem.findFirst({ where: { id: newsId, ...tenantWhere(actor) }, select: { tenantId: true } });
  const gone = item ? await db().newsItem.deleteMany({ where: { id: newsId, ...tenantWhere(actor) } }) : { count: 0 };
  if (!item || gone.count === 0) throw new NotFoundError(apiMessage('newsNotFound', { id: newsId.slice(0, 100) }));
  // Connected devices drop it now; others get the current list when they connect.
  await enqueueNewsPush({ tenantId: item.tenantId, removedId: newsId });
}
