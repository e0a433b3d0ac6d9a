'use server';
// Settings → Branding: the organization's BrandingOptions and its logo upload, through the registry.
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

export async function uploadBrandingResource(base64: string): Promise<ActionResult<{ ResourceHash: string }>> {
  return apiAction('/api/v1/admin/meta/resource/new', { upload: base64 });
}

export async function saveBranding(branding: Record<string, unknown>): Promise<ActionResult<unknown>> {
  return apiAction('/api/v1/admin/meta/branding-config/set', { BrandingConfig: branding });
}
