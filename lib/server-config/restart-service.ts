// admin/meta/restart-service (top level, PreventServerShutdown): Restarts web and workers on this node gracefully (the web drains, the workers finish the jobs in hand) and the supervisor starts them again without counting a crash.
// The answer goes out before the processes stop (the web process drains in-flight requests).
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { emitEvent } from '../events/emit';
import { log } from '../log';
import type { AdminActor } from '../tenancy/actor';
import { requirePermission } from '../tenancy/permissions';
import { requireTopLevel } from '../tenancy/scope';
import { signalSupervisor, supervisorPid } from './signal-supervisor';

export async function restartService({ actor }: { actor: AdminActor }): Promise<void> {
  requireTopLevel(actor);
  requirePermission(actor, 'server.shutdown');
  // Without a supervisor this throws the reason, before anything is recorded.
  if (supervisorPid() === null) await signalSupervisor('restart', actor.username);
  await db().$transaction((tx) =>
    emitEvent(tx, actor, { tenantId: actor.tenantId, type: SEVT.SEVT_SERVER_UPDATED, resourceId: '', data: { Service: { Action: 'restart', By: actor.username } } }),
  );
  log.warn({ by: actor.username }, 'restart-service: asking the supervisor to restart web and workers');
  await signalSupervisor('restart', actor.username);
}
