import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { settingsTabsFor } from '@/lib/adapters/console/settings-tabs';
import { PageHeader } from '../../../../components/console/PageHeader';
import { SelfBackupManager } from '../../../../components/console/server/SelfBackupManager';
import { SettingsTabs } from '../../../../components/console/settings/SettingsTabs';
import type { SelfBackupRun, SelfBackupTarget } from './actions';

export async function generateMetadata() {
  return { title: (await getTranslations('serverOps.selfBackup'))('title') };
}

export default async function SelfBackupPage() {
  const admin = await requireAdmin();
  const tabs = settingsTabsFor(admin);
  if (!tabs.includes('self-backup')) notFound();
  const t = await getTranslations('settings');
  const [config, runs] = await Promise.all([
    api<{ SelfBackup: { Targets: SelfBackupTarget[] | null } }>('/api/v1/admin/meta/server-config/get'),
    api<{ Runs: SelfBackupRun[] }>('/api/v1/admin/self-backup/runs', { Limit: 50 }),
  ]);
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <SettingsTabs tabs={tabs} />
      <SelfBackupManager targets={config.SelfBackup?.Targets ?? []} runs={runs.Runs} />
    </>
  );
}
