// The deletion guards of one bucket in one Constellation run, as a pure function (the property test drives it
// directly). A bucket is quarantined only when every guard holds, and destroyed only when every guard still
// holds after its quarantine period; any reference, anywhere on this server, keeps it and lifts a quarantine.

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
  overlap?: string;
};

export type TVerdictState = 'in-use' | 'unknown' | 'unused' | 'quarantined' | 'deleted';
/** next: in a report-only run, what the next sweep would do to the bucket if nothing changes meanwhile. */
type TVerdict = { state: TVerdictState; reason: string; memory: TBucketMemory; next?: 'quarantine' };

function hours(seconds: number): string {
  return `${Math.round((seconds / 3600) * 100) / 100} h`;
}

export function decideBucket(run: TBucketRun, memory: TBucketMemory, guards: TGuardSettings): TVerdict {
  if (run.references > 0) {
    return { state: 'in-use', reason: `Used by ${run.references} storage vault(s)`, memory: { unusedStreak: 0, unusedSince: null, quarantinedAt: null } };
  }
  // A partial view proves nothing: the streak is neither extended nor reset, a quarantine stays as it is.
  if (!run.complete) return { state: 'unknown', reason: 'Not every target answered in this run: nothing is decided', memory };
  const next: TBucketMemory = { unusedStreak: memory.unusedStreak + 1, unusedSince: memory.unusedSince ?? run.now, quarantinedAt: memory.quarantinedAt };
  const refusal = refusalOf(run, next, guards);
  if (refusal) {
    // Guards that no longer hold lift a quarantine: the bucket is back to plain "unused".
    return { state: 'unused', reason: refusal, memory: { ...next, quarantinedAt: null } };
  }
  if (!run.sweep) {
    const what = next.quarantinedAt === null ? 'quarantined' : 'destroyed once its quarantine ends';
    return { state: next.quarantinedAt === null ? 'unused' : 'quarantined', reason: `Every guard holds: the next sweep would have it ${what}`, memory: next, ...(next.quarantinedAt === null ? { next: 'quarantine' as const } : {}) };
  }
  if (next.quarantinedAt === null) {
    return { state: 'quarantined', reason: `Quarantined: destroyed after ${hours(guards.quarantineSeconds)} unless a vault points at it again`, memory: { ...next, quarantinedAt: run.now } };
  }
  const left = next.quarantinedAt + guards.quarantineSeconds - run.now;
  if (left > 0) return { state: 'quarantined', reason: `Quarantined: destroyed in ${hours(left)} unless a vault points at it again`, memory: next };
  return { state: 'deleted', reason: 'Unused through every guard and its quarantine: deleted', memory: next };
}

function refusalOf(run: TBucketRun, next: TBucketMemory, guards: TGuardSettings): string | null {
  if (!run.deleteUnusedData) return 'Unused; DeleteUnusedData is off';
  if (!run.hasSource) return 'Unused; the organization has no source of vault references, so nothing is deleted';
  if (run.overlap) return `Unused; ${run.overlap}, so it is never deleted`;
  if (next.unusedStreak < guards.unusedReports) return `Unused in ${next.unusedStreak} of the ${guards.unusedReports} consecutive reports needed`;
  const span = run.now - (next.unusedSince ?? run.now);
  if (span < guards.unusedSeconds) return `Unused for ${hours(span)} of the ${hours(guards.unusedSeconds)} needed`;
  if (run.now - run.createdAt < guards.graceSeconds) return `Created less than ${hours(guards.graceSeconds)} ago (grace window)`;
  return null;
}
