import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { settingsTabsFor } from '@/lib/adapters/console/settings-tabs';
import { tenantOptions } from '@/lib/adapters/console/tenant-options';
import { PageHeader } from '../../../../components/console/PageHeader';
import { SettingsTabs } from '../../../../components/console/settings/SettingsTabs';
import { StorageTemplates } from '../../../../components/console/storage/StorageTemplates';
import type { StorageTemplate } from './actions';

export async function generateMetadata() {
  return { title: (await getTranslations('storage'))('title') };
}

export default async function StorageSettingsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const admin = await requireAdmin();
  const tabs = settingsTabsFor(admin);
  if (!tabs.includes('storage')) notFound();
  const settings = await getTranslations('settings');
  const t = await getTranslations('storage');
  const sp = await searchParams;
  const tenants = await tenantOptions(admin, t('serverLevel'));
  const org = tenants && sp.org && tenants.some((o) => o.id === sp.org) ? sp.org : '';
  const templates = await api<StorageTemplate[] | null>('/api/v1/admin/meta/remote-storage-vault/get', org ? { TargetOrganization: org } : {});
  return (
    <>
      <PageHeader title={settings('title')} description={settings('description')} />
      <SettingsTabs tabs={tabs} />
      <StorageTemplates templates={templates ?? []} org={org} tenants={tenants} />
    </>
  );
}
