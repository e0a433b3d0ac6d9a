// A ConstellationReport row as Comet's ConstellationCheckReport.
import type { TBucketUsageInfo } from './run-constellation';

export type TConstellationCheckReport = { CheckStarted: number; CheckCompleted: number; Usage: Record<string, TBucketUsageInfo> };

export function reportToWire(row: { started: bigint | number; completed: bigint | number; usage: unknown }): TConstellationCheckReport {
  return { CheckStarted: Number(row.started), CheckCompleted: Number(row.completed), Usage: (row.usage ?? {}) as Record<string, TBucketUsageInfo> };
}
