import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { SETTINGS_TAB_HREF, settingsTabsFor } from '@/lib/adapters/console/settings-tabs';
import { PageHeader } from '../../../components/console/PageHeader';
import { LoginProtectionForm } from '../../../components/console/settings/LoginProtectionForm';
import { PasswordPolicyForm } from '../../../components/console/settings/PasswordPolicyForm';
import { SettingsTabs } from '../../../components/console/settings/SettingsTabs';

export async function generateMetadata() {
  return { title: (await getTranslations('settings'))('title') };
}

export default async function SettingsPage() {
  const admin = await requireAdmin();
  const tabs = settingsTabsFor(admin);
  if (!tabs.includes('security')) redirect(SETTINGS_TAB_HREF[tabs[0]]);
  const t = await getTranslations('settings');
  const [protection, passwordPolicy] = await Promise.all([
    api<{ Enabled: boolean; FailureThreshold: number; CooldownSeconds: number }>('/api/v1/admin/meta/login-protection/get'),
    api<{ MinLength: number; RejectCommon: boolean }>('/api/v1/admin/meta/password-policy/get'),
  ]);
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <SettingsTabs tabs={tabs} />
      <div className="grid gap-6">
        <PasswordPolicyForm policy={passwordPolicy} />
        <LoginProtectionForm options={protection} />
      </div>
    </>
  );
}
