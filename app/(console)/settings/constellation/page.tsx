import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { settingsTabsFor } from '@/lib/adapters/console/settings-tabs';
import type { TConstellationBucketRow, TConstellationGuards } from '@/lib/constellation/list-constellation-buckets';
import type { TMissingWire, TTargetWire } from '@/lib/constellation/run-constellation';
import { PageHeader } from '../../../../components/console/PageHeader';
import { ConstellationPanel, type ConstellationStatus } from '../../../../components/console/constellation/ConstellationPanel';
import { ConstellationTargets } from '../../../../components/console/constellation/ConstellationTargets';
import { SettingsTabs } from '../../../../components/console/settings/SettingsTabs';
import type { ConstellationOptions } from './actions';

export async function generateMetadata() {
  return { title: (await getTranslations('constellation'))('title') };
}

export default async function ConstellationPage() {
  const admin = await requireAdmin();
  const tabs = settingsTabsFor(admin);
  if (!tabs.includes('constellation')) notFound();
  const settings = await getTranslations('settings');
  const [options, status, buckets] = await Promise.all([
    api<ConstellationOptions>('/api/v1/admin/meta/constellation/config/get'),
    api<ConstellationStatus>('/api/v1/admin/constellation/status'),
    api<{ CheckStarted: number; CheckCompleted: number; Complete: boolean; Guards: TConstellationGuards; Targets: TTargetWire[]; Missing: TMissingWire[]; Buckets: TConstellationBucketRow[] }>('/api/v1/admin/constellation/buckets'),
  ]);
  return (
    <>
      <PageHeader title={settings('title')} description={settings('description')} />
      <SettingsTabs tabs={tabs} />
      <div className="grid gap-6">
        <ConstellationPanel options={options} status={status} report={buckets} canPrune={admin.isTopLevel} />
        <ConstellationTargets
          servers={options.Servers}
          targets={buckets.Targets.length ? buckets.Targets : status.TargetNames.map((name, i) => ({ Index: i, Name: name, Address: status.Targets[i] ?? '', OK: true, Error: '', Buckets: 0, Users: 0 }))}
          complete={buckets.Complete}
          hasReport={buckets.CheckStarted > 0}
          missing={buckets.Missing}
        />
      </div>
    </>
  );
}
