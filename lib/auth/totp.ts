// TOTP (RFC 6238, 30 s steps, 6 digits) for admins and end users. Secrets are stored sealed
// (lib/secrets); a code from the previous or next step is accepted to allow for clock drift.
import { verify } from 'otplib';
import { unseal } from '../secrets';

export async function verifyTotpCode(sealedSecret: string, code: string): Promise<boolean> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return false;
  const result = await verify({ secret: unseal(sealedSecret), token, epochTolerance: 30 });
  return result.valid;
}
