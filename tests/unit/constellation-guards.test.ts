// The Constellation's deletion guards (lib/constellation/decide-bucket.ts) as properties over random histories:
// random buckets, vault references that come and go, random target failures (partial runs), report-only and
// sweep runs, DeleteUnusedData and the source of references switching, random thresholds and clock steps.
// An independent oracle re-derives from the observed history what a deletion requires.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideBucket, type TBucketMemory, type TBucketRun, type TGuardSettings } from '@/lib/constellation/decide-bucket';

const H = 3600;

type Step = { advance: number; refs: number[]; complete: boolean; sweep: boolean; deleteUnusedData: boolean; hasSource: boolean; overlap: boolean };
type Observed = { now: number; refs: number; complete: boolean; sweep: boolean; deleteUnusedData: boolean; hasSource: boolean; overlap: boolean; state: string };

const guardsArb: fc.Arbitrary<TGuardSettings> = fc.record({
  unusedReports: fc.integer({ min: 1, max: 4 }),
  unusedSeconds: fc.integer({ min: 0, max: 48 * H }),
  graceSeconds: fc.integer({ min: 0, max: 48 * H }),
  quarantineSeconds: fc.integer({ min: 0, max: 96 * H }),
});

function stepArb(buckets: number): fc.Arbitrary<Step> {
  return fc.record({
    advance: fc.integer({ min: 0, max: 40 * H }),
    // Mostly unreferenced, so deletions actually happen in the histories.
    refs: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) }), { minLength: buckets, maxLength: buckets }),
    complete: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    sweep: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    deleteUnusedData: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    hasSource: fc.oneof({ weight: 8, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    // Another Constellation (another organization, or the listed server's own) also sees the buckets.
    overlap: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  });
}

const historyArb = fc.integer({ min: 1, max: 5 }).chain((n) =>
  fc.record({
    guards: guardsArb,
    createdAgo: fc.array(fc.integer({ min: 0, max: 72 * H }), { minLength: n, maxLength: n }),
    steps: fc.array(stepArb(n), { minLength: 1, maxLength: 40 }),
  }),
);

/** Runs a history; returns what each bucket observed, in order, until it was deleted. */
function simulate(guards: TGuardSettings, createdAgo: number[], steps: Step[]): { created: number[]; seen: Observed[][] } {
  const start = 1_800_000_000;
  let now = start;
  const created = createdAgo.map((ago) => start - ago);
  const memories: Array<TBucketMemory | 'deleted'> = created.map(() => ({ unusedStreak: 0, unusedSince: null, quarantinedAt: null }));
  const seen: Observed[][] = created.map(() => []);
  for (const step of steps) {
    now += step.advance;
    memories.forEach((memory, i) => {
      if (memory === 'deleted') return;
      const run: TBucketRun = { now, references: step.refs[i], createdAt: created[i], complete: step.complete, hasSource: step.hasSource, deleteUnusedData: step.deleteUnusedData, sweep: step.sweep, ...(step.overlap ? { overlap: { key: 'constellationOverlapOtherOrg' as const, values: {} } } : {}) };
      const verdict = decideBucket(run, memory, guards);
      seen[i].push({ now, refs: step.refs[i], complete: step.complete, sweep: step.sweep, deleteUnusedData: step.deleteUnusedData, hasSource: step.hasSource, overlap: step.overlap, state: verdict.state });
      memories[i] = verdict.state === 'deleted' ? 'deleted' : verdict.memory;
    });
  }
  return { created, seen };
}

/** Whether every guard held in this observed run (the oracle's own reading of the rules). */
function guardsHeld(guards: TGuardSettings, createdAt: number, history: Observed[], at: number): boolean {
  const run = history[at];
  if (!run.complete || run.refs > 0 || !run.deleteUnusedData || !run.hasSource || run.overlap) return false;
  // Complete runs since the last complete run that saw a reference.
  let firstUnused = at;
  let streak = 0;
  for (let j = at; j >= 0; j--) {
    if (!history[j].complete) continue;
    if (history[j].refs > 0) break;
    streak++;
    firstUnused = j;
  }
  return streak >= guards.unusedReports && run.now - history[firstUnused].now >= guards.unusedSeconds && run.now - createdAt >= guards.graceSeconds;
}

describe('Constellation deletion guards (property)', () => {
  it('never deletes a referenced bucket, and deletes only after every guard and a full quarantine', () => {
    fc.assert(
      fc.property(historyArb, ({ guards, createdAgo, steps }) => {
        const { created, seen } = simulate(guards, createdAgo, steps);
        seen.forEach((history, i) => {
          history.forEach((run, at) => {
            if (run.refs > 0) expect(run.state).toBe('in-use');
            if (!run.sweep) expect(['in-use', 'unknown', 'unused', 'quarantined']).toContain(run.state);
            if (run.state !== 'deleted') return;
            expect(at).toBe(history.length - 1);
            expect(run.sweep).toBe(true);
            expect(guardsHeld(guards, created[i], history, at)).toBe(true);
            // The quarantine: an earlier sweep at least quarantineSeconds ago put the bucket there, and from
            // then on every complete run held every guard (a run that did not would have lifted it).
            let q = -1;
            for (let j = at - 1; j >= 0; j--) {
              if (!history[j].complete) continue;
              if (!guardsHeld(guards, created[i], history, j)) break;
              if (history[j].sweep) q = j;
            }
            expect(q).toBeGreaterThanOrEqual(0);
            expect(run.now - history[q].now).toBeGreaterThanOrEqual(guards.quarantineSeconds);
          });
        });
      }),
      { numRuns: 400 },
    );
  });

  it('an unreferenced bucket is deleted once the guards and the quarantine have passed', () => {
    fc.assert(
      fc.property(historyArb, ({ guards, createdAgo, steps }) => {
        const long = Math.max(guards.unusedSeconds, guards.graceSeconds, guards.quarantineSeconds) + 1;
        const calm: Step = { advance: long, refs: createdAgo.map(() => 0), complete: true, sweep: true, deleteUnusedData: true, hasSource: true, overlap: false };
        const { seen } = simulate(guards, createdAgo, [...steps, ...Array.from({ length: guards.unusedReports + 2 }, () => calm)]);
        for (const history of seen) expect(history[history.length - 1].state).toBe('deleted');
      }),
      { numRuns: 200 },
    );
  });
});
