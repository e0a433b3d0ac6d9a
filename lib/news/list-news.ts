// AdminNewsGetAll / UserWebNewsGetAll: the news items of the caller's organization, newest first. A
// top-level admin sees every organization's items (each carries its OrganizationID).
import { db } from '../db/client';
import type { AdminActor, UserActor } from '../tenancy/actor';
import { ownTenantWhere, tenantWhere } from '../tenancy/scope';
import { newsEntriesDto, type TNewsEntries } from './news-dto';

/** Enough for any news panel; older items stay stored and reappear when newer ones are removed. */
const MAX_ITEMS = 500;

export async function listNews({ actor }: { actor: AdminActor | UserActor }): Promise<TNewsEntries> {
  const scope = actor.kind === 'admin' ? tenantWhere(actor) : ownTenantWhere(actor);
  const rows = await db().newsItem.findMany({
    where: { ...scope },
    orderBy: [{ dateTime: 'desc' }, { seq: 'desc' }],
    take: MAX_ITEMS,
    select: { id: true, tenantId: true, dateTime: true, textContent: true },
  });
  return newsEntriesDto(rows);
}
