import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { tenantOptions } from '@/lib/adapters/console/tenant-options';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { can } from '../../../lib/tenancy/permissions';
import { AdminsTable, type AdminRow } from '../../../components/console/admins/AdminsTable';
import { NewAdminDialog } from '../../../components/console/admins/NewAdminDialog';
import { PageHeader } from '../../../components/console/PageHeader';

export async function generateMetadata() {
  return { title: (await getTranslations('admins'))('title') };
}

export default async function AdminsPage({ searchParams }: { searchParams: Promise<{ new?: string; tenant?: string }> }) {
  const admin = await requireAdmin();
  if (!admin.isTopLevel || !can(admin, 'admins.manage')) notFound();
  const t = await getTranslations('admins');
  const sp = await searchParams;
  const [admins, choices] = await Promise.all([api<AdminRow[]>('/api/v1/admin/admin-user/list'), tenantOptions(admin, t('topLevelOrganization'))]);
  const tenants = choices ?? [];
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} actions={<NewAdminDialog tenants={tenants} openInitially={sp.new === '1'} initialTenant={sp.tenant ?? ''} />} />
      <AdminsTable admins={admins} tenants={tenants} self={admin.username} />
    </>
  );
}
