import { AppError, BadRequestError } from '../errors';
import { findUserJob } from './find-user-job';
import { relay } from './relay';
import { sendCommand, type DispatchActor, type DispatchOutcome } from './send-command';
import { apiMessage } from '../i18n/api-messages';

/**
 * AdminJobCancel / UserWebJobCancel: asks the device running the job to cancel it; the device reports
 * the end. `username` is the admin's TargetUser (an end user reaches only their own jobs).
 */
export async function cancelJob({ actor, username = '', jobId }: { actor: DispatchActor; username?: string; jobId: string }): Promise<DispatchOutcome> {
  const job = await findUserJob(actor, username, jobId);
  if (job.status < 6000 || job.status > 6999) throw new BadRequestError(apiMessage('jobNotRunning', { id: jobId.slice(0, 100) }));
  const conn = job.accountId ? await relay().connectionOfDevice(job.accountId, job.deviceId) : null;
  if (!conn) throw new AppError(503, apiMessage('jobDeviceOffline'));
  await sendCommand(conn, { type: 'cancel-job', jobId });
  return { Status: 200, Message: 'OK' };
}
