// admin/constellation/buckets (Halley extension): the caller's organization's latest finished report, one row per
// bucket with the verdict of that run (in use, unused, quarantined, deleted, unknown) and its reason, the users
// whose vaults point at it, and what the Constellation remembers of it across runs (the unused streak and since
// when, the quarantine and deletion times). This is the console's "Bucket users" report.
import { db } from '../db/client';
import { apiMessage, localizeApiMessage } from '../i18n/api-messages';
import type { Locale } from '../i18n/locales';
import { renderStoredMessage } from '../i18n/stored-message';
import type { AdminActor } from '../tenancy/actor';
import { requirePermission } from '../tenancy/permissions';
import { ownTenantWhere } from '../tenancy/scope';
import type { TVerdictState } from './decide-bucket';
import { guardSettings } from './guard-settings';
import type { TBucketUsageInfo, TMissingWire, TStoredTargetWire, TTargetWire } from './run-constellation';
import { verdictReasonIn, type TVerdictWire } from './verdict-reason';

export type TConstellationBucketRow = {
  BucketID: string;
  State: TVerdictState;
  Reason: string;
  InUseBy: string[];
  /** Server indexes (Targets order) the bucket exists on, and the users with the server each is on. */
  ExistsOnServers: number[];
  Users: Array<{ ServerID: number; Username: string }>;
  UnusedStreak: number;
  UnusedSince: number;
  QuarantinedAt: number;
  DeletedAt: number;
  /** What the next sweep would do if nothing changes meanwhile (from the last report and the quarantine clock). */
  NextSweep: 'quarantine' | 'destroy' | '';
};

/** The deletion guards in force (HALLEY_CONSTELLATION_*), so a reader knows what "every guard" means. */
export type TConstellationGuards = { UnusedReports: number; UnusedHours: number; GraceHours: number; QuarantineHours: number };
/** Complete: every target answered (a partial report decides nothing). Targets: each target's answer. Missing: vaults
 * pointing at a bucket that exists on no target (ServerID as in ExistsOnServers). */
type TBucketsAnswer = {
  Status: number;
  Message: string;
  CheckStarted: number;
  CheckCompleted: number;
  Complete: boolean;
  Guards: TConstellationGuards;
  Targets: TTargetWire[];
  Missing: TMissingWire[];
  Buckets: TConstellationBucketRow[];
};

function guardsWire(): TConstellationGuards {
  const g = guardSettings();
  const h = (s: number) => Math.round((s / 3600) * 100) / 100;
  return { UnusedReports: g.unusedReports, UnusedHours: h(g.unusedSeconds), GraceHours: h(g.graceSeconds), QuarantineHours: h(g.quarantineSeconds) };
}

/** A stored target as answered: the name Halley gave it and a failed target's Error in `locale` (reports from before
 * keep their English), without the keys. */
function targetIn({ NameKey, ErrorKey, ...t }: TStoredTargetWire, locale: Locale): TTargetWire {
  return {
    ...t,
    ...(NameKey ? { Name: renderStoredMessage([NameKey], t.Name, locale) } : {}),
    ...(ErrorKey ? { Error: renderStoredMessage([ErrorKey], t.Error, locale) } : {}),
  };
}

/** `locale`: the language of the buckets' Reason and the targets' Name and Error (the reader's). */
export async function listConstellationBuckets({ actor, locale = 'en' }: { actor: AdminActor; locale?: Locale }): Promise<TBucketsAnswer> {
  requirePermission(actor, 'constellation.role');
  const scope = ownTenantWhere(actor);
  const report = await db().constellationReport.findFirst({ where: { ...scope, completed: { gt: 0n }, error: '' }, orderBy: { createdAt: 'desc' }, select: { started: true, completed: true, complete: true, usage: true, verdicts: true, targets: true, missing: true } });
  if (!report) return { Status: 200, Message: 'OK', CheckStarted: 0, CheckCompleted: 0, Complete: false, Guards: guardsWire(), Targets: [], Missing: [], Buckets: [] };
  const usage = (report.usage ?? {}) as Record<string, TBucketUsageInfo>;
  const verdicts = (report.verdicts ?? {}) as Record<string, TVerdictWire>;
  const now = Math.floor(Date.now() / 1000);
  const { quarantineSeconds } = guardSettings();
  const ids = Object.keys(verdicts);
  const memories = await db().constellationBucket.findMany({ where: { ...scope, bucketId: { in: ids } } });
  const memory = new Map(memories.map((m) => [m.bucketId, m]));
  const n = (v: bigint | null | undefined) => (v === null || v === undefined ? 0 : Number(v));
  const buckets = ids.sort().map((id) => {
    const m = memory.get(id);
    // A bucket restored since the report is no longer quarantined: the memory is the newer truth.
    const restored = verdicts[id].State === 'quarantined' && m !== undefined && m.quarantinedAt === null && m.deletedAt === null;
    return {
      BucketID: id,
      State: restored ? ('unused' as const) : verdicts[id].State,
      Reason: restored ? localizeApiMessage(apiMessage('constellationReasonRestored'), locale) : verdictReasonIn(verdicts[id], locale),
      InUseBy: (usage[id]?.InUseBy ?? []).map((u) => u.Username),
      ExistsOnServers: usage[id]?.ExistsOnServers ?? [],
      Users: usage[id]?.InUseBy ?? [],
      UnusedStreak: m?.unusedStreak ?? 0,
      UnusedSince: n(m?.unusedSince),
      QuarantinedAt: n(m?.quarantinedAt),
      DeletedAt: n(m?.deletedAt),
      NextSweep: nextSweep(restored ? 'unused' : verdicts[id].State, verdicts[id].Next, n(m?.quarantinedAt), now, quarantineSeconds),
    };
  });
  return {
    Status: 200,
    Message: 'OK',
    CheckStarted: Number(report.started),
    CheckCompleted: Number(report.completed),
    Complete: report.complete,
    Guards: guardsWire(),
    Targets: ((report.targets ?? []) as TStoredTargetWire[]).map((t) => targetIn(t, locale)),
    Missing: (report.missing ?? []) as TMissingWire[],
    Buckets: buckets,
  };
}

function nextSweep(state: TVerdictState, next: 'quarantine' | undefined, quarantinedAt: number, now: number, quarantineSeconds: number): TConstellationBucketRow['NextSweep'] {
  if (state === 'quarantined' && quarantinedAt > 0 && quarantinedAt + quarantineSeconds <= now) return 'destroy';
  if (state === 'unused' && next === 'quarantine') return 'quarantine';
  return '';
}
