// The deletion guards of one bucket in one Constellation run, as a pure function (the property test drives it
// directly). A bucket is quarantined only when every guard holds, and destroyed only when every guard still
// holds after its quarantine period; any reference, anywhere on this server, keeps it and lifts a quarantine.
import type { ApiMessage } from '../i18n/api-messages';

export type TGuardSettings = { unusedReports: number; unusedSeconds: number; graceSeconds: number; quarantineSeconds: number };

export type TBucketMemory = { unusedStreak: number; unusedSince: number | null; quarantinedAt: number | null };

export type TBucketRun = {
  /** Unix seconds this run started. */
  now: number;
  /** Vaults on this server (any organization) that point at the bucket. */
  references: number;
  /** The bucket's creation time, Unix seconds. */
  createdAt: number;
  /** Every target answered in this run. */
  complete: boolean;
  /** The organization has at least one source of vault references. */
  hasSource: boolean;
  deleteUnusedData: boolean;
  /** This run may act (sweep); a report-only run never changes a bucket. */
  sweep: boolean;
  /** Why another Constellation also sees the bucket (overlapping Constellations never delete it), or absent. */
  overlap?: TVerdictReason;
};

export type TVerdictState = 'in-use' | 'unknown' | 'unused' | 'quarantined' | 'deleted';

/**
 * Why a verdict was reached, as a key of the "api" catalogue and its values (no text: decide-bucket stays pure and
 * knows no language). verdict-reason.ts makes the catalogue message of it: its English is the stored Reason, and
 * the report renders it in the reader's language. Durations are hours (rounded to 2 decimals). A value may be a
 * catalogue message made elsewhere (a target's name, run-constellation.ts).
 */
export type TVerdictReason = { key: TVerdictReasonKey; values: Record<string, string | number | TVerdictReason | ApiMessage> };
type TVerdictReasonKey =
  | 'constellationReasonInUse'
  | 'constellationReasonPartial'
  | 'constellationReasonWouldQuarantine'
  | 'constellationReasonWouldDestroy'
  | 'constellationReasonQuarantined'
  | 'constellationReasonQuarantineLeft'
  | 'constellationReasonDeleted'
  | 'constellationReasonDeleteOff'
  | 'constellationReasonNoSource'
  | 'constellationReasonOverlap'
  | 'constellationReasonStreak'
  | 'constellationReasonUnusedFor'
  | 'constellationReasonGrace'
  | 'constellationOverlapOtherOrg'
  | 'constellationOverlapServer'
  | 'constellationOverlapServerUnknown';

/** next: in a report-only run, what the next sweep would do to the bucket if nothing changes meanwhile. */
type TVerdict = { state: TVerdictState; reason: TVerdictReason; memory: TBucketMemory; next?: 'quarantine' };

function hours(seconds: number): number {
  return Math.round((seconds / 3600) * 100) / 100;
}

export function decideBucket(run: TBucketRun, memory: TBucketMemory, guards: TGuardSettings): TVerdict {
  if (run.references > 0) {
    return { state: 'in-use', reason: { key: 'constellationReasonInUse', values: { count: run.references } }, memory: { unusedStreak: 0, unusedSince: null, quarantinedAt: null } };
  }
  // A partial view proves nothing: the streak is neither extended nor reset, a quarantine stays as it is.
  if (!run.complete) return { state: 'unknown', reason: { key: 'constellationReasonPartial', values: {} }, memory };
  const next: TBucketMemory = { unusedStreak: memory.unusedStreak + 1, unusedSince: memory.unusedSince ?? run.now, quarantinedAt: memory.quarantinedAt };
  const refusal = refusalOf(run, next, guards);
  if (refusal) {
    // Guards that no longer hold lift a quarantine: the bucket is back to plain "unused".
    return { state: 'unused', reason: refusal, memory: { ...next, quarantinedAt: null } };
  }
  if (!run.sweep) {
    if (next.quarantinedAt === null) return { state: 'unused', reason: { key: 'constellationReasonWouldQuarantine', values: {} }, memory: next, next: 'quarantine' };
    return { state: 'quarantined', reason: { key: 'constellationReasonWouldDestroy', values: {} }, memory: next };
  }
  if (next.quarantinedAt === null) {
    return { state: 'quarantined', reason: { key: 'constellationReasonQuarantined', values: { hours: hours(guards.quarantineSeconds) } }, memory: { ...next, quarantinedAt: run.now } };
  }
  const left = next.quarantinedAt + guards.quarantineSeconds - run.now;
  if (left > 0) return { state: 'quarantined', reason: { key: 'constellationReasonQuarantineLeft', values: { hours: hours(left) } }, memory: next };
  return { state: 'deleted', reason: { key: 'constellationReasonDeleted', values: {} }, memory: next };
}

function refusalOf(run: TBucketRun, next: TBucketMemory, guards: TGuardSettings): TVerdictReason | null {
  if (!run.deleteUnusedData) return { key: 'constellationReasonDeleteOff', values: {} };
  if (!run.hasSource) return { key: 'constellationReasonNoSource', values: {} };
  if (run.overlap) return { key: 'constellationReasonOverlap', values: { overlap: run.overlap } };
  if (next.unusedStreak < guards.unusedReports) return { key: 'constellationReasonStreak', values: { streak: next.unusedStreak, needed: guards.unusedReports } };
  const span = run.now - (next.unusedSince ?? run.now);
  if (span < guards.unusedSeconds) return { key: 'constellationReasonUnusedFor', values: { hours: hours(span), needed: hours(guards.unusedSeconds) } };
  if (run.now - run.createdAt < guards.graceSeconds) return { key: 'constellationReasonGrace', values: { hours: hours(guards.graceSeconds) } };
  return null;
}
