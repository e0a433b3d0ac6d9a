'use server';
// Settings → Server: restart and shutdown of the node that answers, through the registry (top-level
// administrators with the server shutdown permission, as the endpoints).
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

export async function restartService(): Promise<ActionResult> {
  return apiAction('/api/v1/admin/meta/restart-service');
}

export async function shutdownService(): Promise<ActionResult> {
  return apiAction('/api/v1/admin/meta/shutdown-service');
}
