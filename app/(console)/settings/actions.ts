'use server';
import { revalidatePath } from 'next/cache';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

export async function saveLoginProtection(options: { Enabled: boolean; FailureThreshold: number; CooldownSeconds: number }): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/meta/login-protection/set', { LoginProtection: options });
  if (res.ok) revalidatePath('/settings');
  return res;
}
