import { getTranslations } from 'next-intl/server';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { CLIENT_VERSION } from '@/lib/client-builds/client-version';
import { ClientsView, type TPlatformOption } from '../../../components/console/clients/ClientsView';
import { PageHeader } from '../../../components/console/PageHeader';

export async function generateMetadata() {
  return { title: (await getTranslations('clients'))('title') };
}

export default async function ClientsPage() {
  await requireAdmin();
  const t = await getTranslations('clients');
  const platforms = await api<Record<string, { Category: string; Description: string; Recommended: boolean }>>('/api/v1/admin/branding/available-platforms');
  const options: TPlatformOption[] = Object.entries(platforms).map(([id, p]) => ({ id: Number(id), category: p.Category, description: p.Description }));
  return (
    <>
      <PageHeader title={t('title')} description={t('description', { version: CLIENT_VERSION })} />
      <ClientsView platforms={options} version={CLIENT_VERSION} />
    </>
  );
}
