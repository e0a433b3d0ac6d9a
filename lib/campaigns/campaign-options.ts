// UpdateCampaignOptions as Comet sends it (every field optional on the wire, false / empty by default),
// and Halley's staged-rollout settings (additive parameters of admin/update-campaign/start).
import { z } from 'zod';
import { BadRequestError } from '../errors';
import type { SearchClause } from '../job-search/compile-search-clause';
import { apiMessage } from '../i18n/api-messages';
import { zodIssueMessage } from '../i18n/zod-issue-message';

const ZSearchClause: z.ZodType<SearchClause> = z.lazy(() =>
  z
    .object({
      ClauseType: z.string().optional(),
      RuleField: z.string().optional(),
      RuleOperator: z.string().optional(),
      RuleValue: z.string().optional(),
      ClauseChildren: z.array(ZSearchClause).nullable().optional(),
    })
    .passthrough(),
);

const ZOptions = z
  .object({
    Active: z.boolean().default(false),
    UpgradeOlder: z.boolean().default(false),
    ReinstallCurrentVer: z.boolean().default(false),
    DowngradeNewer: z.boolean().default(false),
    ForceUpgradeRunning: z.boolean().default(false),
    ApplyDeviceFilter: z.boolean().default(false),
    DeviceFilter: ZSearchClause.default({}),
  })
  .passthrough();

export type TUpdateCampaignOptions = {
  Active: boolean;
  UpgradeOlder: boolean;
  ReinstallCurrentVer: boolean;
  DowngradeNewer: boolean;
  ForceUpgradeRunning: boolean;
  ApplyDeviceFilter: boolean;
  DeviceFilter: SearchClause;
};

export type TRollout = {
  /** Share (%) of the eligible devices in the first wave; 0: no canary wave. */
  canaryPercent: number;
  /** Devices per wave after the canary (or from the start); 0: all remaining at once. */
  batchSize: number;
  /** Pause when a finished wave's FAILED share (%) is above this; 0: never. */
  failureThreshold: number;
};

export function parseCampaignOptions(raw: unknown): TUpdateCampaignOptions {
  const parsed = ZOptions.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadRequestError(apiMessage('campaignOptionsInvalid', { path: issue.path.join('.') || 'value', reason: zodIssueMessage(issue) }));
  }
  const o = parsed.data;
  return {
    Active: o.Active,
    UpgradeOlder: o.UpgradeOlder,
    ReinstallCurrentVer: o.ReinstallCurrentVer,
    DowngradeNewer: o.DowngradeNewer,
    ForceUpgradeRunning: o.ForceUpgradeRunning,
    ApplyDeviceFilter: o.ApplyDeviceFilter,
    DeviceFilter: o.DeviceFilter,
  };
}

export function parseRollout(input: { CanaryPercent?: number; BatchSize?: number; FailureThresholdPercent?: number }): TRollout {
  const canaryPercent = input.CanaryPercent ?? 0;
  const batchSize = input.BatchSize ?? 0;
  const failureThreshold = input.FailureThresholdPercent ?? 0;
  if (canaryPercent < 0 || canaryPercent > 100) throw new BadRequestError(apiMessage('paramBetween', { name: 'CanaryPercent', min: '0', max: '100' }));
  if (batchSize < 0 || batchSize > 1_000_000) throw new BadRequestError(apiMessage('paramBetween', { name: 'BatchSize', min: '0', max: '1000000' }));
  if (failureThreshold < 0 || failureThreshold > 100) throw new BadRequestError(apiMessage('paramBetween', { name: 'FailureThresholdPercent', min: '0', max: '100' }));
  return { canaryPercent, batchSize, failureThreshold };
}
