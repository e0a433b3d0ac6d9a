import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { StreamableEventType } from '../../../../lib/comet/constants';
import { CampaignEventType, HALLEY_EVENT_CONSTELLATION_MISSING_BUCKET, HALLEY_EVENT_NAMES } from '../../../../lib/events/halley-event-types';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { settingsTabsFor } from '@/lib/adapters/console/settings-tabs';
import { PageHeader } from '../../../../components/console/PageHeader';
import { SettingsTabs } from '../../../../components/console/settings/SettingsTabs';
import { WebhooksManager } from '../../../../components/console/settings/WebhooksManager';
import { PsaManager } from '../../../../components/console/psa/PsaManager';
import { can } from '../../../../lib/tenancy/permissions';
import type { WebhookOption } from './actions';
import type { PsaConfig, PsaIntegrationStatus } from './psa-actions';

export async function generateMetadata() {
  return { title: (await getTranslations('settings.integrations'))('title') };
}

export default async function IntegrationsPage() {
  const admin = await requireAdmin();
  const tabs = settingsTabsFor(admin);
  if (!tabs.includes('integrations')) notFound();
  const t = await getTranslations('settings');
  // Webhooks need AllowEditWebhooks; PSA integrations (issue 18) are every admin's, as their endpoints.
  const webhooksAllowed = can(admin, 'webhooks.edit');
  const [webhooks, settings, psa, psaStatus] = await Promise.all([
    webhooksAllowed ? api<Record<string, WebhookOption>>('/api/v1/admin/meta/webhook-options/get') : Promise.resolve(null),
    admin.isTopLevel && webhooksAllowed ? api<{ AllowPrivateTargets: boolean }>('/api/v1/admin/meta/webhook-settings/get') : Promise.resolve(null),
    api<PsaConfig[]>('/api/v1/admin/meta/psa-config-list/get'),
    api<{ Integrations: PsaIntegrationStatus[] }>('/api/v1/admin/meta/psa-config-list/status'),
  ]);
  // Comet's SEVT_* types and Halley's own (campaigns, Constellation). Campaign events are written for the top
  // level only, so a tenant's webhooks are offered the ones a tenant receives (a device's failed update, its own
  // Constellation report).
  const tenantReceives: number[] = [CampaignEventType.UPDATE_FAILED, HALLEY_EVENT_CONSTELLATION_MISSING_BUCKET];
  const halleyTypes = Object.entries(HALLEY_EVENT_NAMES)
    .map(([code, name]) => ({ name, code: Number(code) }))
    .filter((e) => admin.isTopLevel || tenantReceives.includes(e.code));
  const eventTypes = [
    ...Object.entries(StreamableEventType)
      .filter(([name]) => name.startsWith('SEVT_') && !name.includes('__'))
      .map(([name, code]) => ({ name, code: code as number })),
    ...halleyTypes,
  ].sort((a, b) => a.code - b.code);
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <SettingsTabs tabs={tabs} />
      {webhooksAllowed && <WebhooksManager webhooks={webhooks ?? {}} eventTypes={eventTypes} allowPrivate={settings?.AllowPrivateTargets ?? null} scope={admin.isTopLevel ? 'server' : 'tenant'} />}
      <PsaManager configs={psa ?? []} status={psaStatus?.Integrations ?? []} />
    </>
  );
}
