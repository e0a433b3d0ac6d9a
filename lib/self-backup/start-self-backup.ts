// admin/self-backup/start: every configured target (or, Halley: the one whose Index is TargetIndex) runs
// now, as a job on the workers; the answer comes when the runs are queued, not when they end.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';
import { createRun } from './create-runs';
import { enqueueRun } from './queue';
import { readSelfBackupOptions } from './stored-options';
import { apiMessage } from '../i18n/api-messages';

export async function startSelfBackup({ actor, targetIndex }: { actor: AdminActor; targetIndex?: number }): Promise<{ runIds: string[] }> {
  requireTopLevel(actor);
  const { Targets } = await readSelfBackupOptions({ fresh: true });
  const targets = targetIndex === undefined ? Targets : Targets.filter((t) => Number(t.Index) === targetIndex);
  if (Targets.length === 0) throw new BadRequestError(apiMessage('selfBackupNoTargets'));
  if (targets.length === 0) throw new BadRequestError(apiMessage('selfBackupNoTargetIndex', { index: String(targetIndex) }));
  const runIds = await db().$transaction(async (tx) => {
    const ids: string[] = [];
    for (const target of targets) ids.push(await createRun(tx, { kind: 'target', trigger: 'manual', target }));
    await emitEvent(tx, actor, { tenantId: actor.tenantId, type: SEVT.SEVT_SERVER_UPDATED, resourceId: '', data: { SelfBackupStarted: { RunIDs: ids } } });
    return ids;
  });
  for (const id of runIds) await enqueueRun(id);
  return { runIds };
}
