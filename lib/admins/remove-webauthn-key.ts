// Halley's account/webauthn/remove: removes one of the calling admin's security keys by its ID (as
// account/properties lists it in WebAuthnRegistrations). The last key switches WebAuthn sign-in off.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { NotFoundError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { removeWebAuthnCredentials } from './remove-webauthn-credentials';
import { apiMessage } from '../i18n/api-messages';

export async function removeWebAuthnKey({ actor, id }: { actor: AdminActor; id: string }): Promise<void> {
  await db().$transaction(async (tx) => {
    const removed = await removeWebAuthnCredentials(tx, actor.adminId, { removeWireIds: [id] });
    if (removed === 0) throw new NotFoundError(apiMessage('securityKeyIdNotFound'));
    await emitEvent(tx, actor, { tenantId: actor.tenantId, type: SEVT.SEVT_ACCOUNT_ADMIN_UPDATED, resourceId: actor.username, data: { Username: actor.username, Changes: ['webauthn-removed'] } });
  });
}
