// admin/meta/shutdown-service (top level, PreventServerShutdown): Stops the server on this node cleanly (workers, web, then the PostgreSQL and Redis that npm start runs); the supervisor exits 0.
// The answer goes out before the processes stop (the web process drains in-flight requests).
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { emitEvent } from '../events/emit';
import { log } from '../log';
import type { AdminActor } from '../tenancy/actor';
import { requirePermission } from '../tenancy/permissions';
import { requireTopLevel } from '../tenancy/scope';
import { signalSupervisor, supervisorPid } from './signal-supervisor';

export async function shutdownService({ actor }: { actor: AdminActor }): Promise<void> {
  requireTopLevel(actor);
  requirePermission(actor, 'server.shutdown');
  // Without a supervisor this throws the reason, before anything is recorded.
  if (supervisorPid() === null) await signalSupervisor('shutdown', actor.username);
  await db().$transaction((tx) =>
    emitEvent(tx, actor, { tenantId: actor.tenantId, type: SEVT.SEVT_SERVER_UPDATED, resourceId: '', data: { Service: { Action: 'shutdown', By: actor.username } } }),
  );
  log.warn({ by: actor.username }, 'shutdown-service: asking the supervisor to shutdown the server');
  await signalSupervisor('shutdown', actor.username);
}
