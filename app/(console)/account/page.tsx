import { getTranslations } from 'next-intl/server';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { AccountSecurity, type SecurityOptions } from '../../../components/console/account/AccountSecurity';
import { PageHeader } from '../../../components/console/PageHeader';

export async function generateMetadata() {
  return { title: (await getTranslations('account'))('title') };
}

export default async function AccountPage() {
  const admin = await requireAdmin();
  const t = await getTranslations('account');
  const props = await api<{ OrganizationID: string; Security: SecurityOptions }>('/api/v1/admin/account/properties');
  return (
    <>
      <PageHeader title={t('title')} description={t('description', { username: admin.username })} />
      <AccountSecurity security={props.Security} />
    </>
  );
}
