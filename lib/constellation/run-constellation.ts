// One Constellation run of one organization: the report (every bucket of the organization on this server's
// Storage Role, the servers it exists on, the organization's users whose vaults point at it) and, when
// `sweep`, the clean-up it allows (decide-bucket.ts: quarantine, then deletion). A tenant's Constellation
// sees only its own buckets and users; references from any organization keep a bucket.
//
// The report is one set-based statement. The run holds a per-organization advisory lock and runs SERIALIZABLE:
// two runs never interleave, and a vault that starts pointing at a bucket while the run decides makes the run
// fail (nothing deleted, the error on the report row) rather than delete a bucket now in use.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { Prisma } from '../generated/prisma/client';
import { emitEvent } from '../events/emit';
import { log } from '../log';
import { removeBucketFiles } from '../storage/delete-bucket';
import type { AnonymousActor, Actor } from '../tenancy/actor';
import { loadConstellationConfig } from './config-store';
import { decideBucket, type TBucketMemory, type TGuardSettings, type TVerdictState } from './decide-bucket';
import { guardSettings } from './guard-settings';

/** Comet's server index of this server in ExistsOnServers / UserOnServer (Targets[0]). */
const LOCAL_SERVER_ID = 0;

type TUserOnServer = { ServerID: number; Username: string };
export type TBucketUsageInfo = { AccessKey: string; ExistsOnServers: number[]; InUseBy: TUserOnServer[] };
type TVerdictWire = { State: TVerdictState; Reason: string; Next?: 'quarantine' };
type TRunResult = { reportId: string; started: number; completed: number; usage: Record<string, TBucketUsageInfo>; verdicts: Record<string, TVerdictWire>; deleted: string[] };

type Row = { id: string; created: bigint; refs: number; users: string[] };

const SYSTEM: AnonymousActor = { kind: 'anonymous' };

export async function runConstellation({ tenantId, trigger, sweep, actor = SYSTEM, guards = guardSettings() }: { tenantId: string; trigger: string; sweep: boolean; actor?: Actor; guards?: TGuardSettings }): Promise<TRunResult> {
  const config = await loadConstellationConfig(tenantId);
  const started = Math.floor(Date.now() / 1000);
  const report = await db().constellationReport.create({ data: { tenantId, started: BigInt(started), trigger }, select: { id: true } });
  try {
    const result = await retryOnConflict(() => db().$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`constellation:${tenantId}`}))`;
        // tenancy: system — a run of one organization's own Constellation (tenantId from the caller or the job);
        // references are counted from every organization's vaults on purpose: any of them keeps the bucket.
        const rows = await tx.$queryRaw<Row[]>`
          WITH mine AS (SELECT id, "createdAt" FROM "StorageBucket" WHERE "tenantId" = ${tenantId}),
          refs AS (
            SELECT v.data->>'CometBucket' AS bucket, count(*)::int AS n,
                   COALESCE(array_agg(DISTINCT a.username) FILTER (WHERE v."tenantId" = ${tenantId}), '{}') AS users
            FROM "StorageVault" v JOIN "Account" a ON a.id = v."accountId"
            WHERE v.data->>'CometBucket' IN (SELECT id FROM mine)
            GROUP BY 1)
          SELECT b.id, EXTRACT(EPOCH FROM b."createdAt")::bigint AS created, COALESCE(r.n, 0)::int AS refs, COALESCE(r.users, '{}') AS users
          FROM mine b LEFT JOIN refs r ON r.bucket = b.id
          ORDER BY b.id`;
        // tenancy: system — this organization's own bucket memory
        const remembered = await tx.constellationBucket.findMany({ where: { tenantId, deletedAt: null }, select: { bucketId: true, unusedStreak: true, unusedSince: true, quarantinedAt: true } });
        const memories = new Map(remembered.map((m) => [m.bucketId, m]));
        // The organization's own users are its source of vault references (other servers: not supported yet).
        // tenancy: system — the organization this run belongs to
        const hasSource = (await tx.account.count({ where: { tenantId } })) > 0;
        const usage: Record<string, TBucketUsageInfo> = {};
        const verdicts: Record<string, TVerdictWire> = {};
        const deleted: string[] = [];
        for (const row of rows) {
          const m0 = memories.get(row.id);
          const memory: TBucketMemory = { unusedStreak: m0?.unusedStreak ?? 0, unusedSince: num(m0?.unusedSince ?? null), quarantinedAt: num(m0?.quarantinedAt ?? null) };
          const verdict = decideBucket(
            { now: started, references: row.refs, createdAt: Number(row.created), complete: true, hasSource, deleteUnusedData: config.DeleteUnusedData, sweep },
            memory,
            guards,
          );
          usage[row.id] = { AccessKey: '', ExistsOnServers: [LOCAL_SERVER_ID], InUseBy: row.users.map((u) => ({ ServerID: LOCAL_SERVER_ID, Username: u })) };
          verdicts[row.id] = { State: verdict.state, Reason: verdict.reason, ...(verdict.next ? { Next: verdict.next } : {}) };
          const m = verdict.memory;
          const fields = { unusedStreak: m.unusedStreak, unusedSince: big(m.unusedSince), quarantinedAt: big(m.quarantinedAt), lastReportId: report.id, deletedAt: verdict.state === 'deleted' ? BigInt(started) : null };
          // tenancy: system — this organization's own bucket memory
          await tx.constellationBucket.upsert({ where: { tenantId_bucketId: { tenantId, bucketId: row.id } }, create: { tenantId, bucketId: row.id, ...fields }, update: fields });
          if (verdict.state === 'deleted') deleted.push(row.id);
        }
        for (const bucketId of deleted) {
          // tenancy: system — a bucket of this organization, decided above in this transaction
          await tx.storageBucket.deleteMany({ where: { id: bucketId, tenantId } });
          await emitEvent(tx, actor, { tenantId, type: SEVT.SEVT_BUCKET_REMOVED, resourceId: bucketId, data: { BucketID: bucketId, Constellation: true } });
        }
        const completed = Math.floor(Date.now() / 1000);
        // tenancy: system — the report row this run created
        await tx.constellationReport.update({ where: { id: report.id }, data: { completed: BigInt(completed), complete: true, usage: usage as object, verdicts: verdicts as object } });
        return { reportId: report.id, started, completed, usage, verdicts, deleted };
      },
      { isolationLevel: Prisma.TransactionIsolationLevel.Serializable, timeout: 10 * 60_000, maxWait: 60_000 },
    ));
    for (const bucketId of result.deleted) {
      await removeBucketFiles(bucketId);
      log.info({ tenantId, bucketId, reportId: result.reportId }, 'constellation: bucket deleted');
    }
    return result;
  } catch (err) {
    // tenancy: system — the report row this run created
    await db().constellationReport.update({ where: { id: report.id }, data: { completed: BigInt(Math.floor(Date.now() / 1000)), complete: false, error: (err as Error).message.slice(0, 2000) } });
    throw err;
  }
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

function big(v: number | null): bigint | null {
  return v === null ? null : BigInt(v);
}
