'use server';
// Clients page: install tokens through the registry with the signed-in admin's session (API-first).
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

export type TInstallToken = { Username: string; Server: string; Token: string; CreateTime: number; Used: boolean; ExpireTime: number };

export async function createInstallToken(input: { TargetUser: string; TargetPassword: string; Server: string }): Promise<ActionResult<{ InstallToken: TInstallToken }>> {
  return apiAction('/api/v1/admin/create-install-token', {
    TargetUser: input.TargetUser,
    TargetPassword: input.TargetPassword,
    Server: input.Server.trim() || undefined,
  });
}
