// AdminBulletinSubmit: an email to every user the admin may reach (Comet: "Send an email bulletin to all
// users"): the users of the admin's organization, or of every organization for a top-level admin. The row
// is recorded here; the bulletin job makes one email delivery per address (lib/news/send-bulletin.ts).
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import type { AdminActor } from '../tenancy/actor';
import { ownTenantWhere } from '../tenancy/scope';
import { enqueueBulletin } from './bulletin-queue';
import { MAX_NEWS_CHARS } from './news-dto';

const MAX_SUBJECT_CHARS = 500;

export async function submitBulletin({ actor, subject, content }: { actor: AdminActor; subject: string; content: string }): Promise<{ id: string }> {
  const s = subject.replace(/[\r\n]+/g, ' ').trim();
  if (s === '') throw new BadRequestError(apiMessage('bulletinNoSubject'));
  if (s.length > MAX_SUBJECT_CHARS) throw new BadRequestError(apiMessage('bulletinSubjectTooLong', { limit: MAX_SUBJECT_CHARS }));
  if (content.trim() === '') throw new BadRequestError(apiMessage('bulletinNoContent'));
  if (content.length > MAX_NEWS_CHARS) throw new BadRequestError(apiMessage('newsTooLong', { limit: MAX_NEWS_CHARS }));
  const row = await db().bulletin.create({ data: { ...ownTenantWhere(actor), subject: s, content, createdBy: actor.username }, select: { id: true, tenantId: true } });
  // A crash between the insert and the enqueue leaves a "queued" row: listBulletins shows it, and
  // resubmitting is the remedy (the job is idempotent per bulletin).
  await enqueueBulletin(row.tenantId, row.id);
  return { id: row.id };
}
