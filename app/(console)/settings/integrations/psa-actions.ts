'use server';
// PSA integrations (Settings → Integrations): Comet's admin/meta/psa-config-list/get|set|sync-now and Halley's
// status extension, all through the registry. get answers secrets blank/masked and set keeps a stored secret
// when it comes back that way, so editing one entry rewrites the list without ever seeing a key.
import { revalidatePath } from 'next/cache';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

export type PsaConfig = {
  AlertsDisabled: boolean;
  CustomHeaders?: Record<string, string>;
  PartnerKey?: string;
  Type: number;
  URL: string;
  GroupedBy: { Users: boolean; Tenants: boolean; AccountName: boolean };
} & Record<string, unknown>;

export type PsaPush = {
  PushID: string;
  Trigger: string;
  Status: 'pending' | 'delivered' | 'failed';
  Attempts: number;
  ResponseCode: number;
  LastError: string;
  Requests: number;
  Groups: number;
  Alerts: number;
  CreatedAt: number;
  LastAttemptAt: number;
  FinishedAt: number;
};

export type PsaIntegrationStatus = { Index: number; Type: number; TypeName: string; URL: string; HasPartnerKey: boolean; HeaderNames: string[]; Pushes: PsaPush[] };

async function change(mutate: (list: PsaConfig[]) => PsaConfig[]): Promise<ActionResult> {
  const current = await apiAction<PsaConfig[]>('/api/v1/admin/meta/psa-config-list/get');
  if (!current.ok) return current;
  const res = await apiAction('/api/v1/admin/meta/psa-config-list/set', { PSAConfigList: mutate([...(current.data ?? [])]) });
  if (res.ok) revalidatePath('/settings/integrations');
  return res;
}

/** Saves one integration: `index` null adds it at the end. A blank PartnerKey keeps the stored one. */
export async function savePsaConfig(index: number | null, config: PsaConfig): Promise<ActionResult> {
  return change((list) => {
    if (index === null || index >= list.length) return [...list, config];
    // Fields this form does not edit (Comet additions) are kept.
    list[index] = { ...list[index], ...config };
    return list;
  });
}

export async function deletePsaConfig(index: number): Promise<ActionResult> {
  return change((list) => list.filter((_, i) => i !== index));
}

export async function syncPsaNow(): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/meta/psa-config-list/sync-now');
  if (res.ok) revalidatePath('/settings/integrations');
  return res;
}

export async function psaStatus(): Promise<ActionResult<{ Integrations: PsaIntegrationStatus[] }>> {
  return apiAction('/api/v1/admin/meta/psa-config-list/status');
}
