import { getTranslations } from 'next-intl/server';
import { tenantOptions } from '@/lib/adapters/console/tenant-options';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { TOP_LEVEL_TENANT_ID } from '../../../../lib/tenancy/actor';
import { PageHeader } from '../../../../components/console/PageHeader';
import { PriceListEditor } from '../../../../components/console/billing/PriceListEditor';
import type { PriceList } from '../../../../components/console/billing/types';

export async function generateMetadata() {
  return { title: (await getTranslations('billing.prices'))('title') };
}

export default async function PriceListPage({ searchParams }: { searchParams: Promise<{ org?: string }> }) {
  const admin = await requireAdmin();
  const t = await getTranslations('billing');
  const org = admin.isTopLevel ? ((await searchParams).org ?? '') : '';
  const [prices, tenants] = await Promise.all([
    api<PriceList>('/api/v1/admin/billing/price-list/get', { TargetOrganization: org || undefined }),
    tenantOptions(admin, t('topLevelOrganization')),
  ]);
  const orgChoices = tenants?.map((o) => ({ id: o.id || TOP_LEVEL_TENANT_ID, name: o.name })) ?? null;
  return (
    <>
      <PageHeader title={t('prices.title')} description={t('prices.description')} />
      <PriceListEditor key={org} prices={prices} org={org} tenants={orgChoices} />
    </>
  );
}
