'use server';
import { revalidatePath } from 'next/cache';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';
import { requestLocale } from '@/lib/adapters/i18n/request';
import { apiMessage, localizeApiMessage } from '@/lib/i18n/api-messages';

type Org = Record<string, unknown>;

export async function createTenant(name: string, hosts: string[]): Promise<ActionResult<{ ID: string }>> {
  const res = await apiAction<{ ID: string }>('/api/v1/admin/organization/set', { Organization: { Name: name, Hosts: hosts } });
  if (res.ok) revalidatePath('/tenants');
  return res;
}

export type TenantPatch = {
  Name: string;
  Hosts: string[];
  IsSuspended: boolean;
  Branding: { BrandName: string; ProductName: string; CompanyName: string; TopColor: string; AccentColor: string; HelpURL: string };
  Email: { FromName: string; FromEmail: string };
};

/** Reads the organization, applies the console's fields, writes it back (other settings are kept). */
export async function saveTenant(id: string, patch: TenantPatch): Promise<ActionResult> {
  const list = await apiAction<Record<string, Org>>('/api/v1/admin/organization/list');
  if (!list.ok) return list;
  const current = list.data[id];
  // The API's own words for a missing organization, in the console's language.
  if (!current) return { ok: false, status: 404, message: localizeApiMessage(apiMessage('organizationNotFound', { id }), await requestLocale()), messageKey: 'organizationNotFound' };
  const org = {
    ...current,
    Name: patch.Name,
    Hosts: patch.Hosts,
    IsSuspended: patch.IsSuspended,
    Branding: { ...(current.Branding as Org), ...patch.Branding },
    Email: { ...(current.Email as Org), ...patch.Email },
  };
  const res = await apiAction('/api/v1/admin/organization/set', { OrganizationID: id, Organization: org });
  if (res.ok) revalidatePath(`/tenants/${id}`);
  return res;
}

export async function deleteTenant(id: string): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/organization/delete', { OrganizationID: id });
  if (res.ok) revalidatePath('/tenants');
  return res;
}
