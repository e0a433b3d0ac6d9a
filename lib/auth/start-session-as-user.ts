// AdminAccountSessionStartAsUser: a session key for an end user of the admin's tenant (top-level
// admins: any tenant), e.g. to open the user's web interface. Another tenant's user looks missing.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { userNotFound } from '../users/find-account';
import { createSession } from './session';
import { sessionTimeoutSeconds } from './session-settings';

export async function startSessionAsUser({ actor, targetUser }: { actor: AdminActor; targetUser: string }) {
  const account = await db().account.findFirst({ where: { username: targetUser, ...tenantWhere(actor) }, select: { id: true, tenantId: true, username: true } });
  if (!account) throw userNotFound(targetUser);
  const timeoutSeconds = await sessionTimeoutSeconds(); // before the transaction (see createSession)
  const key = await db().$transaction(async (tx) => {
    const sessionKey = await createSession(tx, { kind: 'user', accountId: account.id, tenantId: account.tenantId }, { timeoutSeconds });
    await emitEvent(tx, actor, {
      tenantId: account.tenantId,
      type: SEVT.SEVT_ACCOUNT_SESSION_START,
      resourceId: account.username,
      data: { Username: account.username, StartedByAdmin: actor.username },
    });
    return sessionKey;
  });
  return { Status: 200, Message: 'OK', SessionKey: key, SessionType: 'user' };
}
