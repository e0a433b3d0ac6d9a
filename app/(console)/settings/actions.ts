'use server';
import { revalidatePath } from 'next/cache';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

export async function saveLoginProtection(options: { Enabled: boolean; FailureThreshold: number; CooldownSeconds: number }): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/meta/login-protection/set', { LoginProtection: options });
  if (res.ok) revalidatePath('/settings');
  return res;
}

export async function savePasswordPolicy(policy: { MinLength: number; RejectCommon: boolean }): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/meta/password-policy/set', policy);
  if (res.ok) revalidatePath('/settings');
  return res;
}
