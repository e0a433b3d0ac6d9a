import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { tenantOptions } from '@/lib/adapters/console/tenant-options';
import type { TCampaignSummary } from '@/lib/campaigns/campaign-summary';
import { deviceFilterFieldList } from '@/lib/campaigns/device-filter-fields';
import type { TCampaignDevicePage } from '@/lib/campaigns/list-campaign-devices';
import { CLIENT_VERSION } from '@/lib/client-builds/client-version';
import { CampaignsView } from '../../../components/console/campaigns/CampaignsView';
import { PageHeader } from '../../../components/console/PageHeader';

export async function generateMetadata() {
  return { title: (await getTranslations('campaigns'))('title') };
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
const CAMPAIGN_DEVICE_PAGE = 100;

export default async function CampaignsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const admin = await requireAdmin();
  if (!admin.isTopLevel) notFound();
  const t = await getTranslations('campaigns');
  const params = await searchParams;
  const campaign = one(params.campaign).slice(0, 64);
  const statusText = one(params.status);
  const status = /^[0-5]$/.test(statusText) ? Number(statusText) : undefined;
  const q = one(params.q).slice(0, 200);
  const offset = Math.max(0, Number(one(params.offset)) || 0);
  const [history, page, tenants] = await Promise.all([
    api<TCampaignSummary[]>('/api/v1/admin/update-campaign/history', { Limit: 20 }),
    api<TCampaignDevicePage>('/api/v1/admin/update-campaign/devices', {
      ...(campaign ? { CampaignID: campaign } : {}),
      ...(status !== undefined ? { Status: status } : {}),
      ...(q ? { Search: q } : {}),
      Offset: offset,
      Limit: CAMPAIGN_DEVICE_PAGE,
    }).catch(() => ({ Campaign: null, Devices: [], Total: 0 })),
    tenantOptions(admin, t('topLevel')),
  ]);
  return (
    <>
      <PageHeader title={t('title')} description={t('description', { version: CLIENT_VERSION })} />
      <CampaignsView
        history={history}
        page={page}
        filter={{ campaign, status, q, offset }}
        pageSize={CAMPAIGN_DEVICE_PAGE}
        fields={deviceFilterFieldList()}
        tenants={tenants}
        targetVersion={CLIENT_VERSION}
      />
    </>
  );
}
