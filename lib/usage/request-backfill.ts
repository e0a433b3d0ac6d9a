// Halley: asks the workers to back-fill the usage ledger of the organizations in the admin's scope.
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import type { AdminActor } from '../tenancy/actor';
import { resolveTargetTenant, tenantWhere } from '../tenancy/scope';
import { DAY_SECONDS, dayStart } from './day';
import { UsageJob, usageQueue } from './queue';
import { apiMessage, localizeApiMessage } from '../i18n/api-messages';
import type { Locale } from '../i18n/locales';

/** A back-fill covers at most this many days (a bit over a year). */
const MAX_BACKFILL_DAYS = 400;

/** `locale`: the language of the answer's Message (the caller's). */
export async function requestBackfill({ actor, days, force, targetOrganization, locale = 'en' }: { actor: AdminActor; days: number; force?: boolean; targetOrganization?: string; locale?: Locale }): Promise<{ Status: number; Message: string }> {
  if (!Number.isInteger(days) || days < 1 || days > MAX_BACKFILL_DAYS) throw new BadRequestError(apiMessage('backfillDaysRange', { max: String(MAX_BACKFILL_DAYS) }));
  const target = await resolveTargetTenant(actor, targetOrganization);
  const scope = tenantWhere(actor, target);
  const tenants = await db().tenant.findMany({ where: scope.tenantId ? { id: scope.tenantId } : {}, select: { id: true } });
  const to = dayStart(Date.now() / 1000);
  const from = to - (days - 1) * DAY_SECONDS;
  const queue = await usageQueue();
  await queue.addBulk(
    tenants.map((t) => ({
      name: UsageJob.BACKFILL,
      data: { tenantId: t.id, from, to, force: !!force },
      opts: { jobId: `usage-backfill.${t.id}.${from}.${to}.${force ? 1 : 0}`, attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: true, removeOnFail: 100 },
    })),
  );
  return { Status: 200, Message: localizeApiMessage(apiMessage('usageBackfillRequested', { days, count: tenants.length }), locale) };
}
