import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { SETTINGS_TAB_HREF, settingsTabsFor } from '@/lib/adapters/console/settings-tabs';
import { PageHeader } from '../../../../components/console/PageHeader';
import { BrandingForm } from '../../../../components/console/branding/BrandingForm';
import { SettingsTabs } from '../../../../components/console/settings/SettingsTabs';

export async function generateMetadata() {
  return { title: (await getTranslations('branding'))('title') };
}

export default async function BrandingPage() {
  const admin = await requireAdmin();
  const tabs = settingsTabsFor(admin);
  if (!tabs.includes('branding')) redirect(SETTINGS_TAB_HREF[tabs[0]]);
  const t = await getTranslations('branding');
  const { Branding } = await api<{ Branding: Record<string, unknown> }>('/api/v1/admin/meta/branding-config/get');
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <SettingsTabs tabs={tabs} />
      <BrandingForm branding={Branding} />
    </>
  );
}
