// Carrying out a decided deletion on every target the bucket exists on: this server's folder (renamed to the
// trash, then emptied), another server's admin/storage/delete-bucket, a template's S3 bucket or prefix. The
// decision (bucket row gone, SEVT_BUCKET_REMOVED, removalPending = the targets still to do) committed first;
// each target done is taken off removalPending. What a killed worker or a target that was down leaves is
// finished by the next sweep (finishPendingRemovals), and the report says so for each bucket.
import { db } from '../db/client';
import { CauseError } from '../errors';
import { apiMessage, type ApiMessage } from '../i18n/api-messages';
import { failureCause } from '../i18n/failure-cause';
import { log } from '../log';
import { removeBucketFiles } from '../storage/delete-bucket';
import { removeFromTarget, targetName, type TTarget } from './targets';
import { verdictOf, type TVerdictWire } from './verdict-reason';

/**
 * Removes `bucketId` from the targets named by `keys`; answers the keys that are still to do (with why, as catalogue
 * messages: the report reads them in the reader's language).
 */
async function removeFrom(tenantId: string, bucketId: string, targets: TTarget[], keys: string[]): Promise<{ left: string[]; errors: ApiMessage[]; notes: ApiMessage[] }> {
  const left: string[] = [];
  const errors: ApiMessage[] = [];
  const notes: ApiMessage[] = [];
  for (const key of keys) {
    const target = targets.find((t) => t.key === key);
    try {
      if (!target) throw new CauseError(apiMessage('constellationTargetGone'));
      if (target.kind === 'local') await removeBucketFiles(bucketId);
      else notes.push(...(await removeFromTarget(target, bucketId)));
    } catch (err) {
      left.push(key);
      errors.push(apiMessage('constellationRemovalError', { target: target ? targetName(target) : key, cause: failureCause(err) }));
      log.warn({ tenantId, bucketId, target: target?.name ?? key, err: (err as Error).message }, 'constellation: removal not finished, retried by the next sweep');
    }
  }
  // tenancy: system — this organization's own bucket memory
  await db().constellationBucket.updateMany({ where: { tenantId, bucketId }, data: { removalPending: left.length ? JSON.stringify(left) : '' } });
  return { left, errors, notes };
}

/** Answers what the removal did besides the data (notes: credentials removed or kept) and the targets it could not finish (errors). */
export async function removeEverywhere(tenantId: string, bucketId: string, targets: TTarget[], keys: string[]): Promise<{ notes: ApiMessage[]; errors: ApiMessage[] }> {
  const { notes, errors } = await removeFrom(tenantId, bucketId, targets, keys);
  return { notes, errors };
}

/** Finishes the removals earlier sweeps left unfinished; answers a verdict per bucket for the report. */
export async function finishPendingRemovals(tenantId: string, targets: TTarget[]): Promise<Record<string, TVerdictWire>> {
  // tenancy: system — this organization's own bucket memory
  const pending = await db().constellationBucket.findMany({ where: { tenantId, removalPending: { not: '' } }, select: { bucketId: true, removalPending: true } });
  const out: Record<string, TVerdictWire> = {};
  for (const row of pending) {
    let keys: string[] = [];
    try {
      keys = JSON.parse(row.removalPending) as string[];
    } catch {
      keys = [];
    }
    const { left, errors, notes } = await removeFrom(tenantId, row.bucketId, targets, keys);
    out[row.bucketId] = left.length
      ? verdictOf('deleted', [apiMessage('constellationRemovalStillUnfinished'), ...errors, ...notes])
      : verdictOf('deleted', [apiMessage('constellationRemovalFinished'), ...notes]);
    if (!left.length) log.info({ tenantId, bucketId: row.bucketId }, 'constellation: interrupted removal finished');
  }
  return out;
}
