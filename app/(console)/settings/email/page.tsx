import { getLocale, getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { languageCodeFor, weeklySummary, type EmailOptionsWire } from '@/lib/adapters/console/email-reports';
import { EMPTY_SEARCH } from '@/lib/adapters/console/job-search-url';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { settingsTabsFor } from '@/lib/adapters/console/settings-tabs';
import { tenantOptions } from '@/lib/adapters/console/tenant-options';
import { SEARCH_FIELDS } from '@/lib/job-search/fields';
import { PageHeader } from '../../../../components/console/PageHeader';
import { EmailSettings } from '../../../../components/console/settings/EmailSettings';
import { SettingsTabs } from '../../../../components/console/settings/SettingsTabs';
import type { EmailDeliveryRow } from './actions';

export async function generateMetadata() {
  return { title: (await getTranslations('settings.email'))('title') };
}

const STATUSES = ['pending', 'retrying', 'sent', 'failed', 'skipped'];

export default async function EmailSettingsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const admin = await requireAdmin();
  const tabs = settingsTabsFor(admin);
  if (!tabs.includes('email')) notFound();
  const t = await getTranslations('settings');
  const [sp, locale] = await Promise.all([searchParams, getLocale()]);
  const tenants = await tenantOptions(admin, t('email.serverLevel'));
  const org = tenants && sp.org && tenants.some((o) => o.id === sp.org) ? sp.org : '';
  const status = STATUSES.includes(sp.status ?? '') ? sp.status! : '';
  const target = org ? { TargetOrganization: org } : {};
  const [options, deliveries] = await Promise.all([
    api<EmailOptionsWire>('/api/v1/admin/meta/email-options/get', target),
    api<{ Deliveries: EmailDeliveryRow[] }>('/api/v1/admin/meta/email-deliveries', { Limit: 50, ...(status ? { DeliveryStatus: status } : {}), ...target }),
  ]);
  const fields = Object.entries(SEARCH_FIELDS).map(([name, f]) => ({ name, kind: f.kind }));
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <SettingsTabs tabs={tabs} />
      <EmailSettings
        org={org}
        tenants={tenants}
        options={options}
        deliveries={deliveries.Deliveries}
        status={status}
        canEditSmtp={admin.isTopLevel}
        isServer={admin.isTopLevel && !org}
        fields={fields}
        newReport={weeklySummary(EMPTY_SEARCH, languageCodeFor(locale), 'UTC')}
      />
    </>
  );
}
