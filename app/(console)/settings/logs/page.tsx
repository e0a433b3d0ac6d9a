import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { settingsTabsFor } from '@/lib/adapters/console/settings-tabs';
import { PageHeader } from '../../../../components/console/PageHeader';
import { LogViewer } from '../../../../components/console/server/LogViewer';
import { SettingsTabs } from '../../../../components/console/settings/SettingsTabs';

export async function generateMetadata() {
  return { title: (await getTranslations('serverOps.logs'))('title') };
}

export default async function LogsPage() {
  const admin = await requireAdmin();
  const tabs = settingsTabsFor(admin);
  if (!tabs.includes('logs')) notFound();
  const t = await getTranslations('settings');
  const days = await api<number[]>('/api/v1/admin/meta/list-available-log-days');
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <SettingsTabs tabs={tabs} />
      <LogViewer days={[...days].reverse()} />
    </>
  );
}
