import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { settingsTabsFor } from '@/lib/adapters/console/settings-tabs';
import { PageHeader } from '../../../../components/console/PageHeader';
import { OrganizationImportPanel } from '../../../../components/console/server/OrganizationImportPanel';
import { SelfBackupManager } from '../../../../components/console/server/SelfBackupManager';
import { SettingsTabs } from '../../../../components/console/settings/SettingsTabs';
import type { OrganizationImport, SelfBackupRun, SelfBackupTarget } from './actions';

export async function generateMetadata() {
  return { title: (await getTranslations('serverOps.selfBackup'))('title') };
}

export default async function SelfBackupPage() {
  const admin = await requireAdmin();
  const tabs = settingsTabsFor(admin);
  if (!tabs.includes('self-backup')) notFound();
  const t = await getTranslations('settings');
  const [config, runs, imports] = await Promise.all([
    api<{ SelfBackup: { Targets: SelfBackupTarget[] | null } }>('/api/v1/admin/meta/server-config/get'),
    api<{ Runs: SelfBackupRun[] }>('/api/v1/admin/self-backup/runs', { Limit: 50 }),
    api<{ Imports: OrganizationImport[] }>('/api/v1/admin/halley/organization/imports', { Limit: 20 }),
  ]);
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <SettingsTabs tabs={tabs} />
      <div className="grid gap-6">
        <SelfBackupManager targets={config.SelfBackup?.Targets ?? []} runs={runs.Runs} />
        <OrganizationImportPanel imports={imports.Imports} />
      </div>
    </>
  );
}
