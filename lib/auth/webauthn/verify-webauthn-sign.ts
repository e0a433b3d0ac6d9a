// Checks the WebAuthnSign auth field of a PasswordWebAuthn sign-in: {"ChallengeID", "CredentialJSON"}
// (Comet's WebAuthnSignResponse; CredentialJSON may be the JSON text or the object). The challenge is
// used up whatever the outcome; the key's signature counter and last use are updated on success.
import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import { db } from '../../db/client';
import { log } from '../../log';
import { takeChallenge } from './challenges';

function parseSign(raw: string): { challengeId: string; response: AuthenticationResponseJSON } | null {
  try {
    const outer = JSON.parse(raw) as { ChallengeID?: unknown; CredentialJSON?: unknown };
    const inner = typeof outer.CredentialJSON === 'string' ? JSON.parse(outer.CredentialJSON) : outer.CredentialJSON;
    if (typeof outer.ChallengeID !== 'string' || !inner || typeof inner !== 'object' || typeof inner.id !== 'string') return null;
    return { challengeId: outer.ChallengeID, response: inner as AuthenticationResponseJSON };
  } catch {
    return null;
  }
}

export async function verifyWebAuthnSign(adminId: string, raw: string): Promise<boolean> {
  const sign = parseSign(raw);
  if (!sign) return false;
  const challenge = await takeChallenge({ id: sign.challengeId, adminId, purpose: 'authentication' });
  if (!challenge) return false;
  const cred = await db().adminWebAuthnCredential.findFirst({
    where: { adminId, credentialId: sign.response.id, rpId: challenge.rpId },
    select: { id: true, credentialId: true, publicKey: true, counter: true, transports: true, origin: true },
  });
  if (!cred) return false;
  try {
    const result = await verifyAuthenticationResponse({
      response: sign.response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: [challenge.origin, cred.origin],
      expectedRPID: challenge.rpId,
      credential: { id: cred.credentialId, publicKey: new Uint8Array(cred.publicKey), counter: Number(cred.counter), transports: cred.transports },
      requireUserVerification: false,
    });
    if (!result.verified) return false;
    await db().adminWebAuthnCredential.update({
      where: { id: cred.id },
      data: { counter: BigInt(result.authenticationInfo.newCounter), lastUsedAt: new Date() },
    });
    return true;
  } catch (err) {
    log.info({ adminId, err: (err as Error).message }, 'WebAuthn assertion refused');
    return false;
  }
}
