// AdminAccountRegenerateTotp: a new TOTP secret for the calling admin, returned as a QR code (Image,
// a PNG data URI), its otpauth:// URL and — Halley's addition, for password managers — the base32
// Secret. It waits (sealed) until account/validate-totp confirms a code from it; until then the
// current secret, if any, stays in force.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { emitEvent } from '../events/emit';
import { seal } from '../secrets';
import type { AdminActor } from '../tenancy/actor';
import { newTotpSecret } from '../credentials/totp';
import { serviceNameFor } from '../tenancy/service-name';

export async function regenerateTotp({ actor }: { actor: AdminActor }) {
  const totp = await newTotpSecret({ issuer: await serviceNameFor(actor.tenantId), account: actor.username });
  await db().$transaction(async (tx) => {
    // tenancy: own — the admin's own row (actor.adminId)
    await tx.adminUser.update({ where: { id: actor.adminId }, data: { totpPendingSecret: seal(totp.secret) } });
    await emitEvent(tx, actor, { tenantId: actor.tenantId, type: SEVT.SEVT_ACCOUNT_ADMIN_UPDATED, resourceId: actor.username, data: { Username: actor.username, Change: 'totp-regenerated' } });
  });
  return { Status: 200, Message: 'OK', Image: totp.image, URL: totp.url, ProfileHash: '', Secret: totp.secret };
}
