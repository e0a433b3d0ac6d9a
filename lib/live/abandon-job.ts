import { jobRowToWire, JOB_WIRE_COLUMNS } from '../backup-jobs/job-row';
import { JobStatus, StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { findUserJob } from './find-user-job';
import type { DispatchOutcome } from './send-command';
import { apiMessage } from '../i18n/api-messages';

const WIRE_SELECT = Object.fromEntries(JOB_WIRE_COLUMNS.map((c) => [c, true])) as Record<(typeof JOB_WIRE_COLUMNS)[number], true>;
const RUNNING = { gte: 6000, lte: 6999 };

/** AdminJobAbandon: a job stuck "running" (its device is gone) is marked abandoned; nothing is sent. */
export async function abandonJob({ actor, username, jobId }: { actor: AdminActor; username: string; jobId: string }): Promise<DispatchOutcome> {
  return db().$transaction(async (tx) => {
    const now = BigInt(Math.floor(Date.now() / 1000));
    const changed = await tx.job.updateMany({ where: { id: jobId, username, status: RUNNING, ...tenantWhere(actor) }, data: { status: JobStatus.JOB_STATUS_FAILED_ABANDONED, endTime: now } });
    if (changed.count === 0) {
      await findUserJob(actor, username, jobId, tx); // 404 when missing or foreign
      throw new BadRequestError(apiMessage('jobNotRunning', { id: jobId.slice(0, 100) }));
    }
    const row = await tx.job.findUniqueOrThrow({ where: { id: jobId, ...tenantWhere(actor) }, select: { ...WIRE_SELECT, tenantId: true } });
    await emitEvent(tx, actor, { tenantId: row.tenantId, type: SEVT.SEVT_JOB_COMPLETED, resourceId: jobId, data: jobRowToWire(row) });
    return { Status: 200, Message: 'OK' };
  });
}
