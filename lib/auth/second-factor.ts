// Which sign-in methods an admin has, and checking the second factor of a request.
//   - TOTP is on once account/validate-totp succeeded (AllowPasswordAndTOTPLogin and a stored secret).
//   - WebAuthn is on while at least one key is registered (AllowPasswordAndWebAuthnLogin; kept in step
//     with the keys by the code that adds and removes them).
//   - With either on, the password alone is not enough. Comet lets AllowPasswordLogin=true keep plain
//     password sign-in working next to a second factor; Halley does not (a second factor that can be
//     skipped protects nothing), and treats AllowPasswordLogin=false with a second factor on as
//     "password plus that factor", as Comet's own settings page writes it.
import { consumeRecoveryCode, looksLikeRecoveryCode } from './recovery-codes';
import { isTotpCodeShape, verifyTotpCode } from '../credentials/totp';
import { verifyWebAuthnSign } from './webauthn/verify-webauthn-sign';

export type FactorState = {
  allowPasswordLogin: boolean;
  allowPasswordAndTotpLogin: boolean;
  allowPasswordAndWebAuthnLogin: boolean;
  totpSecret: string | null;
};

export const totpEnabled = (a: FactorState): boolean => a.allowPasswordAndTotpLogin && !!a.totpSecret;
const webAuthnEnabled = (a: FactorState): boolean => a.allowPasswordAndWebAuthnLogin;
export const secondFactorRequired = (a: FactorState): boolean => totpEnabled(a) || webAuthnEnabled(a);
export const passwordSignInAllowed = (a: FactorState): boolean => a.allowPasswordLogin || secondFactorRequired(a);

type FactorResult = { outcome: 'missing' } | { outcome: 'wrong'; method: string } | { outcome: 'ok'; method: 'totp' | 'recovery-code' | 'webauthn' };

/** Checks the TOTP (or recovery code) or WebAuthnSign field that came with the request. */
export async function checkSecondFactor(admin: FactorState & { id: string }, fields: { totp: string; webauthnSign: string }): Promise<FactorResult> {
  if (fields.totp !== '' && totpEnabled(admin)) {
    if (isTotpCodeShape(fields.totp)) {
      return (await verifyTotpCode(admin.totpSecret!, fields.totp)) ? { outcome: 'ok', method: 'totp' } : { outcome: 'wrong', method: 'totp' };
    }
    if (looksLikeRecoveryCode(fields.totp)) {
      return (await consumeRecoveryCode(admin.id, fields.totp)) ? { outcome: 'ok', method: 'recovery-code' } : { outcome: 'wrong', method: 'recovery-code' };
    }
    return { outcome: 'wrong', method: 'totp' };
  }
  if (fields.webauthnSign !== '' && webAuthnEnabled(admin)) {
    return (await verifyWebAuthnSign(admin.id, fields.webauthnSign)) ? { outcome: 'ok', method: 'webauthn' } : { outcome: 'wrong', method: 'webauthn' };
  }
  return { outcome: 'missing' };
}
