import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { tenantOptions } from '@/lib/adapters/console/tenant-options';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { PageHeader } from '../../../../../components/console/PageHeader';
import { BulkReplace, type OperationRow } from '../../../../../components/console/users/BulkReplace';

export async function generateMetadata() {
  return { title: (await getTranslations('bulkReplace'))('title') };
}

export default async function BulkReplacePage() {
  const admin = await requireAdmin();
  const t = await getTranslations('bulkReplace');
  const [operations, tenants] = await Promise.all([api<OperationRow[]>('/api/v1/admin/bulk-replace-addresses/list'), tenantOptions(admin, t('allOrganizations'))]);
  return (
    <>
      <nav className="mb-2 text-sm text-muted-foreground">
        <Link href="/users" className="hover:underline">
          {t('breadcrumb')}
        </Link>{' '}
        / {t('title')}
      </nav>
      <PageHeader title={t('title')} description={t('description')} />
      <BulkReplace operations={operations} tenants={tenants} />
    </>
  );
}
