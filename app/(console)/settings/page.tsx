import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { SETTINGS_TAB_HREF, settingsTabsFor } from '@/lib/adapters/console/settings-tabs';
import { PageHeader } from '../../../components/console/PageHeader';
import { LoginProtectionForm } from '../../../components/console/settings/LoginProtectionForm';
import { SettingsTabs } from '../../../components/console/settings/SettingsTabs';

export async function generateMetadata() {
  return { title: (await getTranslations('settings'))('title') };
}

export default async function SettingsPage() {
  const admin = await requireAdmin();
  const tabs = settingsTabsFor(admin);
  if (!tabs.includes('security')) redirect(SETTINGS_TAB_HREF[tabs[0]]);
  const t = await getTranslations('settings');
  const protection = await api<{ Enabled: boolean; FailureThreshold: number; CooldownSeconds: number }>('/api/v1/admin/meta/login-protection/get');
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <SettingsTabs tabs={tabs} />
      <LoginProtectionForm options={protection} />
    </>
  );
}
