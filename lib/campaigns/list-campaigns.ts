// Halley extension: the campaign history (newest first), each with its settings and per-status counts.
import { db } from '../db/client';
import type { Locale } from '../i18n/locales';
import type { AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';
import { CAMPAIGN_SELECT, campaignSummary, statusCounts, type TCampaignSummary } from './campaign-summary';

/** `locale`: the language of each PauseReason (the reader's). */
export async function listCampaigns(opts: { actor: AdminActor; limit?: number; locale?: Locale }): Promise<TCampaignSummary[]> {
  requireTopLevel(opts.actor);
  const rows = await db().campaign.findMany({ select: CAMPAIGN_SELECT, orderBy: [{ startTime: 'desc' }, { createdAt: 'desc' }], take: Math.min(Math.max(opts.limit ?? 50, 1), 500) });
  const counts = await statusCounts(rows.map((r) => r.id));
  return rows.map((r) => campaignSummary(r, counts.get(r.id)!, opts.locale));
}
