// AdminAccountWebauthnRequestRegistrationChallenge: options for navigator.credentials.create(), in
// Comet's shape (CredentialCreationOptions, []byte fields as standard base64) and, as Halley's
// addition, OptionsJSON in the WebAuthn JSON form (base64url) that browser libraries take as is.
import { generateRegistrationOptions } from '@simplewebauthn/server';
import { db } from '../db/client';
import { shapeWire } from '../profile/mapper';
import type { AdminActor } from '../tenancy/actor';
import { storeChallenge } from '../auth/webauthn/challenges';
import { base64UrlToStd, relyingPartyFrom } from '../auth/webauthn/relying-party';
import { serviceNameFor } from '../tenancy/service-name';

export async function requestWebAuthnRegistration({ actor, selfAddress }: { actor: AdminActor; selfAddress: string }) {
  const rp = relyingPartyFrom(selfAddress);
  const existing = await db().adminWebAuthnCredential.findMany({ where: { adminId: actor.adminId }, select: { credentialId: true, transports: true } });
  const options = await generateRegistrationOptions({
    rpName: await serviceNameFor(actor.tenantId),
    rpID: rp.rpId,
    userName: actor.username,
    userID: new TextEncoder().encode(actor.adminId),
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: c.transports })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  const challengeId = await storeChallenge({ adminId: actor.adminId, purpose: 'registration', challenge: options.challenge, rpId: rp.rpId, origin: rp.origin });
  const creation = {
    challenge: base64UrlToStd(options.challenge),
    rp: { name: options.rp.name, id: options.rp.id ?? rp.rpId },
    user: { name: options.user.name, displayName: options.user.displayName, id: base64UrlToStd(options.user.id) },
    pubKeyCredParams: options.pubKeyCredParams,
    authenticatorSelection: options.authenticatorSelection,
    timeout: options.timeout,
    excludeCredentials: options.excludeCredentials?.map((c) => ({ type: c.type, id: base64UrlToStd(c.id), transports: c.transports })),
    attestation: options.attestation,
  };
  return shapeWire('WebAuthnRegistrationChallengeResponse', {
    Status: 200,
    Message: 'OK',
    ChallengeID: challengeId,
    CredentialCreationOptions: creation,
    OptionsJSON: options,
  });
}
