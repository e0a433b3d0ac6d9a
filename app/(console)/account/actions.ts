'use server';
// The signed-in admin's own account: password, TOTP, security keys (all through the registry).
import { revalidatePath } from 'next/cache';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

export async function changePassword(current: string, next: string): Promise<ActionResult> {
  // The current password goes next to the session key, as the API asks for a password change.
  return apiAction('/api/v1/admin/account/set-properties', { Password: current, Security: { PasswordFormat: 0, Password: next } });
}

export async function startTotp(): Promise<ActionResult<{ Image: string; URL: string; Secret: string }>> {
  return apiAction('/api/v1/admin/account/regenerate-totp');
}

export async function confirmTotp(code: string): Promise<ActionResult<{ RecoveryCodes: string[] }>> {
  const res = await apiAction<{ RecoveryCodes: string[] }>('/api/v1/admin/account/validate-totp', { TOTPCode: code.replace(/\s+/g, '') });
  if (res.ok) revalidatePath('/account');
  return res;
}

export async function setSignInMethods(security: { AllowPasswordAndTOTPLogin?: boolean; AllowPasswordAndWebAuthnLogin?: boolean }): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/account/set-properties', { Security: security });
  if (res.ok) revalidatePath('/account');
  return res;
}

export async function startKeyRegistration(selfAddress: string): Promise<ActionResult<{ ChallengeID: string; OptionsJSON: unknown }>> {
  return apiAction('/api/v1/admin/account/webauthn/request-registration-challenge', { SelfAddress: selfAddress });
}

export async function finishKeyRegistration(selfAddress: string, challengeId: string, credential: string, description: string): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/account/webauthn/submit-challenge-response', { SelfAddress: selfAddress, ChallengeID: challengeId, Credential: credential, Description: description });
  if (res.ok) revalidatePath('/account');
  return res;
}

export async function removeKey(id: string): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/account/webauthn/remove', { ID: id });
  if (res.ok) revalidatePath('/account');
  return res;
}
