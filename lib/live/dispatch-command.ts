// The dispatcher: admins act on live devices (Comet's admin/dispatcher/*). Every target is looked up within
// the caller's tenant scope; a connection of another tenant is answered exactly like a missing one.
import { db } from '../db/client';
import { BadRequestError, NotFoundError } from '../errors';
import { apiMessage, localizeApiMessage } from '../i18n/api-messages';
import type { Locale } from '../i18n/locales';
import { canSee } from '../tenancy/can-see';
import { tenantWhere } from '../tenancy/scope';
import type { TCommand } from './protocol';
import { relay } from './relay';
import { sendCommand, type DispatchActor, type DispatchOutcome } from './send-command';

/** Comet answers an unknown (or foreign) TargetID with Status 403 and exactly this message. */
function connectionNotFound(): NotFoundError {
  return new NotFoundError(apiMessage('unauthorised'), 403);
}

/**
 * Sends one command to a live connection. With `queueIfOffline` (Halley extension) a TargetID that is
 * not a live connection is read as a registered device's ID, and the command waits for its next connection.
 */
export async function dispatchCommand(opts: {
  actor: DispatchActor;
  targetId: string;
  /** Checks against the device's account (the rule, item or vault exists) before anything is sent. */
  build: (target: { accountId: string }) => Promise<TCommand>;
  queueIfOffline?: boolean;
  /** The language of a queued command's Message (the caller's); a device's own answer is its words. */
  locale?: Locale;
}): Promise<DispatchOutcome> {
  const conn = await relay().commandTarget(opts.targetId);
  if (conn && canSee(opts.actor, conn.tenantId, conn.accountId)) {
    const cmd = await opts.build(conn);
    const result = await sendCommand(conn, cmd);
    return { Status: 200, Message: result.message || 'OK', ...('jobId' in cmd ? { JobID: cmd.jobId } : {}) };
  }
  if (!opts.queueIfOffline || opts.actor.kind !== 'admin') throw connectionNotFound();
  const devices = await db().device.findMany({ where: { deviceId: opts.targetId, ...tenantWhere(opts.actor) }, select: { accountId: true }, take: 2 });
  if (devices.length === 0) throw connectionNotFound();
  if (devices.length > 1) throw new BadRequestError(apiMessage('deviceIdAmbiguous', { id: opts.targetId.slice(0, 100) }));
  const live = await relay().connectionOfDevice(devices[0].accountId, opts.targetId);
  const cmd = await opts.build(devices[0]);
  if (live) {
    const result = await sendCommand(live, cmd);
    return { Status: 200, Message: result.message || 'OK', ...('jobId' in cmd ? { JobID: cmd.jobId } : {}) };
  }
  await relay().enqueue(devices[0].accountId, opts.targetId, cmd);
  return { Status: 200, Message: localizeApiMessage(apiMessage('dispatchQueued'), opts.locale ?? 'en'), ...('jobId' in cmd ? { JobID: cmd.jobId } : {}) };
}
