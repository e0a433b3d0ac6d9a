import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { StreamableEventType } from '../../../../lib/comet/constants';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { settingsTabsFor } from '@/lib/adapters/console/settings-tabs';
import { PageHeader } from '../../../../components/console/PageHeader';
import { SettingsTabs } from '../../../../components/console/settings/SettingsTabs';
import { WebhooksManager } from '../../../../components/console/settings/WebhooksManager';
import type { WebhookOption } from './actions';

export async function generateMetadata() {
  return { title: (await getTranslations('settings.integrations'))('title') };
}

export default async function IntegrationsPage() {
  const admin = await requireAdmin();
  const tabs = settingsTabsFor(admin);
  if (!tabs.includes('integrations')) notFound();
  const t = await getTranslations('settings');
  const [webhooks, settings] = await Promise.all([
    api<Record<string, WebhookOption>>('/api/v1/admin/meta/webhook-options/get'),
    admin.isTopLevel ? api<{ AllowPrivateTargets: boolean }>('/api/v1/admin/meta/webhook-settings/get') : Promise.resolve(null),
  ]);
  const eventTypes = Object.entries(StreamableEventType)
    .filter(([name]) => name.startsWith('SEVT_') && !name.includes('__'))
    .map(([name, code]) => ({ name, code: code as number }))
    .sort((a, b) => a.code - b.code);
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <SettingsTabs tabs={tabs} />
      <WebhooksManager webhooks={webhooks ?? {}} eventTypes={eventTypes} allowPrivate={settings?.AllowPrivateTargets ?? null} scope={admin.isTopLevel ? 'server' : 'tenant'} />
    </>
  );
}
