import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { api, requireAdmin } from '../../../lib/console/session';
import { can } from '../../../lib/tenancy/permissions';
import { PageHeader } from '../../../components/console/PageHeader';
import { LoginProtectionForm } from '../../../components/console/settings/LoginProtectionForm';

export async function generateMetadata() {
  return { title: (await getTranslations('settings'))('title') };
}

export default async function SettingsPage() {
  const admin = await requireAdmin();
  if (!admin.isTopLevel || !can(admin, 'server.settings')) notFound();
  const t = await getTranslations('settings');
  const protection = await api<{ Enabled: boolean; FailureThreshold: number; CooldownSeconds: number }>('/api/v1/admin/meta/login-protection/get');
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <LoginProtectionForm options={protection} />
    </>
  );
}
