'use server';
// Settings → Storage templates and the user page's "Request storage vault", all through the admin API:
// admin/meta/remote-storage-vault/get|set|test (TargetOrganization for a top-level admin acting on a
// tenant) and admin/request-storage-vault(-providers). A template is edited by its ID against the list
// the editor started from, so a template changed by someone else meanwhile is not overwritten.
import { revalidatePath } from 'next/cache';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

type S3Settings = { S3Endpoint: string; IAMEndpoint?: string; MasterBucket: string; AccessKey: string; SecretKey: string; ObjectLockMode?: number; ObjectLockDays?: number; RemoveDeleted?: boolean; Region: string; Prefix: string };

/** A Storage Template as the API shows it (credentials ""). */
export type StorageTemplate = {
  ID: string;
  Type: string;
  Description: string;
  RemoteAddress?: string;
  Username?: string;
  Password?: string;
  S3?: S3Settings;
  /** aws / wasabi: the same settings; S3Endpoint, IAMEndpoint and Region are Halley's optional overrides of the provider's public endpoints. */
  AWS?: S3Settings;
  Wasabi?: S3Settings;
  /** b2: the master key; APIEndpoint is Halley's optional override of https://api.backblazeb2.com. */
  B2?: { KeyID: string; AppKey: string; MasterBucket: string; HideDeletedFiles?: boolean; APIEndpoint?: string };
  Custom?: { URL: string; CustomHeaders: Record<string, string>; CustomBody?: string; CustomBodyType?: string };
  StorageLimitEnabled: boolean;
  StorageLimitBytes: number;
  RebrandStorage: boolean;
  Default: boolean;
};

const target = (org: string) => (org ? { TargetOrganization: org } : {});
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

async function readTemplates(org: string): Promise<ActionResult<StorageTemplate[]>> {
  const res = await apiAction<StorageTemplate[] | null>('/api/v1/admin/meta/remote-storage-vault/get', target(org));
  return res.ok ? { ok: true, data: res.data ?? [] } : res;
}

async function writeTemplates(org: string, list: StorageTemplate[], replacement?: string): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/meta/remote-storage-vault/set', {
    RemoteStorageOptions: list,
    ...(replacement !== undefined ? { ReplacementAutoVaultID: replacement } : {}),
    ...target(org),
  });
  if (res.ok) revalidatePath('/settings/storage');
  return res;
}

/**
 * Adds a template (before = null) or replaces the one with its ID, which must still be `before`. Marking
 * it Default clears the flag on the others (the API allows one Default).
 */
export async function saveTemplate(org: string, before: StorageTemplate | null, template: StorageTemplate, changedMessage: string): Promise<ActionResult> {
  const current = await readTemplates(org);
  if (!current.ok) return current;
  const list = [...current.data];
  let at = list.length;
  if (before) {
    at = list.findIndex((t) => t.ID === before.ID);
    if (at < 0 || !same(list[at], before)) return { ok: false, message: changedMessage, status: 409 };
    list[at] = template;
  } else {
    list.push({ ...template, ID: '' });
  }
  return writeTemplates(org, template.Default ? list.map((t, i) => (i === at ? t : { ...t, Default: false })) : list);
}

/** Removes a template; `replacement` ("" for none) takes its place in policies' automatic vault setting. */
export async function deleteTemplate(org: string, before: StorageTemplate, replacement: string, changedMessage: string): Promise<ActionResult> {
  const current = await readTemplates(org);
  if (!current.ok) return current;
  const at = current.data.findIndex((t) => t.ID === before.ID);
  if (at < 0 || !same(current.data[at], before)) return { ok: false, message: changedMessage, status: 409 };
  return writeTemplates(
    org,
    current.data.filter((t) => t.ID !== before.ID),
    replacement,
  );
}

/** Tests a template as edited (credentials left "" come from the stored one of the same ID). */
export async function testTemplate(org: string, template: StorageTemplate): Promise<ActionResult<{ Status: number; Message: string }>> {
  return apiAction<{ Status: number; Message: string }>('/api/v1/admin/meta/remote-storage-vault/test', { TemplateOptions: template, ...target(org) });
}

/** The templates a vault can be requested from for a user's organization ({ID: Description}). */
export async function storageProviders(organizationId: string): Promise<ActionResult<Record<string, string>>> {
  return apiAction<Record<string, string>>('/api/v1/admin/request-storage-vault-providers', target(organizationId));
}

export async function requestVault(username: string, provider: string): Promise<ActionResult<{ DestinationID: string }>> {
  const res = await apiAction<{ DestinationID: string }>('/api/v1/admin/request-storage-vault', { TargetUser: username, StorageProvider: provider });
  if (res.ok) revalidatePath(`/users/${encodeURIComponent(username)}`);
  return res;
}
