import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { PageHeader } from '../../../../components/console/PageHeader';
import { TenantForm, type TenantOrg } from '../../../../components/console/tenants/TenantForm';

export default async function TenantPage({ params }: { params: Promise<{ id: string }> }) {
  const admin = await requireAdmin();
  if (!admin.isTopLevel) notFound();
  const { id } = await params;
  const t = await getTranslations('tenants');
  const orgs = await api<Record<string, TenantOrg>>('/api/v1/admin/organization/list');
  const org = orgs[id];
  if (!org) notFound();
  return (
    <>
      <nav className="mb-2 text-sm text-muted-foreground">
        <Link href="/tenants" className="hover:underline">
          {t('title')}
        </Link>{' '}
        / {org.Name}
      </nav>
      <PageHeader title={org.Name} description={t('editDescription')} />
      <TenantForm id={id} org={org} />
    </>
  );
}
