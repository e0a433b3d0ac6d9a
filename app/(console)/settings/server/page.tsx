import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { settingsTabsFor } from '@/lib/adapters/console/settings-tabs';
import { PageHeader } from '../../../../components/console/PageHeader';
import { ServiceControls } from '../../../../components/console/server/ServiceControls';
import { SettingsTabs } from '../../../../components/console/settings/SettingsTabs';

export async function generateMetadata() {
  return { title: (await getTranslations('serverOps.service'))('title') };
}

export default async function ServerPage() {
  const admin = await requireAdmin();
  const tabs = settingsTabsFor(admin);
  if (!tabs.includes('server')) notFound();
  const t = await getTranslations('settings');
  const version = await api<{ Version: string; VersionCodename: string; ServerStartTime: number }>('/api/v1/admin/meta/version');
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <SettingsTabs tabs={tabs} />
      <ServiceControls version={`${version.VersionCodename} (${version.Version})`} startedAt={version.ServerStartTime} />
    </>
  );
}
