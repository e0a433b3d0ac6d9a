'use server';
// Bulk upgrade campaigns: every action is a registry call with the signed-in admin's session (API-first).
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

export type StartCampaignInput = {
  Options: Record<string, unknown>;
  CanaryPercent: number;
  BatchSize: number;
  FailureThresholdPercent: number;
};

export async function startCampaign(input: StartCampaignInput): Promise<ActionResult<{ Message: string; CampaignID: string }>> {
  return apiAction('/api/v1/admin/update-campaign/start', {
    Options: input.Options,
    CanaryPercent: input.CanaryPercent,
    BatchSize: input.BatchSize,
    FailureThresholdPercent: input.FailureThresholdPercent,
  });
}

export async function stopCampaign(): Promise<ActionResult> {
  return apiAction('/api/v1/admin/update-campaign/start', { Options: { Active: false } });
}

export async function changeCampaign(action: 'pause' | 'resume' | 'abort'): Promise<ActionResult> {
  if (action !== 'pause' && action !== 'resume' && action !== 'abort') return { ok: false, message: 'Unknown action' };
  return apiAction(`/api/v1/admin/update-campaign/${action}`);
}
