// AdminNewsSubmit: a news item in the admin's own organization, shown to its admins and users.
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import type { AdminActor } from '../tenancy/actor';
import { ownTenantWhere } from '../tenancy/scope';
import { MAX_NEWS_CHARS } from './news-dto';
import { enqueueNewsPush } from './news-queue';

export async function submitNews({ actor, content }: { actor: AdminActor; content: string }): Promise<{ id: string }> {
  const text = content.trim();
  if (text === '') throw new BadRequestError(apiMessage('newsEmpty'));
  if (text.length > MAX_NEWS_CHARS) throw new BadRequestError(apiMessage('newsTooLong', { limit: MAX_NEWS_CHARS }));
  const row = await db().newsItem.create({
    data: { ...ownTenantWhere(actor), textContent: text, dateTime: BigInt(Math.floor(Date.now() / 1000)), createdBy: actor.username },
    select: { id: true, tenantId: true },
  });
  // Connected devices get it from the workers (push-news.ts); a device offline now gets it when it connects.
  await enqueueNewsPush({ tenantId: row.tenantId, newsId: row.id });
  return { id: row.id };
}
