// Session start / revoke for admins and end users, with their StreamableEvents.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor, UserActor } from '../tenancy/actor';
import { createSession, revokeSession } from './session';
import { sessionTimeoutSeconds } from './session-settings';
import { apiMessage } from '../i18n/api-messages';

type SessionKeyResponse = { Status: number; Message: string; SessionKey: string; SessionType: string };

export async function startSession(actor: AdminActor | UserActor): Promise<SessionKeyResponse> {
  const timeoutSeconds = await sessionTimeoutSeconds(); // before the transaction (see createSession)
  const key = await db().$transaction(async (tx) => {
    const owner =
      actor.kind === 'admin'
        ? ({ kind: 'admin', adminId: actor.adminId, tenantId: actor.tenantId } as const)
        : ({ kind: 'user', accountId: actor.accountId, tenantId: actor.tenantId } as const);
    // A session started with a second factor never asks for it again (see authenticate.ts).
    const sessionKey = await createSession(tx, owner, { upgraded: actor.kind === 'admin' && actor.secondFactor === true, timeoutSeconds });
    await emitEvent(tx, actor, {
      tenantId: actor.tenantId,
      type: actor.kind === 'admin' ? SEVT.SEVT_ACCOUNT_ADMIN_SESSION_START : SEVT.SEVT_ACCOUNT_SESSION_START,
      resourceId: actor.username,
      data: { Username: actor.username },
    });
    return sessionKey;
  });
  return { Status: 200, Message: 'OK', SessionKey: key, SessionType: actor.kind };
}

/** Ends the session whose key authenticated this call. */
export async function endSession(actor: AdminActor | UserActor): Promise<{ Status: number; Message: string }> {
  const sessionId = actor.sessionId;
  if (!sessionId) throw new BadRequestError(apiMessage('notSessionKeyCall'));
  await db().$transaction(async (tx) => {
    await revokeSession(tx, sessionId);
    await emitEvent(tx, actor, {
      tenantId: actor.tenantId,
      type: actor.kind === 'admin' ? SEVT.SEVT_ACCOUNT_ADMIN_SESSION_REVOKE : SEVT.SEVT_ACCOUNT_SESSION_REVOKE,
      resourceId: actor.username,
      data: { Username: actor.username },
    });
  });
  return { Status: 200, Message: 'OK' };
}
