// AdminAccountWebauthnSubmitChallengeResponse: verifies the authenticator's attestation against the
// stored challenge and saves the credential. The first key switches AllowPasswordAndWebAuthnLogin on;
// registering proves possession, so the session used for it counts as upgraded. A key registered without a name
// is named "Security key N" in the registering admin's language (the request's): the name is the admin's own
// label, stored once and renamed through WebAuthnRegistrations like any other, so it does not change with the
// language of whoever reads it later (and a profile read in German and written back renames nothing).
import { verifyRegistrationResponse, type RegistrationResponseJSON } from '@simplewebauthn/server';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db, isUniqueViolation } from '../db/client';
import { BadRequestError, ConflictError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { takeChallenge } from '../auth/webauthn/challenges';
import { relyingPartyFrom } from '../auth/webauthn/relying-party';
import { apiMessage, localizeApiMessage } from '../i18n/api-messages';
import type { Locale } from '../i18n/locales';
import { webauthnFailure } from '../i18n/webauthn-failure';

const MAX_DESCRIPTION = 100;

function parseCredential(raw: string): RegistrationResponseJSON & { Description?: unknown } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new BadRequestError(apiMessage('credentialNotJson'));
  }
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v !== 'object' || typeof v.id !== 'string' || typeof v.response !== 'object' || v.response === null) {
    throw new BadRequestError(apiMessage('credentialIncomplete'));
  }
  return value as RegistrationResponseJSON & { Description?: unknown };
}

export async function submitWebAuthnRegistration(opts: { actor: AdminActor; selfAddress: string; challengeId: string; credential: string; description?: string; locale?: Locale }) {
  const { actor } = opts;
  const rp = relyingPartyFrom(opts.selfAddress);
  const credential = parseCredential(opts.credential);
  const challenge = await takeChallenge({ id: opts.challengeId, adminId: actor.adminId, purpose: 'registration' });
  if (!challenge) throw new BadRequestError(apiMessage('challengeUnknown'));
  if (challenge.origin !== rp.origin) throw new BadRequestError(apiMessage('challengeOtherAddress'));
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response: credential,
      expectedChallenge: challenge.challenge,
      expectedOrigin: challenge.origin,
      expectedRPID: challenge.rpId,
      requireUserVerification: false,
    });
  } catch (err) {
    throw new BadRequestError(apiMessage('securityKeyNotVerifiedWhy', { reason: webauthnFailure(err) }));
  }
  if (!verified.verified) throw new BadRequestError(apiMessage('securityKeyResponseNotVerified'));
  const info = verified.registrationInfo;
  const given = opts.description ?? (typeof credential.Description === 'string' ? credential.Description : '');
  const count = await db().adminWebAuthnCredential.count({ where: { adminId: actor.adminId } });
  const description = given.trim().slice(0, MAX_DESCRIPTION) || localizeApiMessage(apiMessage('securityKeyDefaultName', { number: count + 1 }), opts.locale ?? 'en');
  try {
    await db().$transaction(async (tx) => {
      await tx.adminWebAuthnCredential.create({
        data: {
          adminId: actor.adminId,
          credentialId: info.credential.id,
          publicKey: Buffer.from(info.credential.publicKey),
          counter: BigInt(info.credential.counter),
          transports: info.credential.transports ?? [],
          description,
          rpId: challenge.rpId,
          origin: challenge.origin,
          aaguid: info.aaguid,
        },
      });
      // tenancy: own — the admin's own row and session (actor.adminId, actor.sessionId)
      await tx.adminUser.update({ where: { id: actor.adminId }, data: { allowPasswordAndWebAuthnLogin: true } });
      if (actor.sessionId) await tx.session.updateMany({ where: { id: actor.sessionId, adminId: actor.adminId }, data: { upgraded: true } });
      await emitEvent(tx, actor, {
        tenantId: actor.tenantId,
        type: SEVT.SEVT_ACCOUNT_ADMIN_UPDATED,
        resourceId: actor.username,
        data: { Username: actor.username, Change: 'webauthn-registered', Description: description },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(apiMessage('securityKeyAlreadyRegistered'));
    throw err;
  }
  return { Status: 200, Message: 'OK', ID: Buffer.from(info.credential.id, 'base64url').toString('base64'), Description: description };
}
