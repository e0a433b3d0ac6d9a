// The DTO of a campaign for Halley's history and console (never the Prisma row): its settings, state and
// how many devices are in each UPDATESTATUS_.
import { UpdateStatus } from '../comet/constants';
import { db } from '../db/client';
import type { Locale } from '../i18n/locales';
import { renderStoredMessage } from '../i18n/stored-message';
import type { TUpdateCampaignOptions } from './campaign-options';

export const CAMPAIGN_SELECT = {
  id: true,
  state: true,
  current: true,
  options: true,
  targetVersion: true,
  startTime: true,
  endTime: true,
  completedTime: true,
  canaryPercent: true,
  batchSize: true,
  failureThreshold: true,
  currentWave: true,
  pauseReason: true,
  pauseReasonKey: true,
  startedBy: true,
} as const;

type TCampaignRow = {
  id: string;
  state: string;
  current: boolean | null;
  options: unknown;
  targetVersion: string;
  startTime: bigint;
  endTime: bigint;
  completedTime: bigint;
  canaryPercent: number;
  batchSize: number;
  failureThreshold: number;
  currentWave: number;
  pauseReason: string;
  pauseReasonKey: unknown;
  startedBy: string;
};

type TStatusCounts = { NotSeen: number; Ineligible: number; Pending: number; RequestMade: number; Confirmed: number; Failed: number };

export type TCampaignSummary = {
  CampaignID: string;
  State: string;
  Active: boolean;
  Current: boolean;
  StartTime: number;
  EndTime: number;
  CompletedTime: number;
  TargetVersion: string;
  Options: TUpdateCampaignOptions;
  CanaryPercent: number;
  BatchSize: number;
  FailureThresholdPercent: number;
  CurrentWave: number;
  PauseReason: string;
  StartedBy: string;
  Counts: TStatusCounts;
  Eligible: number;
  /** UPDATE_CONFIRMED devices as a share of the eligible ones (0-100, one decimal). */
  UptakePercent: number;
};

/** A campaign is active (it still updates devices that connect) until it is stopped, replaced or aborted. */
export function isActiveState(state: string): boolean {
  return state === 'running' || state === 'paused';
}

export async function statusCounts(campaignIds: string[]): Promise<Map<string, TStatusCounts>> {
  const out = new Map<string, TStatusCounts>();
  for (const id of campaignIds) out.set(id, { NotSeen: 0, Ineligible: 0, Pending: 0, RequestMade: 0, Confirmed: 0, Failed: 0 });
  if (campaignIds.length === 0) return out;
  // tenancy: top-level — campaign history is server-wide; callers are top-level admins or the workers
  const groups = await db().campaignDevice.groupBy({ by: ['campaignId', 'status'], where: { campaignId: { in: campaignIds } }, _count: { _all: true } });
  const key: Record<number, keyof TStatusCounts> = {
    [UpdateStatus.UPDATESTATUS_NOT_SEEN]: 'NotSeen',
    [UpdateStatus.UPDATESTATUS_INELIGIBLE]: 'Ineligible',
    [UpdateStatus.UPDATESTATUS_PENDING]: 'Pending',
    [UpdateStatus.UPDATESTATUS_REQUEST_MADE]: 'RequestMade',
    [UpdateStatus.UPDATESTATUS_UPDATE_CONFIRMED]: 'Confirmed',
    [UpdateStatus.UPDATESTATUS_UPDATE_FAILED]: 'Failed',
  };
  for (const g of groups) {
    const counts = out.get(g.campaignId)!;
    const k = key[g.status];
    if (k) counts[k] += g._count._all;
  }
  return out;
}

/** `locale`: the language of PauseReason (the reader's); a campaign paused before keeps its English text. */
export function campaignSummary(row: TCampaignRow, counts: TStatusCounts, locale: Locale = 'en'): TCampaignSummary {
  const eligible = counts.Pending + counts.RequestMade + counts.Confirmed + counts.Failed;
  return {
    CampaignID: row.id,
    State: row.state,
    Active: isActiveState(row.state),
    Current: row.current === true,
    StartTime: Number(row.startTime),
    EndTime: Number(row.endTime),
    CompletedTime: Number(row.completedTime),
    TargetVersion: row.targetVersion,
    Options: row.options as TUpdateCampaignOptions,
    CanaryPercent: row.canaryPercent,
    BatchSize: row.batchSize,
    FailureThresholdPercent: row.failureThreshold,
    CurrentWave: row.currentWave,
    PauseReason: renderStoredMessage(row.pauseReasonKey, row.pauseReason, locale),
    StartedBy: row.startedBy,
    Counts: counts,
    Eligible: eligible,
    UptakePercent: eligible === 0 ? 0 : Math.round((counts.Confirmed * 1000) / eligible) / 10,
  };
}
