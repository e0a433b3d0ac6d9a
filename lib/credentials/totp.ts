// TOTP (RFC 6238, 30 s steps, 6 digits) for admins and end users. Secrets are stored sealed
// (lib/secrets); a code from the previous or next step is accepted to allow for clock drift.
// Codes are not marked as used: Comet's PHP SDK resends the same TOTP code with every call.
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { unseal } from '../secrets';

export function isTotpCodeShape(code: string): boolean {
  return /^\d{6}$/.test(code.replace(/\s+/g, ''));
}

export async function verifyTotpCode(sealedSecret: string, code: string): Promise<boolean> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return false;
  const result = await verify({ secret: unseal(sealedSecret), token, epochTolerance: 30 });
  return result.valid;
}

type NewTotpSecret = { secret: string; url: string; image: string };

/** A fresh base32 secret with its otpauth:// URI and that URI as a QR code (PNG data URI). */
export async function newTotpSecret(opts: { issuer: string; account: string }): Promise<NewTotpSecret> {
  const secret = generateSecret();
  const url = generateURI({ issuer: opts.issuer, label: opts.account, secret });
  const image = await QRCode.toDataURL(url, { type: 'image/png', errorCorrectionLevel: 'M', margin: 2, width: 256 });
  return { secret, url, image };
}
