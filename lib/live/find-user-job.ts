import { jobNotFound } from '../backup-jobs/get-job';
import { jobScopeFor } from '../backup-jobs/job-scope';
import { db, type Tx } from '../db/client';
import type { DispatchActor } from './send-command';

/**
 * A job the actor may reach: an admin's of the named user (within its scope), an end user's of its own
 * account (the username is then ignored). Missing and foreign jobs are the same 404. Inside a transaction, pass it as
 * `client` (a second pool connection per transaction can deadlock the pool).
 */
export async function findUserJob(actor: DispatchActor, username: string, jobId: string, client: Tx = db()) {
  const where = { id: jobId, ...jobScopeFor(actor), ...(actor.kind === 'admin' ? { username } : {}) };
  const job = await client.job.findFirst({ where, select: { accountId: true, deviceId: true, status: true, tenantId: true } });
  if (!job) throw jobNotFound(jobId);
  return job;
}
