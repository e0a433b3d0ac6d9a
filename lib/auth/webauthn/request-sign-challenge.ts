// Halley's account/webauthn/request-authentication-challenge: after the password, options for
// navigator.credentials.get() over the admin's keys. The answer then signs in with
// AuthType=PasswordWebAuthn and WebAuthnSign = {"ChallengeID": …, "CredentialJSON": …}.
import { generateAuthenticationOptions } from '@simplewebauthn/server';
import { db } from '../../db/client';
import { BadRequestError } from '../../errors';
import { shapeWire } from '../../profile/mapper';
import { storeChallenge } from './challenges';
import { base64UrlToStd, relyingPartyFrom } from './relying-party';
import { apiMessage } from '../../i18n/api-messages';

export async function requestWebAuthnSignChallenge({ adminId, selfAddress }: { adminId: string; selfAddress?: string }) {
  const creds = await db().adminWebAuthnCredential.findMany({
    where: { adminId },
    select: { credentialId: true, transports: true, rpId: true, origin: true, createdAt: true, lastUsedAt: true },
  });
  if (creds.length === 0) throw new BadRequestError(apiMessage('noSecurityKey'));
  // One ceremony has one RP ID: the SelfAddress host when given, else that of the most recently used key.
  let rpId: string;
  let origin: string;
  if (selfAddress) {
    ({ rpId, origin } = relyingPartyFrom(selfAddress));
  } else {
    const latest = [...creds].sort((a, b) => (b.lastUsedAt ?? b.createdAt).getTime() - (a.lastUsedAt ?? a.createdAt).getTime())[0];
    ({ rpId, origin } = latest);
  }
  const usable = creds.filter((c) => c.rpId === rpId);
  if (usable.length === 0) throw new BadRequestError(apiMessage('noSecurityKeyFor', { rpId }));
  const options = await generateAuthenticationOptions({
    rpID: rpId,
    allowCredentials: usable.map((c) => ({ id: c.credentialId, transports: c.transports })),
    userVerification: 'preferred',
  });
  const challengeId = await storeChallenge({ adminId, purpose: 'authentication', challenge: options.challenge, rpId, origin });
  return shapeWire('WebAuthnSignRequest', {
    ChallengeID: challengeId,
    Assertion: {
      publicKey: {
        challenge: base64UrlToStd(options.challenge),
        timeout: options.timeout,
        rpId,
        allowCredentials: options.allowCredentials?.map((c) => ({ type: c.type, id: base64UrlToStd(c.id), transports: c.transports })),
        userVerification: options.userVerification,
      },
    },
    Status: 200,
    Message: 'OK',
    OptionsJSON: options,
  });
}
