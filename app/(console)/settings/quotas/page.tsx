import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { settingsTabsFor } from '@/lib/adapters/console/settings-tabs';
import { tenantOptions } from '@/lib/adapters/console/tenant-options';
import { PageHeader } from '../../../../components/console/PageHeader';
import { SettingsTabs } from '../../../../components/console/settings/SettingsTabs';
import { SharedQuotas, type QuotaRow } from '../../../../components/console/quotas/SharedQuotas';
import type { SharedQuota } from './actions';

export async function generateMetadata() {
  return { title: (await getTranslations('sharedQuotas'))('title') };
}

export default async function SharedQuotasPage() {
  const admin = await requireAdmin();
  const tabs = settingsTabsFor(admin);
  if (!tabs.includes('quotas')) notFound();
  const settings = await getTranslations('settings');
  const t = await getTranslations('sharedQuotas');
  const [list, tenants] = await Promise.all([api<{ Entries: Record<string, SharedQuota> }>('/api/v1/admin/squota/list-all'), tenantOptions(admin, t('topLevel'))]);
  const rows: QuotaRow[] = await Promise.all(
    Object.keys(list.Entries ?? {}).map(async (id) => {
      const got = await api<{ SharedStorageQuota: SharedQuota; SharedStorageQuotaHash: string; CurrentUsage: number }>('/api/v1/admin/squota/get-with-hash', { SharedStorageQuotaID: id });
      return { id, quota: got.SharedStorageQuota, hash: got.SharedStorageQuotaHash, used: got.CurrentUsage };
    }),
  );
  return (
    <>
      <PageHeader title={settings('title')} description={settings('description')} />
      <SettingsTabs tabs={tabs} />
      <SharedQuotas rows={rows} tenants={tenants} />
    </>
  );
}
