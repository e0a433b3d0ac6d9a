// Halley extension: one campaign's devices with their outcome, filtered and paged (the console's table;
// Comet's status lists every device at once).
import { db } from '../db/client';
import { NotFoundError } from '../errors';
import type { Prisma } from '../generated/prisma/client';
import { wireOrganizationId, type AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';
import { CAMPAIGN_SELECT, campaignSummary, statusCounts, type TCampaignSummary } from './campaign-summary';
import { apiMessage } from '../i18n/api-messages';
import type { Locale } from '../i18n/locales';
import { renderStoredMessage } from '../i18n/stored-message';

type TCampaignDeviceEntry = {
  Username: string;
  DeviceID: string;
  FriendlyName: string;
  OrganizationID: string;
  Status: number;
  Wave: number;
  ReportedVersion: string;
  RequestTime: number;
  ResultTime: number;
  Message: string;
};

export type TCampaignDevicePage = { Campaign: TCampaignSummary | null; Devices: TCampaignDeviceEntry[]; Total: number };

export async function listCampaignDevices(opts: {
  actor: AdminActor;
  campaignId?: string;
  status?: number;
  search?: string;
  offset?: number;
  limit?: number;
  /** The language of each device's Message and of PauseReason (the reader's); rows from before keep their English text. */
  locale?: Locale;
}): Promise<TCampaignDevicePage> {
  requireTopLevel(opts.actor);
  const campaign = opts.campaignId
    ? await db().campaign.findUnique({ where: { id: opts.campaignId }, select: CAMPAIGN_SELECT })
    : await db().campaign.findFirst({ where: { current: true }, select: CAMPAIGN_SELECT });
  if (!campaign) {
    if (opts.campaignId) throw new NotFoundError(apiMessage('campaignNotFound', { id: opts.campaignId.slice(0, 100) }));
    return { Campaign: null, Devices: [], Total: 0 };
  }
  const search = opts.search?.trim();
  const where: Prisma.CampaignDeviceWhereInput = {
    campaignId: campaign.id,
    ...(opts.status !== undefined ? { status: opts.status } : {}),
    ...(search
      ? { OR: [{ username: { contains: search, mode: 'insensitive' } }, { deviceId: { contains: search, mode: 'insensitive' } }, { friendlyName: { contains: search, mode: 'insensitive' } }] }
      : {}),
  };
  // tenancy: top-level — campaign devices of every tenant (requireTopLevel above)
  const [rows, total, counts] = await Promise.all([
    db().campaignDevice.findMany({
      where,
      orderBy: [{ username: 'asc' }, { deviceId: 'asc' }],
      skip: Math.max(opts.offset ?? 0, 0),
      take: Math.min(Math.max(opts.limit ?? 100, 1), 1000),
      select: { username: true, deviceId: true, friendlyName: true, tenantId: true, status: true, wave: true, version: true, requestTime: true, resultTime: true, message: true, messageKey: true },
    }),
    // tenancy: top-level — counted over every tenant (requireTopLevel above)
    db().campaignDevice.count({ where }),
    statusCounts([campaign.id]),
  ]);
  return {
    Campaign: campaignSummary(campaign, counts.get(campaign.id)!, opts.locale),
    Devices: rows.map((r) => ({
      Username: r.username,
      DeviceID: r.deviceId,
      FriendlyName: r.friendlyName,
      OrganizationID: wireOrganizationId(r.tenantId),
      Status: r.status,
      Wave: r.wave,
      ReportedVersion: r.version,
      RequestTime: Math.floor(Number(r.requestTime) / 1000),
      ResultTime: Math.floor(Number(r.resultTime) / 1000),
      Message: renderStoredMessage(r.messageKey, r.message, opts.locale ?? 'en'),
    })),
    Total: total,
  };
}
