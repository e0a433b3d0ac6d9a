// One Constellation run of one organization: the report (every bucket on every target: this server's Storage
// Role, the Servers listed, the Storage Templates whose storage can be listed; the servers each exists on; the
// organization's users whose vaults point at it) and, when `sweep`, the clean-up it allows (decide-bucket.ts:
// quarantine, then deletion). A tenant's Constellation sees only its own buckets and users; references from
// any organization on this server, and from every listed server's users, keep a bucket.
//
// Remote targets are read first (outside any transaction); one that does not answer makes the run partial:
// every bucket is "unknown", nothing is decided. The decision is one SERIALIZABLE transaction under a
// per-organization advisory lock: two runs never interleave, and a local vault that starts pointing at a bucket
// while the run decides makes the run retry rather than delete a bucket now in use. A decided deletion is
// recorded (removalPending) in that transaction and carried out afterwards on every target the bucket exists
// on; one interrupted (a killed worker, a target down) is finished by the next run.
import { StreamableEventType as SEVT } from '../comet/constants';
import { JIT_OFF } from '../billing/query-usage';
import { db } from '../db/client';
import { Prisma } from '../generated/prisma/client';
import { emitEvent } from '../events/emit';
import { HALLEY_EVENT_CONSTELLATION_MISSING_BUCKET } from '../events/halley-event-types';
import { apiMessage, type ApiMessage } from '../i18n/api-messages';
import { log } from '../log';
import type { AnonymousActor, Actor } from '../tenancy/actor';
import { loadConstellationConfig } from './config-store';
import { bucketReferencesQuery, type TBucketReferenceRow } from './bucket-references-query';
import { decideBucket, type TBucketMemory, type TGuardSettings, type TVerdictReason } from './decide-bucket';
import { guardSettings } from './guard-settings';
import { mailMissingBuckets } from './mail-missing-buckets';
import { finishPendingRemovals, removeEverywhere } from './remove-bucket-everywhere';
import { canonicalBucketKey, constellationTargets, innerKey, isProviderBucket, keepersOf, readTarget, targetName, type TTarget, type TTargetView } from './targets';
import { reasonMessage, verdictOf, type TVerdictWire } from './verdict-reason';

type TUserOnServer = { ServerID: number; Username: string };
export type TBucketUsageInfo = { AccessKey: string; ExistsOnServers: number[]; InUseBy: TUserOnServer[] };
export type TTargetWire = { Index: number; Name: string; Address: string; OK: boolean; Error: string; Buckets: number; Users: number };
/** A target as stored in the report: NameKey and ErrorKey are its Name and Error as catalogue messages (when it has them). */
export type TStoredTargetWire = TTargetWire & { NameKey?: ApiMessage; ErrorKey?: ApiMessage };
export type TMissingWire = { Username: string; ServerID: number; BucketID: string };
type TRunResult = {
  reportId: string;
  started: number;
  completed: number;
  complete: boolean;
  usage: Record<string, TBucketUsageInfo>;
  verdicts: Record<string, TVerdictWire>;
  deleted: string[];
  targets: TTargetWire[];
  missing: TMissingWire[];
};

/** Sort memory of the run's transaction (SET LOCAL: this transaction only). */
export const REPORT_WORK_MEM = "SET LOCAL work_mem = '64MB'";

type S3Row = { whole: string; sub: string; mine: boolean; username: string };

const SYSTEM: AnonymousActor = { kind: 'anonymous' };

export async function runConstellation({ tenantId, trigger, sweep, actor = SYSTEM, guards = guardSettings() }: { tenantId: string; trigger: string; sweep: boolean; actor?: Actor; guards?: TGuardSettings }): Promise<TRunResult> {
  const config = await loadConstellationConfig(tenantId);
  const started = Math.floor(Date.now() / 1000);
  // tenancy: system — the report row of this organization's own run
  const report = await db().constellationReport.create({ data: { tenantId, started: BigInt(started), trigger }, select: { id: true } });
  try {
    const targets = await constellationTargets(tenantId, config);
    const finished = sweep ? await finishPendingRemovals(tenantId, targets) : {};
    const views = await Promise.all(targets.slice(1).map((t, i) => readTarget(t, i + 1)));
    const complete = views.every((v) => v.ok);
    const targetsWire: TTargetWire[] = [
      { Index: 0, Name: targets[0].name, Address: '', OK: true, Error: '', Buckets: 0, Users: 0 },
      ...views.map((v) => ({ Index: v.index, Name: v.target.name, Address: v.target.address, OK: v.ok, Error: v.error, Buckets: v.buckets.size, Users: v.users })),
    ];
    const result = await retryOnConflict(() => db().$transaction(
      (tx) => decide(tx, { tenantId, reportId: report.id, started, sweep, actor, guards, config, targets, views, complete, targetsWire, finished }),
      { isolationLevel: Prisma.TransactionIsolationLevel.Serializable, timeout: 10 * 60_000, maxWait: 60_000 },
    ));
    for (const bucketId of result.deleted) {
      const done = await removeEverywhere(tenantId, bucketId, targets, result.removeFrom[bucketId] ?? []);
      result.verdicts[bucketId] = verdictOf('deleted', removalReason(result.verdicts[bucketId].ReasonKey ?? [], done));
      await noteVerdict(result.reportId, bucketId, result.verdicts[bucketId]);
      log.info({ tenantId, bucketId, reportId: result.reportId, notes: done.notes.map((m) => m.text), errors: done.errors.map((m) => m.text) }, 'constellation: bucket deleted');
    }
    // Mailed after the decision committed (never an SMTP round trip inside the transaction); never fails the run.
    await mailMissingBuckets(tenantId, result.reportId, result.toMail, targets.map(targetName));
    const { removeFrom: _r, toMail: _m, ...out } = result;
    return out;
  } catch (err) {
    // tenancy: system — the report row this run created
    await db().constellationReport.update({ where: { id: report.id }, data: { completed: BigInt(Math.floor(Date.now() / 1000)), complete: false, error: (err as Error).message.slice(0, 2000) } });
    throw err;
  }
}

/** The verdict's reason with what the removal did besides (credentials removed or kept) and what it could not finish. */
function removalReason(reason: ApiMessage[], done: { notes: ApiMessage[]; errors: ApiMessage[] }): ApiMessage[] {
  return [...reason, ...done.notes, ...(done.errors.length ? [apiMessage('constellationRemovalUnfinished'), ...done.errors] : [])];
}

/** Puts a bucket's final verdict into the report row written by the run's transaction. */
async function noteVerdict(reportId: string, bucketId: string, verdict: TVerdictWire): Promise<void> {
  // tenancy: system — the report row this run created
  await db().$executeRaw`UPDATE "ConstellationReport" SET verdicts = jsonb_set(verdicts, ARRAY[${bucketId}]::text[], ${JSON.stringify(verdict)}::jsonb) WHERE id = ${reportId}`;
}

type TDecideInput = {
  tenantId: string;
  reportId: string;
  started: number;
  sweep: boolean;
  actor: Actor;
  guards: TGuardSettings;
  config: { DeleteUnusedData: boolean };
  targets: TTarget[];
  views: TTargetView[];
  complete: boolean;
  targetsWire: TTargetWire[];
  finished: Record<string, TVerdictWire>;
};

/** The targets as stored: the name Halley gave a target (NameKey) and a failed target's reason (ErrorKey) also as
 * catalogue messages, so the report answers them in the reader's language (list-constellation-buckets.ts); Name and
 * Error stay their English. */
function storedTargets(wire: TTargetWire[], targets: TTarget[], views: TTargetView[]): TStoredTargetWire[] {
  const reasons = new Map(views.map((v) => [v.index, v.errorMessage]));
  return wire.map((t) => {
    const reason = reasons.get(t.Index);
    const nameKey = targets[t.Index]?.nameKey;
    return { ...t, ...(nameKey ? { NameKey: nameKey } : {}), ...(reason && !t.OK ? { ErrorKey: reason } : {}) };
  });
}

async function decide(tx: Prisma.TransactionClient, input: TDecideInput): Promise<TRunResult & { removeFrom: Record<string, string[]>; toMail: TMissingWire[] }> {
  const { tenantId, reportId, started, sweep, actor, guards, config, views, complete } = input;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`constellation:${tenantId}`}))`;
  // The reference aggregate reads every vault once: JIT compiling it costs about a second at 1,000,000 vaults and
  // saves nothing; more sort memory keeps its group-by in memory instead of spilling (same as bench/constellation.ts).
  await tx.$executeRawUnsafe(JIT_OFF);
  await tx.$executeRawUnsafe(REPORT_WORK_MEM);
  const remoteIds = [...new Set(views.flatMap((v) => [...v.buckets.keys()]))];
  const cometIds = remoteIds.filter((id) => !isProviderBucket(id));
  // tenancy: system — a run of one organization's own Constellation (tenantId from the caller or the job);
  // references are counted from every organization's vaults on purpose: any of them keeps the bucket.
  const rows = await tx.$queryRaw<TBucketReferenceRow[]>(bucketReferencesQuery(tenantId, cometIds));
  // Users per reference key: distinct already from SQL; a Set only where S3/B2 vaults add to a key.
  const localRefs = new Map<string, { n: number; users: string[] | Set<string> }>();
  for (const r of rows) localRefs.set(r.id, { n: r.refs, users: JSON.parse(r.users) as string[] });
  if (remoteIds.some(isProviderBucket)) {
    // tenancy: system — every organization's S3 and B2 vaults may keep a template's bucket or prefix
    const s3 = await tx.$queryRaw<S3Row[]>`
      SELECT CASE WHEN v."destinationType" = 1000 THEN 's3:' || lower(v.data->>'S3Server') || '/' || (v.data->>'S3BucketName')
                  ELSE 'b2:' || (v.data->'B2'->>'Bucket') END AS whole,
             btrim(CASE WHEN v."destinationType" = 1000 THEN COALESCE(v.data->>'S3Subdir', '') ELSE COALESCE(v.data->'B2'->>'Prefix', '') END, '/') AS sub,
             (v."tenantId" = ${tenantId}) AS mine, a.username
      FROM "StorageVault" v JOIN "Account" a ON a.id = v."accountId"
      WHERE (v."destinationType" = 1000 AND COALESCE(v.data->>'S3BucketName', '') <> '')
         OR (v."destinationType" = 1008 AND COALESCE(v.data->'B2'->>'Bucket', '') <> '')`;
    for (const r of s3) {
      const whole = canonicalBucketKey(r.whole);
      for (const id of r.sub ? [innerKey(whole), `${whole}/${r.sub}`] : [whole]) {
        const e = localRefs.get(id) ?? { n: 0, users: new Set<string>() };
        e.n++;
        if (r.mine) {
          if (Array.isArray(e.users)) e.users = new Set(e.users);
          e.users.add(r.username);
        }
        localRefs.set(id, e);
      }
    }
  }
  const created = new Map<string, number>();
  const exists = new Map<string, number[]>();
  for (const r of rows) {
    if (!r.local) continue;
    exists.set(r.id, [0]);
    created.set(r.id, Number(r.created ?? 0));
  }
  for (const v of views) {
    for (const [id, c] of v.buckets) {
      exists.set(id, [...(exists.get(id) ?? []), v.index]);
      if (c > 0) created.set(id, Math.max(created.get(id) ?? 0, c));
    }
  }
  const ids = [...exists.keys()].sort();
  // tenancy: system — this organization's own bucket memory
  const remembered = await tx.$queryRaw<Array<{ bucketId: string; unusedStreak: number; unusedSince: bigint | null; quarantinedAt: bigint | null; firstSeen: bigint | null }>>`
    SELECT "bucketId", "unusedStreak", "unusedSince", "quarantinedAt", "firstSeen" FROM "ConstellationBucket" WHERE "tenantId" = ${tenantId} AND "deletedAt" IS NULL`;
  const memories = new Map(remembered.map((m) => [m.bucketId, m]));
  const claimed = await claimedElsewhere(tx, tenantId, ids);
  // Sources of vault references: the organization's own users here, or the users of a listed server that answered.
  // tenancy: system — the organization this run belongs to
  const hasSource = (await tx.account.count({ where: { tenantId } })) > 0 || views.some((v) => v.ok && v.target.kind === 'server' && v.target.withUsers && v.users > 0);
  const usage: Record<string, TBucketUsageInfo> = {};
  const verdicts: Record<string, TVerdictWire> = { ...input.finished };
  const deleted: string[] = [];
  const removeFrom: Record<string, string[]> = {};
  const keyOf = (index: number) => (index === 0 ? 'local' : views[index - 1].target.key);
  const writes: TMemoryWrite[] = [];
  for (const id of ids) {
    const on = exists.get(id) ?? [];
    const inUseBy: TUserOnServer[] = [];
    let references = 0;
    let sources = 0;
    for (const k of keepersOf(id)) {
      const l = localRefs.get(k);
      if (l) {
        references += l.n;
        sources++;
        for (const u of l.users) inUseBy.push({ ServerID: 0, Username: u });
      }
      for (const v of views) {
        const users = v.refs.get(k);
        if (!users) continue;
        references += users.size;
        sources++;
        for (const u of users) inUseBy.push({ ServerID: v.index, Username: u });
      }
    }
    const m0 = memories.get(id);
    const firstSeen = num(m0?.firstSeen ?? null) ?? started;
    const memory: TBucketMemory = { unusedStreak: m0?.unusedStreak ?? 0, unusedSince: num(m0?.unusedSince ?? null), quarantinedAt: num(m0?.quarantinedAt ?? null) };
    const overlap = overlapOf(id, on, claimed, views);
    const verdict = decideBucket(
      { now: started, references, createdAt: created.get(id) || firstSeen, complete, hasSource, deleteUnusedData: config.DeleteUnusedData, sweep, ...(overlap ? { overlap } : {}) },
      memory,
      guards,
    );
    // One source lists each user once already; users from several keys or servers may repeat.
    usage[id] = { AccessKey: '', ExistsOnServers: on, InUseBy: sources > 1 ? dedupe(inUseBy) : inUseBy };
    verdicts[id] = verdictOf(verdict.state, [reasonMessage(verdict.reason)], verdict.next);
    const m = verdict.memory;
    const gone = verdict.state === 'deleted';
    if (gone) {
      deleted.push(id);
      removeFrom[id] = on.map(keyOf);
    }
    writes.push({
      bucketId: id,
      unusedStreak: m.unusedStreak,
      unusedSince: m.unusedSince,
      quarantinedAt: m.quarantinedAt,
      deletedAt: gone ? started : null,
      firstSeen: complete ? firstSeen : num(m0?.firstSeen ?? null),
      removalPending: gone ? JSON.stringify(removeFrom[id]) : '',
    });
  }
  await writeMemories(tx, tenantId, reportId, writes);
  for (const bucketId of deleted) {
    // tenancy: system — a bucket of this organization, decided above in this transaction
    await tx.storageBucket.deleteMany({ where: { id: bucketId, tenantId } });
    await emitEvent(tx, actor, { tenantId, type: SEVT.SEVT_BUCKET_REMOVED, resourceId: bucketId, data: { BucketID: bucketId, Constellation: true, ExistsOnServers: usage[bucketId].ExistsOnServers } });
  }
  const missing = complete ? await missingBuckets(tx, tenantId, reportId, new Set(ids), views) : [];
  await alertNewMissing(tx, actor, tenantId, reportId, missing);
  const toMail = complete ? await claimMissingAlerts(tx, tenantId, started, missing) : [];
  const completed = Math.floor(Date.now() / 1000);
  // One statement with the JSON as text: large reports (100k buckets) are not walked by the client's JSON mapping.
  // tenancy: system — the report row this run created
  await tx.$executeRaw`
    UPDATE "ConstellationReport" SET completed = ${completed}, complete = ${complete}, usage = ${JSON.stringify(usage)}::jsonb,
      verdicts = ${JSON.stringify(verdicts)}::jsonb, targets = ${JSON.stringify(storedTargets(input.targetsWire, input.targets, input.views))}::jsonb, missing = ${JSON.stringify(missing)}::jsonb
    WHERE id = ${reportId}`;
  return { reportId, started, completed, complete, usage, verdicts, deleted, targets: input.targetsWire, missing, removeFrom, toMail };
}

/**
 * The missing buckets not mailed yet (marked now, in the run's transaction, so each is mailed once however often
 * reports run); a bucket no longer missing in this complete report is unmarked, so a later disappearance is mailed.
 */
async function claimMissingAlerts(tx: Prisma.TransactionClient, tenantId: string, started: number, missing: TMissingWire[]): Promise<TMissingWire[]> {
  const ids = [...new Set(missing.map((m) => m.BucketID))];
  // tenancy: system — this organization's own bucket memory
  await tx.$executeRaw`UPDATE "ConstellationBucket" SET "missingAlertedAt" = NULL WHERE "tenantId" = ${tenantId} AND "missingAlertedAt" IS NOT NULL AND NOT ("bucketId" = ANY(${ids}::text[]))`;
  if (ids.length === 0) return [];
  // tenancy: system — this organization's own bucket memory
  const fresh = await tx.$queryRaw<{ bucketId: string }[]>`
    UPDATE "ConstellationBucket" SET "missingAlertedAt" = ${started} WHERE "tenantId" = ${tenantId} AND "bucketId" = ANY(${ids}::text[]) AND "missingAlertedAt" IS NULL RETURNING "bucketId"`;
  const claimed = new Set(fresh.map((r) => r.bucketId));
  return missing.filter((m) => claimed.has(m.BucketID));
}

type TMemoryWrite = { bucketId: string; unusedStreak: number; unusedSince: number | null; quarantinedAt: number | null; deletedAt: number | null; firstSeen: number | null; removalPending: string };

/**
 * The bucket memory of this run, written set-based: one statement per 20,000 buckets, the rows as one JSON text
 * parameter (Prisma's parameter handling of seven arrays of that size cost more than the upsert itself).
 */
async function writeMemories(tx: Prisma.TransactionClient, tenantId: string, reportId: string, writes: TMemoryWrite[]): Promise<void> {
  for (let from = 0; from < writes.length; from += 20_000) {
    const part = JSON.stringify(writes.slice(from, from + 20_000));
    // tenancy: system — this organization's own bucket memory
    await tx.$executeRaw`
      INSERT INTO "ConstellationBucket" ("tenantId", "bucketId", "unusedStreak", "unusedSince", "quarantinedAt", "deletedAt", "firstSeen", "removalPending", "lastReportId")
      SELECT ${tenantId}, w."bucketId", w."unusedStreak", w."unusedSince", w."quarantinedAt", w."deletedAt", w."firstSeen", w."removalPending", ${reportId}
      FROM jsonb_to_recordset(${part}::jsonb) AS w("bucketId" text, "unusedStreak" int, "unusedSince" bigint, "quarantinedAt" bigint, "deletedAt" bigint, "firstSeen" bigint, "removalPending" text)
      ON CONFLICT ("tenantId", "bucketId") DO UPDATE SET
        "unusedStreak" = EXCLUDED."unusedStreak", "unusedSince" = EXCLUDED."unusedSince", "quarantinedAt" = EXCLUDED."quarantinedAt",
        "deletedAt" = EXCLUDED."deletedAt", "firstSeen" = EXCLUDED."firstSeen", "removalPending" = EXCLUDED."removalPending", "lastReportId" = EXCLUDED."lastReportId"`;
  }
}

/** Why another Constellation also sees the bucket, or null. */
function overlapOf(id: string, on: number[], claimed: Set<string>, views: TTargetView[]): TVerdictReason | null {
  if (claimed.has(id)) return { key: 'constellationOverlapOtherOrg', values: {} };
  for (const index of on) {
    if (index === 0) continue;
    const v = views[index - 1];
    if (v.target.kind !== 'server') continue;
    if (v.ownConstellation === 'yes') return { key: 'constellationOverlapServer', values: { server: targetName(v.target) } };
    if (v.ownConstellation === 'unknown') return { key: 'constellationOverlapServerUnknown', values: { server: targetName(v.target) } };
  }
  return null;
}

/** Buckets of `ids` that another organization's enabled Constellation saw in its latest finished run. */
async function claimedElsewhere(tx: Prisma.TransactionClient, tenantId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  // tenancy: system — overlap detection compares this organization's buckets with every other Constellation's
  const rows = await tx.$queryRaw<{ bucketId: string }[]>`
    SELECT DISTINCT b."bucketId" FROM "ConstellationBucket" b
    JOIN "ConstellationConfig" c ON c."tenantId" = b."tenantId" AND c."roleEnabled"
    WHERE b."tenantId" <> ${tenantId} AND b."deletedAt" IS NULL AND b."bucketId" IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))
      AND b."lastReportId" = (SELECT r.id FROM "ConstellationReport" r WHERE r."tenantId" = b."tenantId" AND r.completed > 0 AND r.error = '' ORDER BY r."createdAt" DESC LIMIT 1)`;
  return new Set(rows.map((r) => r.bucketId));
}

/**
 * Vaults of the organization's users (here and on the listed servers) pointing at a bucket that exists on no
 * target, when this Constellation knew the bucket (it saw it in an earlier run, or deleted it): a vault pointing
 * at a bucket that no longer exists. Vaults on servers this Constellation does not watch are not judged.
 */
async function missingBuckets(tx: Prisma.TransactionClient, tenantId: string, reportId: string, existing: Set<string>, views: TTargetView[]): Promise<TMissingWire[]> {
  // Known buckets this run did not see (its memory rows were all written with this report's id).
  // tenancy: system — this organization's own users' Comet-type vaults and its own bucket memory
  const local = await tx.$queryRaw<{ username: string; bucket: string }[]>`
    SELECT a.username, v.data->>'CometBucket' AS bucket FROM "StorageVault" v JOIN "Account" a ON a.id = v."accountId"
    JOIN "ConstellationBucket" k ON k."tenantId" = ${tenantId} AND k."bucketId" = v.data->>'CometBucket'
    WHERE v."tenantId" = ${tenantId} AND k."lastReportId" <> ${reportId}`;
  const candidates: TMissingWire[] = local.map((r) => ({ Username: r.username, ServerID: 0, BucketID: r.bucket }));
  for (const v of views) for (const [id, users] of v.refs) if (!existing.has(id) && !isProviderBucket(id)) for (const u of users) candidates.push({ Username: u, ServerID: v.index, BucketID: id });
  if (candidates.length === 0) return [];
  // tenancy: system — this organization's own bucket memory (known buckets, deleted ones included)
  const known = await tx.constellationBucket.findMany({ where: { tenantId, bucketId: { in: [...new Set(candidates.map((c) => c.BucketID))] } }, select: { bucketId: true } });
  const knownIds = new Set(known.map((k) => k.bucketId));
  return candidates.filter((c) => knownIds.has(c.BucketID)).sort((a, b) => a.BucketID.localeCompare(b.BucketID) || a.Username.localeCompare(b.Username));
}

/** One event per run for vaults newly found pointing at missing buckets (not already in the previous report). */
async function alertNewMissing(tx: Prisma.TransactionClient, actor: Actor, tenantId: string, reportId: string, missing: TMissingWire[]): Promise<void> {
  if (missing.length === 0) return;
  // tenancy: system — this organization's own previous report
  const previous = await tx.constellationReport.findFirst({ where: { tenantId, id: { not: reportId }, completed: { gt: 0n }, error: '' }, orderBy: { createdAt: 'desc' }, select: { missing: true } });
  const before = new Set(((previous?.missing ?? []) as TMissingWire[]).map((m) => `${m.ServerID}\u0000${m.Username}\u0000${m.BucketID}`));
  const fresh = missing.filter((m) => !before.has(`${m.ServerID}\u0000${m.Username}\u0000${m.BucketID}`));
  if (fresh.length === 0) return;
  await emitEvent(tx, actor, { tenantId, type: HALLEY_EVENT_CONSTELLATION_MISSING_BUCKET, resourceId: reportId, data: { Missing: fresh.slice(0, 1000), Total: fresh.length } });
}

function dedupe(list: TUserOnServer[]): TUserOnServer[] {
  const seen = new Set<string>();
  return list.filter((u) => {
    const k = `${u.ServerID}\u0000${u.Username}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A write that raced the run (Prisma P2034: serialization failure) is retried twice, deciding again from scratch. */
async function retryOnConflict<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 3 || (err as { code?: string }).code !== 'P2034') throw err;
    }
  }
}

function num(v: bigint | null): number | null {
  return v === null ? null : Number(v);
}


