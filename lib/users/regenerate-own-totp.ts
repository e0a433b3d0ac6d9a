// UserWebAccountRegenerateTotp: a new TOTP secret for the calling end user, as a QR code (PNG data URI) and
// its otpauth:// URL. It waits, sealed, until user/web/account/validate-totp confirms a code from it; until
// then the current secret, if any, stays in force.
import { serviceNameFor } from '../tenancy/service-name';
import { newTotpSecret } from '../credentials/totp';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { emitEvent } from '../events/emit';
import { seal } from '../secrets';
import type { UserActor } from '../tenancy/actor';
import { lockOwnAccountAtHash } from './own-account-change';
import { profileAndHash } from './profile-hash';
import { findOwnAccount } from './find-account';

export async function regenerateOwnTotp({ actor, profileHash }: { actor: UserActor; profileHash: string }) {
  const totp = await newTotpSecret({ issuer: await serviceNameFor(actor.tenantId), account: actor.username });
  const hash = await db().$transaction(async (tx) => {
    const account = await lockOwnAccountAtHash(tx, actor, profileHash);
    // tenancy: derived — the caller's own account, found in its scope above
    await tx.account.update({ where: { id: account.id }, data: { totpPendingSecret: seal(totp.secret) } });
    await emitEvent(tx, actor, { tenantId: actor.tenantId, type: SEVT.SEVT_ACCOUNT_UPDATED, resourceId: actor.username, data: { Username: actor.username, Change: 'totp-regenerated' } });
    return profileAndHash(await findOwnAccount(tx, actor)).hash;
  });
  return { Status: 200, Message: 'OK', Image: totp.image, URL: totp.url, ProfileHash: hash };
}
