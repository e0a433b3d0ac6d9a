// The deletion guards' thresholds, from the environment (HALLEY_CONSTELLATION_*).
import { env } from '../env';
import type { TGuardSettings } from './decide-bucket';

export function guardSettings(): TGuardSettings {
  const e = env();
  return {
    unusedReports: e.HALLEY_CONSTELLATION_UNUSED_REPORTS,
    unusedSeconds: Math.round(e.HALLEY_CONSTELLATION_UNUSED_HOURS * 3600),
    graceSeconds: Math.round(e.HALLEY_CONSTELLATION_GRACE_HOURS * 3600),
    quarantineSeconds: Math.round(e.HALLEY_CONSTELLATION_QUARANTINE_HOURS * 3600),
  };
}
